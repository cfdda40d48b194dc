import { Show, type JSX } from 'solid-js';
import type { MapText } from './mapText.js';

export type MapLoadState = 'loading' | 'ready' | 'failed';

/** What a map says over its canvas while it loads, when it failed, and when it has no basemap. */
export function MapStatus(props: { state: MapLoadState; hasBasemap: boolean; text: MapText }): JSX.Element {
  return (
    <>
      <Show when={props.state === 'loading'}>
        <p class="geo-map__status">{props.text('map.loading')}</p>
      </Show>
      <Show when={props.state === 'failed'}>
        <p class="geo-map__status geo-map__status--failed" role="alert">
          {props.text('map.failed')}
        </p>
      </Show>
      <Show when={props.state === 'ready' && !props.hasBasemap}>
        <p class="geo-map__note">{props.text('map.noBasemap')}</p>
      </Show>
    </>
  );
}
