import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbDriver } from '../../../electron/core/db/driver';
import { BetterSqlite3Driver } from '../../../electron/core/db/sqlite-driver';
import { AppError } from '../../../shared/errors';
import { isSkipped } from '../../support/env';
import { dropDatabases, openTestMysql, uniqueDbName } from '../../support/mysql';
import { createTestDatabase, dropTestDatabase, openTestPostgres } from '../../support/postgres';

/**
 * One suite, every engine: the DbDriver contract (binding, types, transactions, errors as
 * AppErrors, streaming) must hold the same on real SQLite and real MariaDB.
 */
interface Engine {
  name: string;
  skip: boolean;
  open(): Promise<{ db: DbDriver; table: (t: string) => string; cleanup(): Promise<void> }>;
}

const PREFIX = 'jt_conf';
const engines: Engine[] = [
  {
    name: 'sqlite',
    skip: false,
    async open() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-conf-'));
      const db = BetterSqlite3Driver.open({ path: path.join(dir, 't.db'), url: 'sqlite:t.db' });
      return {
        db,
        table: (t) => db.dialect.qualify('conf', t),
        cleanup: async () => {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'mysql',
    skip: isSkipped('mysql'),
    async open() {
      const db = await openTestMysql();
      const schema = uniqueDbName(PREFIX);
      await db.execute(`CREATE DATABASE ${db.dialect.quoteIdent(schema)}`);
      return {
        db,
        table: (t) => db.dialect.qualify(schema, t),
        cleanup: async () => {
          await db.close();
          await dropDatabases(PREFIX);
        },
      };
    },
  },
  {
    name: 'postgres',
    skip: isSkipped('postgres'),
    async open() {
      // a database of its own for this file, its schema inside it
      const { name } = await createTestDatabase(PREFIX);
      const db = await openTestPostgres(name);
      await db.execute(`CREATE SCHEMA ${db.dialect.quoteIdent('conf')}`);
      return {
        db,
        table: (t) => db.dialect.qualify('conf', t),
        cleanup: async () => {
          await db.close();
          await dropTestDatabase(name);
        },
      };
    },
  },
];

async function expectCode(p: Promise<unknown>, code: string): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  return e as AppError;
}

describe.each(engines)('DbDriver conformance: $name', (engine) => {
  let db: DbDriver;
  let T: (t: string) => string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (engine.skip) return;
    ({ db, table: T, cleanup } = await engine.open());
    const int = db.dialect.name === 'mysql' ? 'INT' : 'INTEGER';
    await db.execute(`CREATE TABLE ${T('parent')} (id ${int} NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL)`);
    const blob = db.dialect.name === 'postgres' ? 'BYTEA' : 'BLOB';
    await db.execute(`CREATE TABLE ${T('child')} (id ${int} NOT NULL PRIMARY KEY, parent_id ${int} NOT NULL, payload ${blob} NULL, note VARCHAR(255) NULL,
      FOREIGN KEY (parent_id) REFERENCES ${T('parent')} (id) ON UPDATE CASCADE ON DELETE RESTRICT)`);
  });
  afterAll(async () => {
    if (!engine.skip) await cleanup();
  });

  it.skipIf(engine.skip)('reports its server version', async () => {
    expect(await db.serverVersion()).toMatch(
      engine.name === 'sqlite' ? /^SQLite 3\./ : /MariaDB|^\d+\.|^PostgreSQL \d+/,
    );
  });

  it.skipIf(engine.skip)('binds values instead of splicing them', async () => {
    const hostile = "x'); DROP TABLE parent; --";
    await db.execute(`INSERT INTO ${T('parent')} (id, name) VALUES (?, ?)`, [1, hostile]);
    const rows = await db.query<{ id: number; name: string }>(`SELECT id, name FROM ${T('parent')} WHERE name = ?`, [
      hostile,
    ]);
    expect(rows).toEqual([{ id: 1, name: hostile }]);
  });

  it.skipIf(engine.skip)('round-trips null, unicode, booleans and binary', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 0]);
    await db.execute(`INSERT INTO ${T('child')} (id, parent_id, payload, note) VALUES (?, ?, ?, ?)`, [
      10,
      1,
      bytes,
      'µm ✓ 漢字',
    ]);
    await db.execute(`INSERT INTO ${T('child')} (id, parent_id, payload, note) VALUES (?, ?, ?, ?)`, [
      11,
      1,
      null,
      null,
    ]);
    const rows = await db.query<{ payload: Buffer | null; note: string | null }>(
      `SELECT payload, note FROM ${T('child')} WHERE id IN (?, ?) ORDER BY id`,
      [10, 11],
    );
    expect(Buffer.compare(rows[0]!.payload!, bytes)).toBe(0);
    expect(rows[0]!.note).toBe('µm ✓ 漢字');
    expect(rows[1]).toEqual({ payload: null, note: null });
    const [b] = await db.query<{ v: number }>('SELECT ? AS v', [true]);
    expect(Number(b!.v)).toBe(1);
  });

  it.skipIf(engine.skip)('reports affected rows', async () => {
    const r = await db.execute(`UPDATE ${T('child')} SET note = ? WHERE parent_id = ?`, ['n', 1]);
    expect(r.affectedRows).toBe(2);
  });

  it.skipIf(engine.skip)('commits a transaction and rolls one back on error', async () => {
    await db.transaction(async (tx) => {
      await tx.execute(`INSERT INTO ${T('parent')} (id, name) VALUES (?, ?)`, [2, 'two']);
    });
    await expectCode(
      db.transaction(async (tx) => {
        await tx.execute(`INSERT INTO ${T('parent')} (id, name) VALUES (?, ?)`, [3, 'three']);
        await tx.execute(`INSERT INTO ${T('parent')} (id, name) VALUES (?, ?)`, [2, 'dup']);
      }),
      'CONFLICT',
    );
    const ids = (await db.query<{ id: number }>(`SELECT id FROM ${T('parent')} ORDER BY id`)).map((r) => r.id);
    expect(ids).toEqual([1, 2]);
  });

  it.skipIf(engine.skip)('undoes only the failed statement of a transaction, which goes on', async () => {
    await db.transaction(async (tx) => {
      const add = (id: number, name: string) =>
        tx.execute(`INSERT INTO ${T('parent')} (id, name) VALUES (?, ?)`, [id, name]);
      await add(50, 'a');
      await add(51, 'b');
      await tx.execute(`UPDATE ${T('parent')} SET name = ? WHERE id = ?`, ['a2', 50]);
      await add(52, 'c');
      await add(53, 'd');
      await expectCode(add(51, 'dup'), 'CONFLICT');
      await expectCode(
        tx.execute(`INSERT INTO ${T('child')} (id, parent_id) VALUES (?, ?)`, [900, 12345]),
        'CONSTRAINT',
      );
      await add(54, 'e');
      await expectCode(add(54, 'dup'), 'CONFLICT');
    });
    // a failure among the first statements of a transaction
    await db.transaction(async (tx) => {
      const add = (id: number, name: string) =>
        tx.execute(`INSERT INTO ${T('parent')} (id, name) VALUES (?, ?)`, [id, name]);
      await add(55, 'f');
      await add(56, 'g');
      await expectCode(add(55, 'dup'), 'CONFLICT');
      await add(57, 'h');
      const [n] = await tx.query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM ${T('parent')} WHERE id >= ? AND id <= ?`,
        [55, 57],
      );
      expect(Number(n!.n)).toBe(3);
    });
    const rows = await db.query<{ id: number; name: string }>(
      `SELECT id, name FROM ${T('parent')} WHERE id BETWEEN ? AND ? ORDER BY id`,
      [50, 59],
    );
    expect(rows.map((r) => [Number(r.id), r.name])).toEqual([
      [50, 'a2'],
      [51, 'b'],
      [52, 'c'],
      [53, 'd'],
      [54, 'e'],
      [55, 'f'],
      [56, 'g'],
      [57, 'h'],
    ]);
  });

  it.skipIf(engine.skip)('isolates concurrent transactions', async () => {
    const add = (id: number) =>
      db.transaction(async (tx) => {
        const [row] = await tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${T('parent')}`);
        await tx.execute(`INSERT INTO ${T('parent')} (id, name) VALUES (?, ?)`, [id, `n${row!.n}`]);
      });
    await Promise.all([add(100), add(101), add(102), add(103)]);
    const [row] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${T('parent')} WHERE id >= 100`);
    expect(Number(row!.n)).toBe(4);
  });

  it.skipIf(engine.skip)('translates constraint errors into AppErrors', async () => {
    await expectCode(db.execute(`INSERT INTO ${T('parent')} (id, name) VALUES (?, ?)`, [1, 'again']), 'CONFLICT');
    await expectCode(db.execute(`INSERT INTO ${T('child')} (id, parent_id) VALUES (?, ?)`, [99, 12345]), 'CONSTRAINT');
    await expectCode(db.execute(`DELETE FROM ${T('parent')} WHERE id = ?`, [1]), 'CONSTRAINT');
    await expectCode(db.execute(`INSERT INTO ${T('parent')} (id, name) VALUES (?, ?)`, [7, null]), 'CONSTRAINT');
    await expectCode(db.query(`SELECT * FROM ${T('no_such_table')}`), 'NOT_FOUND');
    await expectCode(db.query('SELEC nonsense'), 'DB_QUERY');
  });

  it.skipIf(engine.skip)('cascades key updates to children', async () => {
    await db.execute(`UPDATE ${T('parent')} SET id = ? WHERE id = ?`, [1000, 1]);
    const rows = await db.query<{ parent_id: number }>(`SELECT DISTINCT parent_id FROM ${T('child')}`);
    expect(rows.map((r) => Number(r.parent_id))).toEqual([1000]);
  });

  it.skipIf(engine.skip)('streams large results row by row', async () => {
    await db.transaction(async (tx) => {
      for (let i = 0; i < 20; i++) {
        const values = Array.from({ length: 100 }, (_, j) => [5000 + i * 100 + j, `bulk${j}`]);
        await tx.execute(
          `INSERT INTO ${T('parent')} (id, name) VALUES ${values.map(() => '(?, ?)').join(', ')}`,
          values.flat(),
        );
      }
    });
    let n = 0;
    let sum = 0;
    for await (const row of db.stream<{ id: number }>(
      `SELECT id FROM ${T('parent')} WHERE id >= ? ORDER BY id`,
      [5000],
    )) {
      n++;
      sum += Number(row.id);
    }
    expect(n).toBe(2000);
    expect(sum).toBe(Array.from({ length: 2000 }, (_, i) => 5000 + i).reduce((a, b) => a + b, 0));
    // the driver is usable again after a stream
    expect(await db.query(`SELECT 1 AS one`)).toEqual([{ one: 1 }]);
  });
});
