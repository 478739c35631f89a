import { describe, expect, it } from 'vitest';
import { createEventSocket, UNAUTHORIZED_CLOSE_CODE, type SocketLike } from '../../../renderer/api/event-socket';
import { createIpcTransport } from '../../../renderer/api/ipc-transport';
import { splitLoginToken } from '../../../renderer/api/login-token';
import { MAX_RECONNECT_DELAY_MS, reconnectDelay } from '../../../renderer/api/reconnect-delay';
import { createWebTransport, eventsUrl } from '../../../renderer/api/web-transport';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop(1000);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  push(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

function socketHarness(onUnauthorized?: () => void) {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const events = createEventSocket({
    url: 'ws://h/events',
    connect: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    delay: (attempt) => 100 * (attempt + 1),
    setTimer: (fn, ms) => {
      timers.push({ fn, ms });
      return timers.length;
    },
    clearTimer: () => {},
    ...(onUnauthorized ? { onUnauthorized } : {}),
  });
  const runTimers = () => {
    for (const t of timers.splice(0)) t.fn();
  };
  return { events, sockets, timers, runTimers };
}

describe('event socket', () => {
  it('opens on the first subscription, subscribes once open and delivers events', () => {
    const { events, sockets } = socketHarness();
    const got: unknown[] = [];
    events.subscribe('connection.changed', (d) => got.push(d));
    expect(sockets).toHaveLength(1);
    sockets[0]!.open();
    expect(sockets[0]!.sent).toEqual([{ op: 'subscribe', event: 'connection.changed' }]);
    sockets[0]!.push({ op: 'event', event: 'connection.changed', data: { open: [] } });
    sockets[0]!.push({ op: 'event', event: 'other', data: 1 });
    expect(got).toEqual([{ open: [] }]);
  });

  it('reconnects with growing delays and subscribes again', () => {
    const { events, sockets, timers, runTimers } = socketHarness();
    events.subscribe('a', () => {});
    sockets[0]!.open();
    sockets[0]!.drop(1006);
    expect(timers.map((t) => t.ms)).toEqual([100]);
    runTimers();
    sockets[1]!.drop(1006);
    expect(timers.map((t) => t.ms)).toEqual([200]);
    runTimers();
    sockets[2]!.open();
    expect(sockets[2]!.sent).toEqual([{ op: 'subscribe', event: 'a' }]);
    sockets[2]!.drop(1006);
    expect(timers.map((t) => t.ms)).toEqual([100]); // a successful open resets the backoff
  });

  it('unsubscribes when the last listener of an event leaves', () => {
    const { events, sockets } = socketHarness();
    const off1 = events.subscribe('a', () => {});
    const off2 = events.subscribe('a', () => {});
    sockets[0]!.open();
    off1();
    expect(sockets[0]!.sent).toHaveLength(1);
    off2();
    expect(sockets[0]!.sent).toEqual([
      { op: 'subscribe', event: 'a' },
      { op: 'unsubscribe', event: 'a' },
    ]);
  });

  it('stops on a refused session until resumed after login', () => {
    let told = 0;
    const { events, sockets, timers } = socketHarness(() => {
      told++;
    });
    events.subscribe('a', () => {});
    sockets[0]!.drop(UNAUTHORIZED_CLOSE_CODE);
    expect(told).toBe(1);
    expect(timers).toHaveLength(0);
    events.resume();
    expect(sockets).toHaveLength(2);
  });
});

describe('reconnect delay', () => {
  it('doubles from 0.5 s up to 30 s with +-20 % jitter', () => {
    expect(reconnectDelay(0, () => 0.5)).toBe(500);
    expect(reconnectDelay(1, () => 0.5)).toBe(1000);
    expect(reconnectDelay(3, () => 0)).toBe(3200);
    expect(reconnectDelay(30, () => 1)).toBe(MAX_RECONNECT_DELAY_MS);
    expect(reconnectDelay(2, () => 1)).toBe(2400);
  });
});

describe('web transport', () => {
  type Req = { url: string; init: RequestInit };
  const harness = (respond: (req: Req) => Response | Promise<Response>) => {
    const requests: Req[] = [];
    const sockets: FakeSocket[] = [];
    const transport = createWebTransport({
      origin: 'http://127.0.0.1:8765',
      fetch: (async (url: string, init: RequestInit) => {
        const req = { url, init };
        requests.push(req);
        return respond(req);
      }) as typeof fetch,
      connectSocket: (url) => {
        const s = new FakeSocket(url);
        sockets.push(s);
        return s;
      },
    });
    return { transport, requests, sockets };
  };
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  it('POSTs the input as JSON to /rpc/<method> with the same-origin cookie', async () => {
    const { transport, requests } = harness(() => json({ ok: true, value: { done: true } }));
    expect(await transport.call('connection.close', { connectionId: 'a' })).toEqual({
      ok: true,
      value: { done: true },
    });
    expect(requests[0]!.url).toBe('http://127.0.0.1:8765/rpc/connection.close');
    expect(requests[0]!.init).toMatchObject({
      method: 'POST',
      credentials: 'same-origin',
      body: '{"connectionId":"a"}',
    });
    await transport.call('app.info', undefined);
    expect(requests[1]!.init.body).toBe('{}');
  });

  it("passes the server's error envelopes through, whatever the HTTP status", async () => {
    const error = { code: 'UNAUTHORIZED', message: 'Not logged in.', hint: 'Open the link.' };
    const { transport } = harness(() => json({ ok: false, error }, 401));
    expect(await transport.call('app.info', {})).toEqual({ ok: false, error });
  });

  it('turns answers without an envelope and network failures into envelopes that say what to do', async () => {
    const bare401 = harness(() => new Response('nope', { status: 401 }));
    expect(await bare401.transport.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const proxy = harness(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(await proxy.transport.call('app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: expect.stringMatching(/502/) },
    });
    const down = harness(() => {
      throw new TypeError('Failed to fetch');
    });
    const res = await down.transport.call('app.info', {});
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL', hint: expect.stringMatching(/joinery serve/) } });
  });

  it('logs in at /auth/login and then retries a refused event socket', async () => {
    const { transport, requests, sockets } = harness(() => json({ ok: true, value: { loggedIn: true } }));
    transport.subscribe('a', () => {});
    sockets[0]!.drop(UNAUTHORIZED_CLOSE_CODE);
    expect((await transport.login('tok')).ok).toBe(true);
    expect(requests[0]!.url).toBe('http://127.0.0.1:8765/auth/login');
    expect(requests[0]!.init.body).toBe('{"token":"tok"}');
    expect(sockets).toHaveLength(2);
    expect(sockets[1]!.url).toBe('ws://127.0.0.1:8765/events');
  });

  it('derives the events URL from the page origin', () => {
    expect(eventsUrl('http://127.0.0.1:8765')).toBe('ws://127.0.0.1:8765/events');
    expect(eventsUrl('https://lab.example.org')).toBe('wss://lab.example.org/events');
  });
});

describe('IPC transport', () => {
  it('passes envelopes through and turns bridge failures into envelopes', async () => {
    const t = createIpcTransport({
      invoke: async (m) => (m === 'ok' ? { ok: true, value: 1 } : { nonsense: true }),
      subscribe: () => () => {},
    });
    expect(await t.call('ok', {})).toEqual({ ok: true, value: 1 });
    expect(await t.call('bad', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const broken = createIpcTransport({
      invoke: async () => {
        throw new Error('channel closed');
      },
      subscribe: () => () => {},
    });
    expect(await broken.call('x', {})).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/channel closed/) },
    });
  });
});

describe('login token', () => {
  it('takes the token out of the URL and keeps everything else', () => {
    expect(splitLoginToken('http://127.0.0.1:8765/?token=abc')).toEqual({
      token: 'abc',
      cleanUrl: 'http://127.0.0.1:8765/',
    });
    expect(splitLoginToken('http://h/?x=1&token=abc#/jobs')).toEqual({ token: 'abc', cleanUrl: 'http://h/?x=1#/jobs' });
    expect(splitLoginToken('http://h/#/jobs')).toEqual({ token: null, cleanUrl: 'http://h/#/jobs' });
    expect(splitLoginToken('http://h/?token=')).toMatchObject({ token: null });
  });
});
