import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Envelope } from '../../../shared/api/envelope';
import { SESSION_COOKIE } from '../../../shared/api/wire';
import { startWebServer, type WebServer } from '../../../electron/headless/web-server';
import type { Core } from '../../../electron/core/container';
import { createTestCore, fakeRendererDir } from '../../support/core';

/** The same calls in-process, over HTTP and over the WebSocket must give the same envelopes. */
describe('transport parity', () => {
  let core: Core;
  let dataDir: string;
  let server: WebServer;
  let cookie: string;
  let ws: WebSocket;
  const pending = new Map<number, (e: Envelope<unknown>) => void>();
  const events: unknown[] = [];
  let nextId = 1;

  beforeAll(async () => {
    ({ core, dataDir } = createTestCore('web'));
    server = await startWebServer({ core, host: '127.0.0.1', port: 0, rendererDir: fakeRendererDir() });
    const login = await fetch(server.loginUrl, { redirect: 'manual' });
    expect(login.status).toBe(303);
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(login.headers.get('set-cookie')).toMatch(/SameSite=Strict/);
    ws = new WebSocket(`${server.url.replace('http', 'ws')}/events`, { headers: { cookie } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw));
      if (msg.op === 'result') pending.get(msg.id)?.(msg.envelope);
      else events.push(msg);
    });
    ws.send(JSON.stringify({ op: 'subscribe', event: 'connection.changed' }));
  });
  afterAll(async () => {
    ws?.close();
    await server?.close();
    await core?.dispose();
  });

  const viaCore = (method: string, input: unknown) =>
    core.dispatch(method, input, { transport: 'in-process', host: 'web' });
  const viaHttp = async (method: string, input: unknown, headers: Record<string, string> = { cookie }) => {
    const res = await fetch(`${server.url}/rpc/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(input),
    });
    return { status: res.status, body: (await res.json()) as Envelope<unknown> };
  };
  const viaWs = (method: string, input: unknown) =>
    new Promise<Envelope<unknown>>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ op: 'call', id, method, input }));
    });

  it('gives the same answers on all three transports', async () => {
    const db = `sqlite:${path.join(dataDir, 'parity.db')}`;
    const opened = await viaCore('connection.open', { url: db });
    expect(opened.ok).toBe(true);
    const id = (opened as { value: { id: string } }).value.id;
    const calls: [string, unknown][] = [
      ['app.info', {}],
      ['connection.open', { url: db }],
      ['connection.list', {}],
      ['pipeline.inspect', { connectionId: id }],
      ['pipeline.inspect', { connectionId: 'nope' }],
      ['connection.open', { url: 'postgres://x' }],
      ['connection.open', { url: 7 }],
      ['no.such', {}],
    ];
    for (const [method, input] of calls) {
      const a = await viaCore(method, input);
      const b = (await viaHttp(method, input)).body;
      const c = await viaWs(method, input);
      expect(b, `${method} over HTTP`).toEqual(a);
      expect(c, `${method} over WebSocket`).toEqual(a);
    }
  });

  it('pushes events to subscribed sockets', async () => {
    const before = events.length;
    await viaCore('connection.open', { url: `sqlite:${path.join(dataDir, 'events.db')}` });
    await expect.poll(() => events.length).toBeGreaterThan(before);
    expect(events.at(-1)).toMatchObject({ op: 'event', event: 'connection.changed' });
  });

  it('refuses calls without the session cookie (401) or with a wrong token', async () => {
    const r = await viaHttp('app.info', {}, {});
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const forged = await viaHttp('app.info', {}, { cookie: `${SESSION_COOKIE}=forged` });
    expect(forged.status).toBe(401);
    const badToken = await fetch(`${server.url}/?token=wrong`, { redirect: 'manual' });
    expect(badToken.status).toBe(303);
    expect(badToken.headers.get('set-cookie')).toBeNull();
    const login = await fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'wrong' }),
    });
    expect(login.status).toBe(401);
  });

  it('refuses cross-origin calls and sockets', async () => {
    const r = await viaHttp('app.info', {}, { cookie, origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    const evil = new WebSocket(`${server.url.replace('http', 'ws')}/events`, {
      headers: { cookie, origin: 'http://evil.example' },
    });
    const code = await new Promise<number>((resolve) => evil.on('close', (c) => resolve(c)));
    expect(code).toBe(4401);
    const anonymous = new WebSocket(`${server.url.replace('http', 'ws')}/events`);
    expect(await new Promise<number>((resolve) => anonymous.on('close', (c) => resolve(c)))).toBe(4401);
  });

  it('answers a malformed body with a VALIDATION envelope', async () => {
    const res = await fetch(`${server.url}/rpc/app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('serves the UI with a content security policy, on 127.0.0.1 only', async () => {
    const res = await fetch(`${server.url}/`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
