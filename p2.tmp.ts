import mysql from 'mysql2/promise';
import { createTestCore } from './test/support/core';
import { MYSQL_URL } from './test/support/mysql';
const schema = 'jt_qprof2';
const conn = await mysql.createConnection({ host: '127.0.0.1', user: 'root', dateStrings: true, supportBigNumbers: true, bigNumberStrings: false, decimalNumbers: false, charset: 'utf8mb4' });
await conn.query(`DROP DATABASE IF EXISTS ${schema}`); await conn.query(`CREATE DATABASE ${schema}`); await conn.query(`USE ${schema}`);
await conn.query('CREATE TABLE subject (subject_id INT NOT NULL, species VARCHAR(32) NOT NULL, date_of_birth DATE NOT NULL, PRIMARY KEY (subject_id))');
await conn.query('CREATE TABLE session (subject_id INT NOT NULL, session_idx SMALLINT UNSIGNED NOT NULL, session_date DATE NOT NULL, rig VARCHAR(8) NOT NULL, PRIMARY KEY (subject_id, session_idx))');
await conn.query('CREATE TABLE _trial (subject_id INT NOT NULL, session_idx SMALLINT UNSIGNED NOT NULL, trial_idx INT NOT NULL, outcome VARCHAR(16) NOT NULL, rt DOUBLE NOT NULL, score DECIMAL(6,2) NULL, PRIMARY KEY (subject_id, session_idx, trial_idx))');
const subj = [], sess = [], tr = [];
for (let s = 1; s <= 100; s++) { subj.push([s, 'mus', '2023-01-01']); for (let k = 1; k <= 10; k++) { sess.push([s, k, '2024-01-01', 'A']); for (let t = 1; t <= 100; t++) tr.push([s, k, t, 'hit', t * 1.5, t % 10 ? 1.25 : null]); } }
await conn.query('INSERT INTO subject VALUES ?', [subj]); await conn.query('INSERT INTO session VALUES ?', [sess]);
for (let i = 0; i < tr.length; i += 5000) await conn.query('INSERT INTO _trial VALUES ?', [tr.slice(i, i + 5000)]);
const { core } = createTestCore('cli');
const ctx = { transport: 'in-process', host: 'cli' } as const;
const open = await core.dispatch('connection.open', { url: MYSQL_URL }, ctx) as any;
const connectionId = open.value.id;
const svc = core.services.query;
const db = core.services.connections.driver(connectionId);
const input = { connectionId, query: 'Subject * Session * Trial', schemas: [schema] };
const prev = await svc.preview(input);
const sql = prev.sql.mysql.sql;
const fns: Record<string, () => Promise<unknown>> = {
  dispatchA: () => core.dispatch('query.fetch', { ...input, limit: null }, ctx),
  raw: () => conn.query(sql),
  driver: () => db.query(sql),
  prepare: () => svc.prepare(db, input.query, [schema]),
  service: () => svc.fetch({ ...input, limit: null, offset: 0 }),
  dispatch: () => core.dispatch('query.fetch', { ...input, limit: null }, ctx),
};
const best: Record<string, number> = {};
for (let r = 0; r < 16; r++) for (const [k, f] of (r % 2 ? Object.entries(fns).reverse() : Object.entries(fns))) { const t = performance.now(); await f(); const d = performance.now() - t; best[k] = Math.min(best[k] ?? 1e9, d); }
console.log(Object.fromEntries(Object.entries(best).map(([k, v]) => [k, v.toFixed(1)])));
await conn.query(`DROP DATABASE ${schema}`); await conn.end(); await core.dispose();
