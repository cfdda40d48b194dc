/**
 * The server's word that something changed (docs/sync-protocol.md, "Change stream"): the engine
 * syncs when told, instead of waiting for its timer. Nothing in it is data; losing it costs only
 * the wait until the next scheduled sync.
 */
export interface ChangeSignal {
  /** Calls `onChange` when the server says a project of this device changed; returns the stop function. */
  subscribe(onChange: () => void): () => void;
}

export interface ChangeStreamOptions {
  /** Headers that prove who asks (a device token, or the session cookie goes along by itself). */
  readonly headers: () => Record<string, string>;
  readonly url?: string;
  readonly fetchFn?: typeof fetch;
  /** Whether to try at all now (offline: wait for the network). */
  readonly isOnline?: () => boolean;
  /** Wait before reconnecting after the server ended a stream, and after a failure. */
  readonly reconnectMs?: number;
  readonly failureMs?: number;
  readonly setTimeout?: (callback: () => void, ms: number) => unknown;
}

/**
 * `GET /api/v1/sync/changes` read with fetch (an EventSource cannot send the device token): one
 * stream at a time, reconnected when it ends, slower after a failure (a refused or missing stream
 * is no reason to hammer the server).
 */
export function httpChangeStream(options: ChangeStreamOptions): ChangeSignal {
  const fetchFn = options.fetchFn ?? globalThis.fetch.bind(globalThis);
  const wait = options.setTimeout ?? ((callback: () => void, ms: number) => globalThis.setTimeout(callback, ms));
  return {
    subscribe(onChange) {
      let active = true;
      let controller: AbortController | null = null;
      const later = (ms: number) => {
        if (active) wait(() => void connect(), ms);
      };
      const connect = async (): Promise<void> => {
        if (!active) return;
        if (options.isOnline?.() === false) return later(options.failureMs ?? 30_000);
        controller = new AbortController();
        try {
          const res = await fetchFn(options.url ?? '/api/v1/sync/changes', {
            headers: { accept: 'text/event-stream', ...options.headers() },
            credentials: 'same-origin',
            signal: controller.signal,
          });
          if (!res.ok || res.body === null) return later(options.failureMs ?? 60_000);
          await readEvents(res.body, (event) => {
            if (event === 'changed') onChange();
          });
          later(options.reconnectMs ?? 1_000);
        } catch {
          later(options.failureMs ?? 30_000);
        }
      };
      void connect();
      return () => {
        active = false;
        controller?.abort();
      };
    },
  };
}

/** Reads Server-Sent Events until the stream ends, calling `onEvent` with each event's name. */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (name: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    // Events end with a blank line; a line `event: NAME` names one.
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: (.+)$/m.exec(block)?.[1];
      if (name !== undefined) onEvent(name.trim());
      end = buffer.indexOf('\n\n');
    }
    // A stream that never ends its events would grow this without bound.
    if (buffer.length > 64 * 1024) buffer = '';
  }
}
