import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../../shared/api/envelope';
import type { Core } from '../../../electron/core/container';
import { startWebServer, type WebServer } from '../../../electron/headless/web-server';
import { createTestCore, fakeRendererDir } from '../../support/core';
import { isSkipped } from '../../support/env';
import { dropDatabases, MYSQL_URL, rawMysql, uniqueDbName } from '../../support/mysql';

type Reply = { status: number; body: Envelope<unknown>; setCookie: string | null };

/** POSTs JSON to the server as a browser of this origin would. */
async function post(server: WebServer, route: string, input: unknown, cookie?: string): Promise<Reply> {
  const res = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(input),
  });
  return {
    status: res.status,
    body: (await res.json()) as Envelope<unknown>,
    setCookie: res.headers.get('set-cookie'),
  };
}

const cookieOf = (r: Reply) => r.setCookie!.split(';')[0]!;
const errorOf = (r: Reply) => (r.body as { ok: false; error: { code: string; message: string } }).error;

/** Web mode with the printed token: SQLite confined to the data folder, logout, idle expiry. */
describe('web mode with the token login', () => {
  let core: Core;
  let dataDir: string;
  let server: WebServer;
  let cookie: string;
  let clock = 0;

  beforeAll(async () => {
    ({ core, dataDir } = createTestCore('web'));
    server = await startWebServer({
      core,
      host: '127.0.0.1',
      port: 0,
      rendererDir: fakeRendererDir(),
      sessionIdleMs: 60_000,
      now: () => clock,
    });
    const token = new URL(server.loginUrl).searchParams.get('token');
    cookie = cookieOf(await post(server, '/auth/login', { token }));
  });
  afterAll(async () => {
    await server?.close();
    await core?.dispose();
  });

  it('refuses SQLite files outside the data folder, naming the folder, and creates nothing', async () => {
    const outside = path.join(os.tmpdir(), `joinery-outside-${process.pid}.db`);
    for (const url of [`sqlite:${outside}`, 'sqlite:/etc/joinery-x.db', 'sqlite:../escape.db']) {
      const r = await post(server, '/rpc/connection.open', { url }, cookie);
      expect(errorOf(r).code, url).toBe('FORBIDDEN');
      expect(errorOf(r).message).toContain(`SQLite files must be inside the data folder ${dataDir}`);
    }
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(path.join(path.dirname(dataDir), 'escape.db'))).toBe(false);
  });

  it('opens and creates SQLite files inside the data folder, relative paths included', async () => {
    const r = await post(server, '/rpc/connection.open', { url: 'sqlite:lab.db' }, cookie);
    expect(r.body.ok).toBe(true);
    expect(existsSync(path.join(dataDir, 'lab.db'))).toBe(true);
  });

  it('ends a session after its idle time, and at logout', async () => {
    const token = new URL(server.loginUrl).searchParams.get('token');
    const mine = cookieOf(await post(server, '/auth/login', { token }));
    expect((await post(server, '/rpc/app.info', {}, mine)).status).toBe(200);
    clock += 59_000; // still alive: each request restarts the idle time
    expect((await post(server, '/rpc/app.info', {}, mine)).status).toBe(200);
    clock += 61_000;
    const expired = await post(server, '/rpc/app.info', {}, mine);
    expect(expired.status).toBe(401);
    expect(errorOf(expired).code).toBe('UNAUTHORIZED');

    const other = cookieOf(await post(server, '/auth/login', { token }));
    const out = await post(server, '/auth/logout', {}, other);
    expect(out.setCookie).toMatch(/Max-Age=0/);
    expect((await post(server, '/rpc/app.info', {}, other)).status).toBe(401);
  });
});

/**
 * `--auth mysql`: a real second MariaDB user with rights on one schema only sees only that schema,
 * cannot write where MariaDB forbids it, and cannot open anything else through the server.
 */
describe.skipIf(isSkipped('mysql'))('web mode with MySQL accounts', () => {
  const mine = uniqueDbName('jt_webauth');
  const theirs = `${mine}_other`;
  const user = `jt_web_${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const cores: Core[] = [];
  let server: WebServer;

  beforeAll(async () => {
    const c = await rawMysql();
    try {
      for (const db of [mine, theirs])
        await c.query(
          `CREATE DATABASE \`${db}\`; CREATE TABLE \`${db}\`.subject (subject_id int NOT NULL PRIMARY KEY)`,
        );
      await c.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await c.query(`CREATE USER '${user}'@'localhost' IDENTIFIED BY '${password}'`);
      for (const host of ['%', 'localhost']) await c.query(`GRANT SELECT ON \`${mine}\`.* TO '${user}'@'${host}'`);
    } finally {
      await c.end();
    }
    const { core } = createTestCore('web');
    cores.push(core);
    const u = new URL(MYSQL_URL);
    server = await startWebServer({
      core,
      host: '127.0.0.1',
      port: 0,
      rendererDir: fakeRendererDir(),
      login: {
        kind: 'account',
        host: u.hostname,
        port: Number(u.port || 3306),
        newCore: () => {
          const made = createTestCore('web').core;
          cores.push(made);
          return made;
        },
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    for (const c of cores) await c.dispose().catch(() => {});
    const c = await rawMysql();
    try {
      for (const host of ['%', 'localhost']) await c.query(`DROP USER IF EXISTS '${user}'@'${host}'`);
    } finally {
      await c.end();
    }
    await dropDatabases([mine, theirs]);
  });

  it('refuses a wrong password and says how to log in when not logged in', async () => {
    const bad = await post(server, '/auth/login', { user, password: 'wrong' });
    expect(bad.status).toBe(401);
    expect(errorOf(bad).message).toMatch(/refused the login/);
    expect(JSON.stringify(bad.body)).not.toContain(password);
    const anonymous = await post(server, '/rpc/app.info', {});
    expect(anonymous.status).toBe(401);
    expect((anonymous.body as unknown as { error: { details: { auth: string } } }).error.details.auth).toBe('account');
  });

  it('shows the person only what MariaDB grants them, and lets MariaDB refuse writes', async () => {
    const login = await post(server, '/auth/login', { user, password });
    expect(login.status).toBe(200);
    const cookie = cookieOf(login);
    const list = (await post(server, '/rpc/connection.list', {}, cookie)).body as {
      ok: true;
      value: { open: { id: string; url: string }[] };
    };
    expect(list.value.open).toHaveLength(1);
    expect(list.value.open[0]!.url).toContain(user);
    const connectionId = list.value.open[0]!.id;

    const inspect = (await post(server, '/rpc/pipeline.inspect', { connectionId }, cookie)).body as {
      ok: true;
      value: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(inspect.value.schemas)).toEqual([mine]);

    const write = await post(
      server,
      '/rpc/data.insert',
      { connectionId, schema: mine, table: 'subject', rows: [{ subject_id: 1 }] },
      cookie,
    );
    expect(write.body.ok).toBe(false);
    expect(errorOf(write).message).toMatch(/denied/i);
    const c = await rawMysql();
    const [rows] = await c.query(`SELECT count(*) AS n FROM \`${mine}\`.subject`);
    await c.end();
    expect((rows as { n: number }[])[0]!.n).toBe(0);

    for (const url of ['sqlite:/tmp/x.db', MYSQL_URL]) {
      const other = await post(server, '/rpc/connection.open', { url }, cookie);
      expect(errorOf(other).code, url).toBe('FORBIDDEN');
    }
    await post(server, '/auth/logout', {}, cookie);
    expect((await post(server, '/rpc/connection.list', {}, cookie)).status).toBe(401);
  });
});
