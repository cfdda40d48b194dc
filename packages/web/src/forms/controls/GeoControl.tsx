import { createSignal, For, Show, type JSX } from 'solid-js';
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

// Long enough for a cold GPS fix outdoors; the user can always type the coordinates instead.
const fixTimeoutMs = 60_000;

/**
 * geopoint from the device GPS with its accuracy shown, and coordinates typed by hand when there is
 * no fix. geotrace and geoshape are a list of such points for now (no map yet).
 */
export function GeoControl(props: ControlProps<FormGeoNode>): JSX.Element {
  const { i18n } = useFormUi();
  const { t } = i18n;
  const node = props.node;
  const many = node.valueType !== 'geopoint';
  const closed = node.valueType === 'geoshape';
  const [busy, setBusy] = createSignal(false);
  const [failure, setFailure] = createSignal<string | null>(null);
  const [latitude, setLatitude] = createSignal('');
  const [longitude, setLongitude] = createSignal('');

  const point = (): GeoPoint | undefined => parseGeoPoint(node.currentState.instanceValue);
  const points = (): GeoPoint[] => shapeCorners(parseGeoPoints(node.currentState.instanceValue));
  const write = (value: string): void => {
    (node.setValue as (value: string) => unknown)(value);
    props.onTouched();
  };
  const take = (p: GeoPoint): void => {
    write(many ? formatGeoPoints([...points(), p], closed) : formatGeoPoint(p));
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
        setFailure(t('form.geo.failed', { reason: error.message }));
      },
      { enableHighAccuracy: true, timeout: fixTimeoutMs, maximumAge: 0 },
    );
  };
  const typed = (): GeoPoint | undefined => parseGeoPoint(`${latitude()} ${longitude()}`);
  const describe = (p: GeoPoint): string =>
    t('form.geo.point', { latitude: p.latitude.toFixed(6), longitude: p.longitude.toFixed(6) });

  return (
    <div class="geo">
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
        <p class="geo__caption">{t('form.geo.pointList')}</p>
        <ol class="geo__points">
          <For each={points()} fallback={<li class="geo__none">{t('form.geo.noPoints')}</li>}>
            {(p, index) => (
              <li>
                <span>{describe(p)}</span>
                <button
                  type="button"
                  class="button button--subtle"
                  disabled={node.currentState.readonly}
                  onClick={() =>
                    write(
                      formatGeoPoints(
                        points().filter((_, i) => i !== index()),
                        closed,
                      ),
                    )
                  }
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
        <Show when={node.currentState.instanceValue !== '' && !node.currentState.readonly}>
          <button type="button" class="button button--subtle" onClick={() => write('')}>
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
