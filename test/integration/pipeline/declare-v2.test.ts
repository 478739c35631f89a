import type { RowDataPacket } from 'mysql2';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/container';
import type { AttributeInfo, PipelineInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import type { DeclareResult } from '../../../shared/api/schemas/schema';
import { createCoreWithLabstore, fixture2CreateTables, fixture2Declaration } from '../../support/declare-v2';
import { openDriver } from '../../../electron/core/db/open-driver';
import { parseDefinition } from '../../../shared/model/definition';
import { isSkipped } from '../../support/env';
import { expectedFixture2 } from '../../support/fixture';
import { pick, TABLE_FIELDS, V2_ATTRIBUTE_FIELDS } from '../../support/inspect-fixture';
import { dropDatabases, MYSQL_URL, rawMysql, uniqueDbName } from '../../support/mysql';

/**
 * Joinery declares DataJoint 2.3.2's reference fixture (the same definitions, in 2.x conventions)
 * on MariaDB and on SQLite: the CREATE TABLE text equals the dump's (MariaDB), `~lineage` holds
 * the rows 2.x wrote, and `inspect` reads every table back with zero differences from the
 * fixture's ground truth. A 0.14 schema is declared beside it on the same server.
 */

const ctx = { transport: 'in-process' as const, host: 'cli' as const };
// the declared tables are empty and have no job queues yet: row counts and populate are not compared
const DECLARED_FIELDS = TABLE_FIELDS.filter((f) => f !== 'row_count');

async function call<T>(core: Core, method: string, input: object): Promise<T> {
  const res = await core.dispatch(method, input, ctx);
  if (!res.ok) throw new Error(`${method}: ${res.error.message}`);
  return res.value as T;
}

/** 2.x's lineage rows, less those of the `~~` job queues (2.x writes them when populate makes a queue). */
function declaredLineage(db: string): Record<string, string>[] {
  const rows = expectedFixture2().schemas[db].lineage as Record<string, string>[];
  return rows.filter((r) => !r.table_name!.startsWith('~~')).sort(byAttribute);
}

const byAttribute = (a: Record<string, string>, b: Record<string, string>) =>
  `${a.table_name}.${a.attribute_name}`.localeCompare(`${b.table_name}.${b.attribute_name}`);

/** SQLite records the type DataJoint declared; MariaDB reports its `json` columns as longtext. */
function sqliteView(a: Record<string, unknown>): Record<string, unknown> {
  return a.sql_type === 'longtext' ? { ...a, sql_type: 'json' } : a;
}

function expectSameAsFixture(info: PipelineInfo, rename: (s: string) => string, engine: 'mysql' | 'sqlite'): void {
  const expected = expectedFixture2();
  for (const db of ['dj2ref_lab', 'dj2ref_ephys']) {
    const mine = JSON.parse(
      rename(JSON.stringify(info.schemas[Object.keys(info.schemas).find((s) => rename(s) === db)!])),
    );
    expect(mine.conventions, db).toBe('2');
    expect(mine.hidden_tables, db).toEqual(['~lineage']);
    for (const want of expected.schemas[db].tables as TableInfo[]) {
      const got = (mine.tables as TableInfo[]).find((t) => t.table_name === want.table_name)!;
      expect(got, want.full_name).toBeDefined();
      expect(pick(got, DECLARED_FIELDS), want.full_name).toEqual(pick(want, DECLARED_FIELDS));
      const view = (a: AttributeInfo) => pick(a, V2_ATTRIBUTE_FIELDS);
      const wantAttrs = want.attributes.map(view).map((a) => (engine === 'sqlite' ? sqliteView(a) : a));
      expect(got.attributes.map(view), want.full_name).toEqual(wantAttrs);
    }
  }
}

async function declareFixture(core: Core, connectionId: string, schemaOf: (s: string) => string) {
  return call<DeclareResult>(core, 'table.declare', {
    connectionId,
    tables: fixture2Declaration(schemaOf),
    conventions: '2',
  });
}

/** The rows of a schema's `~lineage`, read with the engine's own driver. */
async function lineageOf(url: string, schema: string): Promise<Record<string, string>[]> {
  const db = await openDriver({ url });
  try {
    return await db.query<Record<string, string>>(
      `SELECT table_name, attribute_name, lineage FROM ${db.dialect.qualify(schema, '~lineage')}`,
    );
  } finally {
    await db.close();
  }
}

describe.skipIf(isSkipped('mysql'))('declaring DataJoint 2.x on MariaDB', () => {
  const prefix = uniqueDbName('jt_d2');
  const names = { dj2ref_lab: `${prefix}_lab`, dj2ref_ephys: `${prefix}_ephys` };
  const old = `${prefix}_old`;
  const schemaOf = (s: string) => names[s as keyof typeof names];
  const rename = (s: string) =>
    s.replaceAll(names.dj2ref_lab, 'dj2ref_lab').replaceAll(names.dj2ref_ephys, 'dj2ref_ephys');
  let core: Core;
  let dataDir: string;
  let connectionId: string;
  let declared: DeclareResult;

  beforeAll(async () => {
    ({ core, dataDir } = createCoreWithLabstore());
    connectionId = (await call<{ id: string }>(core, 'connection.open', { url: MYSQL_URL })).id;
    declared = await declareFixture(core, connectionId, schemaOf);
    await call(core, 'table.declare', {
      connectionId,
      conventions: '0.14',
      tables: [{ schema: old, class_name: 'Mouse', tier: 'Manual', definition: 'mouse_id : int\n---\nweight : float' }],
    });
  });
  afterAll(async () => {
    await core?.dispose();
    await dropDatabases([names.dj2ref_ephys, names.dj2ref_lab, old]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('declares every table of the fixture, the new schemas in 2.x conventions', () => {
    expect(declared.declared).toHaveLength(13);
    expect(declared.schemasCreated.sort()).toEqual(Object.values(names).sort());
    expect(declared.conventions).toEqual({ [names.dj2ref_lab]: '2', [names.dj2ref_ephys]: '2' });
  });

  it('writes the CREATE TABLE of every table exactly as DataJoint 2.3.2 did (SHOW CREATE TABLE)', async () => {
    const want = fixture2CreateTables();
    const c = await rawMysql();
    try {
      for (const [fixtureName, text] of want) {
        const [db, table] = [
          fixtureName.slice(0, fixtureName.indexOf('.')),
          fixtureName.slice(fixtureName.indexOf('.') + 1),
        ];
        if (table.startsWith('~~')) continue; // job queues are made by populate, not by declare
        const [rows] = await c.query<RowDataPacket[]>(`SHOW CREATE TABLE \`${schemaOf(db)}\`.\`${table}\``);
        expect(rename(String(rows[0]!['Create Table'])), fixtureName).toBe(text);
      }
    } finally {
      await c.end();
    }
  });

  it('writes the ~lineage rows DataJoint 2.3.2 wrote', async () => {
    for (const db of ['dj2ref_lab', 'dj2ref_ephys'] as const) {
      const got = JSON.parse(rename(JSON.stringify(await lineageOf(MYSQL_URL, schemaOf(db)))));
      expect(got.sort(byAttribute), db).toEqual(declaredLineage(db));
    }
  });

  it('inspects the declared schemas with zero differences from the ground truth, beside a 0.14 schema', async () => {
    const info = await call<PipelineInfo>(core, 'pipeline.inspect', {
      connectionId,
      schemas: [...Object.values(names), old],
    });
    expectSameAsFixture(info, rename, 'mysql');
    expect(info.schemas[old]!.conventions).toBe('0.14');
    const mouse = info.schemas[old]!.tables[0]!;
    expect(mouse.attributes.map((a) => a.sql_comment)).toEqual(['', '']);
  });
});

describe('declaring DataJoint 2.x on SQLite', () => {
  const schemaOf = (s: string) => s;
  let core: Core;
  let dataDir: string;
  let connectionId: string;
  let url: string;

  beforeAll(async () => {
    ({ core, dataDir } = createCoreWithLabstore());
    url = `sqlite:${path.join(dataDir, 'd2.db')}`;
    connectionId = (await call<{ id: string }>(core, 'connection.open', { url })).id;
    await declareFixture(core, connectionId, schemaOf);
    await call(core, 'table.declare', {
      connectionId,
      conventions: '0.14',
      tables: [
        { schema: 'old', class_name: 'Mouse', tier: 'Manual', definition: 'mouse_id : int\n---\nweight : float' },
      ],
    });
  });
  afterAll(async () => {
    await core?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the ~lineage rows DataJoint 2.3.2 wrote', async () => {
    for (const db of ['dj2ref_lab', 'dj2ref_ephys'] as const) {
      const got = await lineageOf(url, db);
      expect(got.sort(byAttribute), db).toEqual(declaredLineage(db));
    }
  });

  it('inspects the declared schemas with zero differences from the ground truth, beside a 0.14 schema', async () => {
    const info = await call<PipelineInfo>(core, 'pipeline.inspect', { connectionId });
    expectSameAsFixture(info, (s) => s, 'sqlite');
    expect(info.schemas.old!.conventions).toBe('0.14');
  });

  it('describes every declared table as a definition that reads back in 2.x conventions (the designer edits it)', async () => {
    const info = await call<PipelineInfo>(core, 'pipeline.inspect', {
      connectionId,
      schemas: ['dj2ref_lab', 'dj2ref_ephys'],
    });
    for (const s of Object.values(info.schemas)) {
      for (const t of s.tables) {
        const { definition } = await call<{ definition: string }>(core, 'table.describe', {
          connectionId,
          schema: t.schema,
          table: t.table_name,
        });
        expect(() => parseDefinition(definition, { conventions: '2' }), `${t.full_name}:\n${definition}`).not.toThrow();
        expect(definition, t.full_name).not.toContain('_singleton');
      }
    }
  });
});
