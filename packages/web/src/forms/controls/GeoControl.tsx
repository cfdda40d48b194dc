import { createEffect, createSignal, For, lazy, on, Show, Suspense, type JSX } from 'solid-js';
import { geoShapeArea, geoTraceLength, type LatLon } from '../../maps/geoShapeArea.js';
import { formatArea, formatLength, mapText, type MapText } from '../../maps/mapText.js';
import { supportsWebGl } from '../../maps/supportsWebGl.js';
import { useBasemapUrl } from '../../maps/basemapContext.js';
import { useFormUi } from '../FormUi.js';
import {
  formatGeoPoint,
  formatGeoPoints,
  parseGeoPoint,
  parseGeoPoints,
  pointFromPosition,
  shapeCorners,
  type GeoPoint,
} from '../geo.js';
import type { FormGeoNode } from '../engineTypes.js';
import type { ControlProps } from '../QuestionView.jsx';

// MapLibre is large: only forms that ask for a place download it, and only on a device that can draw it.
const GeoMap = lazy(() => import('../../maps/GeoMap.jsx').then((module) => ({ default: module.GeoMap })));

// Long enough for a cold GPS fix outdoors; the user can always type the coordinates instead.
const fixTimeoutMs = 60_000;

/**
 * geopoint from the device GPS with its accuracy shown, and coordinates typed by hand when there is
 * no fix; it can be shown on a map. geotrace and geoshape are drawn on a map (tap to add, drag to
 * move) and kept as a list of points too: the list is the accessible way and the fallback without WebGL.
 */
export function GeoControl(props: ControlProps<FormGeoNode>): JSX.Element {
  const { i18n } = useFormUi();
  const { t } = i18n;
  const node = props.node;
  const basemapUrl = useBasemapUrl();
  const many = node.valueType !== 'geopoint';
  const closed = node.valueType === 'geoshape';
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<string | null>(null);
  const [latitude, setLatitude] = createSignal('');
  const [longitude, setLongitude] = createSignal('');
  const canMap = supportsWebGl();
  const [mapShown, setMapShown] = createSignal(many);
  const text: MapText = (key, params) => mapText(i18n.language())(key, params);

  const point = (): GeoPoint | undefined => parseGeoPoint(node.currentState.instanceValue);
  const write = (value: string): void => {
    (node.setValue as (value: string) => unknown)(value);
    props.onTouched();
  };
  // The engine keeps a geotrace only from 2 points and a geoshape only from 3 corners (it stores ''
  // otherwise), so the points being drawn live here and reach the value once they make a line or a shape.
  const [drawn, setDrawn] = createSignal<GeoPoint[]>(shapeCorners(parseGeoPoints(node.currentState.instanceValue)));
  let held = node.currentState.instanceValue;
  createEffect(
    on(
      () => node.currentState.instanceValue,
      (value) => {
        // Changed by something else (a calculation, a reset): start again from the value.
        if (value !== held) setDrawn(shapeCorners(parseGeoPoints(value)));
        held = value;
      },
    ),
  );
  const points = (): GeoPoint[] => drawn();
  const writePoints = (list: GeoPoint[]): void => {
    setDrawn(list);
    write(formatGeoPoints(list, closed));
    held = node.currentState.instanceValue;
  };
  const minimum = closed ? 3 : 2;
  const take = (p: GeoPoint): void => {
    if (many) writePoints([...points(), p]);
    else write(formatGeoPoint(p));
  };
  // A point placed or moved on the map has no GPS altitude or accuracy of its own.
  const placed = (p: LatLon): GeoPoint => ({ latitude: p.latitude, longitude: p.longitude, altitude: 0, accuracy: 0 });
  const move = (index: number, p: LatLon): void => writePoints(points().map((q, i) => (i === index ? placed(p) : q)));
  const measure = (): string | undefined => {
    const corners = points();
    if (closed && corners.length >= 3) return text('map.area', { area: formatArea(geoShapeArea(corners), text) });
    if (many && !closed && corners.length >= 2) {
      return text('map.length', { length: formatLength(geoTraceLength(corners), text) });
    }
    return undefined;
  };
  const capture = (): void => {
    if (!('geolocation' in navigator)) {
      setFailure(t('form.geo.unsupported'));
      return;
    }
    setBusy(true);
    setFailure(null);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setBusy(false);
        take(pointFromPosition(position));
      },
      (error) => {
        setBusy(false);
        // The browser's own message is English whatever the app's language: say it by its code.
        setFailure(
          t(
            error.code === error.PERMISSION_DENIED
              ? 'form.geo.failed.denied'
              : error.code === error.TIMEOUT
                ? 'form.geo.failed.timeout'
                : 'form.geo.failed.unavailable',
          ),
        );
      },
      { enableHighAccuracy: true, timeout: fixTimeoutMs, maximumAge: 0 },
    );
  };
  const typed = (): GeoPoint | undefined => parseGeoPoint(`${latitude()} ${longitude()}`);
  const describe = (p: GeoPoint): string =>
    t('form.geo.point', { latitude: p.latitude.toFixed(6), longitude: p.longitude.toFixed(6) });

  return (
    <div class="geo">
      <Show when={canMap && mapShown() && (many || point() !== undefined)}>
        <Suspense fallback={<p class="geo__caption">{text('map.loading')}</p>}>
          <GeoMap
            kind={node.valueType}
            points={many ? points() : [point()].filter((p): p is GeoPoint => p !== undefined)}
            readonly={!many || node.currentState.readonly}
            text={text}
            language={i18n.language()}
            onAdd={(p) => take(placed(p))}
            onMove={move}
            basemapUrl={basemapUrl}
          />
        </Suspense>
      </Show>
      <Show when={many && !canMap}>
        <p class="geo__caption">{text('map.noWebGl')}</p>
      </Show>
      <Show when={measure()}>{(value) => <p class="geo__measure">{value()}</p>}</Show>
      <Show when={many && points().length > 0 && points().length < minimum}>
        <p class="geo__caption">{text(closed ? 'map.needsThree' : 'map.needsTwo')}</p>
      </Show>
      <Show when={!many}>
        <Show when={point()}>
          {(p) => (
            <p class="geo__value">
              <span>{describe(p())}</span>
              <Show when={p().accuracy > 0}>
                <span class="geo__accuracy">{t('form.geo.accuracy', { metres: p().accuracy.toFixed(1) })}</span>
              </Show>
            </p>
          )}
        </Show>
      </Show>
      <Show when={many}>
        <p class="geo__caption">{text('map.pointList')}</p>
        <ol class="geo__points">
          <For each={points()} fallback={<li class="geo__none">{t('form.geo.noPoints')}</li>}>
            {(p, index) => (
              <li>
                <span>{describe(p)}</span>
                <button
                  type="button"
                  class="button button--subtle"
                  disabled={node.currentState.readonly}
                  onClick={() => writePoints(points().filter((_, i) => i !== index()))}
                >
                  {t('form.geo.removePoint', { number: index() + 1 })}
                </button>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <div class="geo__actions">
        <button
          type="button"
          class="button button--primary"
          disabled={busy() || node.currentState.readonly}
          onClick={capture}
        >
          {busy() ? t('form.geo.capturing') : many ? t('form.geo.addPoint') : t('form.geo.capture')}
        </button>
        <Show when={many && points().length > 0 && !node.currentState.readonly}>
          <button type="button" class="button" onClick={() => writePoints(points().slice(0, -1))}>
            {text('map.undo')}
          </button>
        </Show>
        <Show when={!many && canMap && point() !== undefined}>
          <button type="button" class="button" aria-expanded={mapShown()} onClick={() => setMapShown(!mapShown())}>
            {mapShown() ? text('map.hide') : text('map.show')}
          </button>
        </Show>
        <Show when={(node.currentState.instanceValue !== '' || points().length > 0) && !node.currentState.readonly}>
          <button type="button" class="button button--subtle" onClick={() => (many ? writePoints([]) : write(''))}>
            {t('form.geo.clear')}
          </button>
        </Show>
      </div>
      <Show when={failure()}>{(message) => <p class="geo__failure">{message()}</p>}</Show>
      <details class="geo__manual">
        <summary>{t('form.geo.manual')}</summary>
        <div class="geo__manual-fields">
          <label class="field">
            <span class="field__label">{t('form.geo.latitude')}</span>
            <input
              type="number"
              inputmode="decimal"
              step="any"
              min="-90"
              max="90"
              value={latitude()}
              onInput={(e) => setLatitude(e.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span class="field__label">{t('form.geo.longitude')}</span>
            <input
              type="number"
              inputmode="decimal"
              step="any"
              min="-180"
              max="180"
              value={longitude()}
              onInput={(e) => setLongitude(e.currentTarget.value)}
            />
          </label>
          <button
            type="button"
            class="button"
            disabled={typed() === undefined || node.currentState.readonly}
            onClick={() => {
              const p = typed();
              if (p) take(p);
            }}
          >
            {many ? t('form.geo.addManual') : t('form.geo.use')}
          </button>
        </div>
      </details>
    </div>
  );
}
