import 'maplibre-gl/dist/maplibre-gl.css';
import './maps.css';
import type { GeoJSONSource, LngLatBoundsLike, Map as MapLibreMap, Marker } from 'maplibre-gl';
import { createEffect, createSignal, on, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { boundsOf, geoFeatures, type Bounds, type GeoKind } from './geoFeatures.js';
import type { LatLon } from './geoShapeArea.js';
import { graticule } from './graticule.js';
import { loadMapLibre, registerPmtiles, type MapLibre } from './loadMapLibre.js';
import type { Language } from '../i18n/createI18n.js';
import { attributionHtml } from './basemapAttribution.js';
import { mapLibreLocale } from './mapLibreText.js';
import type { MapText } from './mapText.js';
import { MapStatus, type MapLoadState } from './MapStatus.jsx';
import { basemapSource, graticuleSource, offlineStyle } from './offlineStyle.js';

const basemapLayers = ['landuse', 'water', 'roads', 'boundaries'];

export interface GeoMapProps {
  readonly kind: GeoKind;
  /** The corners: a shape without its closing point. */
  readonly points: readonly LatLon[];
  /** No tapping or dragging: a geopoint, a read-only question. */
  readonly readonly: boolean;
  readonly text: MapText;
  /** The app's language, for MapLibre's own words (its controls' titles, the scale). */
  readonly language: Language;
  /** A tap on the map (not on a point). */
  readonly onAdd?: (point: LatLon) => void;
  /** A point dragged to a new place, by its index in `points`. */
  readonly onMove?: (index: number, point: LatLon) => void;
  /** A `.pmtiles` basemap on our own origin; without it the map is a grid. */
  readonly basemapUrl?: string | undefined;
}

const drawingSource = 'drawing';
const closeZoom = 17;
const colours = { line: '#1f5f8b', fill: '#1f5f8b' };

/**
 * MapLibre reads its words (controls' titles, the scale's units) once, when the map is made: another
 * language makes the map again.
 */
export function GeoMap(props: GeoMapProps): JSX.Element {
  return (
    <Show when={props.language} keyed>
      {(language) => <GeoMapView {...props} language={language} />}
    </Show>
  );
}

/**
 * The map editor of a geotrace or geoshape (and the view of a geopoint): tap to add a point, drag a
 * point to move it. It only reports edits; the question's value stays the caller's.
 */
function GeoMapView(props: GeoMapProps): JSX.Element {
  let container!: HTMLDivElement;
  const [status, setStatus] = createSignal<MapLoadState>('loading');
  let map: MapLibreMap | undefined;
  let maplibre: MapLibre | undefined;
  let markers: Marker[] = [];
  let disposed = false;
  let shownCount = 0;

  onMount(() => {
    void start().catch((error: unknown) => {
      console.error('map failed', error);
      setStatus('failed');
    });
  });
  onCleanup(() => {
    disposed = true;
    map?.remove();
  });

  createEffect(
    on([() => props.points, status], ([points, now]) => {
      if (now !== 'ready' || map === undefined || maplibre === undefined) return;
      drawPoints(maplibre, map, points);
      // A point added from the GPS or the list may be off screen: follow it.
      const last = points.at(-1);
      if (
        points.length > shownCount &&
        last !== undefined &&
        !map.getBounds().contains([last.longitude, last.latitude])
      ) {
        map.easeTo({ center: [last.longitude, last.latitude], zoom: Math.max(map.getZoom(), 15) });
      }
      shownCount = points.length;
    }),
  );

  async function start(): Promise<void> {
    const maplibregl = await loadMapLibre();
    maplibre = maplibregl;
    const attribution =
      props.basemapUrl === undefined ? undefined : await registerPmtiles(maplibregl, props.basemapUrl);
    const around = boundsOf(props.points) ?? (await devicePositionBounds());
    if (disposed) return;
    const created = new maplibregl.Map({
      container,
      style: offlineStyle({ basemapUrl: props.basemapUrl, attribution: attributionHtml(attribution, props.text) }),
      locale: mapLibreLocale(props.language),
      center: around ? [(around.west + around.east) / 2, (around.south + around.north) / 2] : [0, 0],
      zoom: around ? closeZoom : 1,
      // A flat, north-up map: rotation and tilt only confuse tapping points.
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      maxPitch: 0,
      attributionControl: props.basemapUrl === undefined ? false : { compact: true },
    });
    map = created;
    created.touchZoomRotate.disableRotation();
    created.keyboard.disableRotation();
    created.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    created.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    created
      .getCanvas()
      .setAttribute('aria-label', props.readonly ? props.text('map.labelReadonly') : props.text('map.label'));
    created.on('moveend', () => drawGrid(created));
    created.on('click', (event) => {
      // Taps on a point (a marker) bubble here too; only the map itself adds points.
      if (props.readonly || event.originalEvent.target !== created.getCanvas()) return;
      props.onAdd?.({ latitude: event.lngLat.lat, longitude: event.lngLat.lng });
    });
    created.on('load', () => {
      created.addSource(drawingSource, { type: 'geojson', data: geoFeatures(props.points, props.kind) });
      created.addLayer({
        id: 'drawing-fill',
        type: 'fill',
        source: drawingSource,
        filter: ['==', ['geometry-type'], 'Polygon'],
        paint: { 'fill-color': colours.fill, 'fill-opacity': 0.2 },
      });
      created.addLayer({
        id: 'drawing-line',
        type: 'line',
        source: drawingSource,
        filter: ['==', ['geometry-type'], 'LineString'],
        layout: { 'line-join': 'round', 'line-cap': 'round' },
        paint: { 'line-color': colours.line, 'line-width': 3 },
      });
      fitTo(created, boundsOf(props.points));
      drawGrid(created);
      shownCount = props.points.length;
      setStatus('ready');
      container.dataset['mapReady'] = 'true';
    });
    created.on('error', (event) => console.error('map error', event.error));
    if (props.basemapUrl !== undefined) {
      // How many basemap shapes the loaded tiles hold: what tests (and a curious admin) can read.
      created.on('idle', () => {
        const count = basemapLayers.reduce(
          (sum, layer) => sum + created.querySourceFeatures(basemapSource, { sourceLayer: layer }).length,
          0,
        );
        container.dataset['basemapFeatures'] = String(count);
      });
    }
  }

  function drawPoints(maplibregl: MapLibre, on: MapLibreMap, points: readonly LatLon[]): void {
    setDrawing(on, points);
    for (const marker of markers) marker.remove();
    markers = points.map((point, index) => {
      const element = document.createElement('div');
      element.className = `geo-map__vertex${index === 0 && props.kind === 'geoshape' ? ' geo-map__vertex--first' : ''}`;
      element.textContent = props.kind === 'geopoint' ? '' : String(index + 1);
      element.setAttribute('role', 'img');
      element.setAttribute('aria-label', props.text('map.vertex', { number: index + 1 }));
      const marker = new maplibregl.Marker({ element, draggable: !props.readonly })
        .setLngLat([point.longitude, point.latitude])
        .addTo(on);
      if (!props.readonly) {
        marker.on('drag', () => {
          const at = marker.getLngLat();
          setDrawing(
            on,
            points.map((p, i) => (i === index ? { latitude: at.lat, longitude: at.lng } : p)),
          );
        });
        marker.on('dragend', () => {
          const at = marker.getLngLat();
          props.onMove?.(index, { latitude: at.lat, longitude: at.lng });
        });
      }
      return marker;
    });
  }

  function setDrawing(on: MapLibreMap, points: readonly LatLon[]): void {
    on.getSource<GeoJSONSource>(drawingSource)?.setData(geoFeatures(points, props.kind));
  }

  return (
    <div class="geo-map">
      <div class="geo-map__canvas" ref={container} />
      <MapStatus state={status()} hasBasemap={props.basemapUrl !== undefined} text={props.text} />
    </div>
  );
}

function drawGrid(map: MapLibreMap): void {
  const b = map.getBounds();
  map
    .getSource<GeoJSONSource>(graticuleSource)
    ?.setData(graticule({ west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() }));
}

function fitTo(map: MapLibreMap, bounds: Bounds | undefined): void {
  if (bounds === undefined) return;
  if (bounds.west === bounds.east && bounds.south === bounds.north) {
    map.jumpTo({ center: [bounds.west, bounds.south], zoom: closeZoom });
    return;
  }
  const box: LngLatBoundsLike = [
    [bounds.west, bounds.south],
    [bounds.east, bounds.north],
  ];
  map.fitBounds(box, { padding: 40, maxZoom: 18, duration: 0 });
}

/**
 * Where to open an empty map: the device's position, but only if the user already allowed it (no
 * prompt just for opening a page); otherwise the whole world.
 */
async function devicePositionBounds(): Promise<Bounds | undefined> {
  try {
    const permission = await navigator.permissions.query({ name: 'geolocation' });
    if (permission.state !== 'granted') return undefined;
    const position = await new Promise<GeolocationPosition>((resolve, reject) =>
      navigator.geolocation.getCurrentPosition(resolve, reject, { maximumAge: Infinity, timeout: 5_000 }),
    );
    const { latitude, longitude } = position.coords;
    return { west: longitude, east: longitude, south: latitude, north: latitude };
  } catch {
    return undefined;
  }
}
