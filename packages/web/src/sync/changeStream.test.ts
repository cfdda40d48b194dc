import { describe, expect, it } from 'vitest';
import { httpChangeStream, readEvents } from './changeStream.js';

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('the change stream on the device', () => {
  it('reads event names across chunk boundaries and ignores comments', async () => {
    const names: string[] = [];
    await readEvents(
      streamOf(
        'retry: 5000\n\nevent: rea',
        'dy\ndata: {}\n\n: keep-alive\n\nevent: changed\ndata: {"projectId":"p"}\n',
        '\n',
      ),
      (name) => names.push(name),
    );
    expect(names).toEqual(['ready', 'changed']);
  });

  it('calls back on `changed`, sends the credentials, reconnects after the stream ends, and stops', async () => {
    const asked: Array<Record<string, string>> = [];
    const timers: Array<() => void> = [];
    let changes = 0;
    const stream = httpChangeStream({
      headers: () => ({ authorization: 'Bearer device-token' }),
      fetchFn: (async (_url: string, init: RequestInit) => {
        asked.push(init.headers as Record<string, string>);
        return new Response(streamOf('event: ready\ndata: {}\n\nevent: changed\ndata: {}\n\n'), { status: 200 });
      }) as typeof fetch,
      setTimeout: (callback) => timers.push(callback),
    });
    const stop = stream.subscribe(() => (changes += 1));
    await new Promise((r) => setTimeout(r, 20));
    expect(changes).toBe(1);
    expect(asked[0]).toMatchObject({ authorization: 'Bearer device-token', accept: 'text/event-stream' });
    expect(timers).toHaveLength(1);
    timers.shift()?.();
    await new Promise((r) => setTimeout(r, 20));
    expect(changes).toBe(2);
    stop();
    timers.shift()?.();
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toHaveLength(2);
  });

  it('waits longer after a refusal than after a stream that ended', async () => {
    const delays: number[] = [];
    const stream = httpChangeStream({
      headers: () => ({}),
      fetchFn: async () => new Response('{}', { status: 401 }),
      setTimeout: (_callback, ms) => delays.push(ms),
    });
    const stop = stream.subscribe(() => {});
    await new Promise((r) => setTimeout(r, 20));
    stop();
    expect(delays).toEqual([60_000]);
  });
});
