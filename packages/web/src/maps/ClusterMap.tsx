import 'maplibre-gl/dist/maplibre-gl.css';
import './maps.css';
import type { FeatureCollection, Point } from 'geojson';
import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap, Marker } from 'maplibre-gl';
import { createEffect, createSignal, on, onCleanup, onMount, Show, type JSX } from 'solid-js';
import { loadMapLibre, registerPmtiles, type MapLibre } from './loadMapLibre.js';
import type { Language } from '../i18n/createI18n.js';
import { attributionHtml } from './basemapAttribution.js';
import { mapLibreLocale } from './mapLibreText.js';
import type { MapText } from './mapText.js';
import { MapStatus, type MapLoadState } from './MapStatus.jsx';
import { offlineStyle } from './offlineStyle.js';

/** A point on the map: `id` is what a tap reports, `kind` picks its colour. */
export interface ClusterPointProperties {
  readonly id: string;
  readonly kind: string;
}

export interface ClusterMapProps {
  readonly points: FeatureCollection<Point, ClusterPointProperties>;
  /** The colour of each kind; a kind not named is grey. */
  readonly colours: Readonly<Record<string, string>>;
  readonly text: MapText;
  /** The app's language, for MapLibre's own words (its controls' titles, the scale). */
  readonly language: Language;
  /** The accessible name of the map canvas. */
  readonly label: string;
  /** A tap on a single point. */
  readonly onPick: (id: string) => void;
  /** A `.pmtiles` basemap on our own origin; without it the map is a grid. */
  readonly basemapUrl?: string | undefined;
}

const pointsSource = 'points';
const clusterMaxZoom = 15;

/**
 * MapLibre reads its words (controls' titles, the scale's units) once, when the map is made: another
 * language makes the map again.
 */
export function ClusterMap(props: ClusterMapProps): JSX.Element {
  return (
    <Show when={props.language} keyed>
      {(language) => <ClusterMapView {...props} language={language} />}
    </Show>
  );
}

/**
 * Many points on the offline basemap, grouped by MapLibre's own GeoJSON clustering: a group is a
 * circle with its count (an HTML marker: the offline style has no glyphs for text layers); a tap on
 * a group zooms in until it splits, a tap on a single point reports its id. New points (a filter
 * changed) replace the old without moving the view, except that the first set is fitted in view.
 */
function ClusterMapView(props: ClusterMapProps): JSX.Element {
  let container!: HTMLDivElement;
  const [status, setStatus] = createSignal<MapLoadState>('loading');
  let map: MapLibreMap | undefined;
  let maplibre: MapLibre | undefined;
  let disposed = false;
  let fitted = false;
  const markers = new Map<number, Marker>();

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
      if (now !== 'ready' || map === undefined) return;
      map.getSource<GeoJSONSource>(pointsSource)?.setData(points);
      container.dataset['points'] = String(points.features.length);
      if (!fitted) fitTo(map, points);
    }),
  );

  async function start(): Promise<void> {
    const maplibregl = await loadMapLibre();
    maplibre = maplibregl;
    const attribution =
      props.basemapUrl === undefined ? undefined : await registerPmtiles(maplibregl, props.basemapUrl);
    if (disposed) return;
    const created = new maplibregl.Map({
      container,
      style: offlineStyle({ basemapUrl: props.basemapUrl, attribution: attributionHtml(attribution, props.text) }),
      locale: mapLibreLocale(props.language),
      center: [0, 0],
      zoom: 1,
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
    created.getCanvas().setAttribute('aria-label', props.label);
    created.on('load', () => {
      created.addSource(pointsSource, {
        type: 'geojson',
        data: props.points,
        cluster: true,
        clusterRadius: 48,
        clusterMaxZoom,
      });
      created.addLayer({
        id: 'points',
        type: 'circle',
        source: pointsSource,
        filter: ['!', ['has', 'point_count']],
        paint: {
          'circle-color': colourExpression(props.colours),
          'circle-radius': 8,
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 2,
        },
      });
      created.on('click', 'points', (event) => {
        const id: unknown = event.features?.[0]?.properties['id'];
        if (typeof id === 'string') props.onPick(id);
      });
      created.on('mouseenter', 'points', () => (created.getCanvas().style.cursor = 'pointer'));
      created.on('mouseleave', 'points', () => (created.getCanvas().style.cursor = ''));
      created.on('render', () => drawClusters(created));
      // Where a single point is drawn now (screen pixels) and whose it is: what tests (and a
      // screen reader's list, one day) can tap without knowing the projection.
      created.on('idle', () => {
        const [first] = created.queryRenderedFeatures({ layers: ['points'] });
        if (first === undefined || first.geometry.type !== 'Point') {
          delete container.dataset['firstPoint'];
          return;
        }
        const at = created.project(first.geometry.coordinates as [number, number]);
        container.dataset['firstPoint'] = `${Math.round(at.x)},${Math.round(at.y)},${String(first.properties['id'])}`;
      });
      container.dataset['points'] = String(props.points.features.length);
      fitTo(created, props.points);
      setStatus('ready');
      container.dataset['mapReady'] = 'true';
    });
    created.on('error', (event) => console.error('map error', event.error));
  }

  function fitTo(on: MapLibreMap, points: FeatureCollection<Point, ClusterPointProperties>): void {
    const box = boundsOf(points);
    if (box === undefined) return;
    fitted = true;
    on.fitBounds(box, { padding: 48, maxZoom: 14, duration: 0 });
  }

  /** The groups in view as HTML markers with their count; kept while in view, removed after. */
  function drawClusters(on: MapLibreMap): void {
    if (maplibre === undefined || !on.isSourceLoaded(pointsSource)) return;
    const seen = new Set<number>();
    for (const feature of on.querySourceFeatures(pointsSource, { filter: ['has', 'point_count'] })) {
      const id = feature.properties['cluster_id'] as number;
      if (seen.has(id) || feature.geometry.type !== 'Point') continue;
      seen.add(id);
      const count = Number(feature.properties['point_count']);
      const [lng, lat] = feature.geometry.coordinates as [number, number];
      let marker = markers.get(id);
      if (marker === undefined) {
        const element = document.createElement('button');
        element.type = 'button';
        element.className = `cluster-map__group${count >= 100 ? ' cluster-map__group--large' : ''}`;
        element.textContent = String(count);
        element.setAttribute('aria-label', props.text('map.group', { count }));
        element.addEventListener('click', (event) => {
          event.stopPropagation();
          void on
            .getSource<GeoJSONSource>(pointsSource)
            ?.getClusterExpansionZoom(id)
            .then((zoom) => on.easeTo({ center: [lng, lat], zoom: Math.min(zoom, clusterMaxZoom + 1) }));
        });
        marker = new maplibre.Marker({ element }).setLngLat([lng, lat]);
        markers.set(id, marker);
      }
      marker.addTo(on);
    }
    for (const [id, marker] of markers) {
      if (seen.has(id)) continue;
      marker.remove();
      markers.delete(id);
    }
  }

  return (
    <div class="geo-map cluster-map">
      <div class="geo-map__canvas" ref={container} />
      <MapStatus state={status()} hasBasemap={props.basemapUrl !== undefined} text={props.text} />
    </div>
  );
}

function colourExpression(colours: Readonly<Record<string, string>>): ExpressionSpecification {
  const pairs = Object.entries(colours).flat();
  return ['match', ['get', 'kind'], ...pairs, '#777777'] as unknown as ExpressionSpecification;
}

function boundsOf(points: FeatureCollection<Point>): [[number, number], [number, number]] | undefined {
  if (points.features.length === 0) return undefined;
  let [west, south, east, north] = [180, 90, -180, -90];
  for (const feature of points.features) {
    const [lon, lat] = feature.geometry.coordinates as [number, number];
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  return [
    [west, south],
    [east, north],
  ];
}
