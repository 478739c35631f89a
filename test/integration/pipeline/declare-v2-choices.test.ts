import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/container';
import type { PipelineInfo } from '../../../shared/api/schemas/pipeline';
import { runJoinery } from '../../support/cli';
import { createCoreWithLabstore } from '../../support/declare-v2';
import { isSkipped } from '../../support/env';
import { dropDatabases, MYSQL_URL, rawMysql, uniqueDbName } from '../../support/mysql';
import { createTestDatabase, dropTestDatabase } from '../../support/postgres';

/**
 * The conventions choice where schemas are made (schema.create, table.declare, createSample,
 * `joinery declare --conventions`), the 2.x-only options (`_job_*` columns, singletons), and bad
 * input: codecs Joinery does not know, stores not configured, 0.14 spellings in a 2.x schema,
 * mixing conventions in one schema. Each refused declaration leaves nothing behind.
 */

const ctx = { transport: 'in-process' as const, host: 'cli' as const };
type Outcome = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; hint?: string } };

const engines = [
  { name: 'SQLite', skip: false },
  { name: 'MariaDB', skip: isSkipped('mysql') },
  { name: 'PostgreSQL', skip: isSkipped('postgres') },
] as const;

for (const engine of engines) {
  describe.skipIf(engine.skip)(`conventions choice and bad input on ${engine.name}`, () => {
    const prefix = uniqueDbName('jt_d2c');
    const s = (name: string) => (engine.name === 'MariaDB' ? `${prefix}_${name}` : name);
    let pgDatabase: string | null = null;
    let core: Core;
    let dataDir: string;
    let connectionId: string;
    const call = (method: string, input: object) => core.dispatch(method, input, ctx) as Promise<Outcome>;
    const ok = async <T>(method: string, input: object): Promise<T> => {
      const r = await call(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
      return r.value as T;
    };
    const declare = (schema: string, definition: string, extra: object = {}, tier = 'Manual', cls = 'Thing') =>
      call('table.declare', {
        connectionId,
        tables: [{ schema, class_name: cls, tier, definition }],
        ...extra,
      });
    const inspect = (schemas: string[]) => ok<PipelineInfo>('pipeline.inspect', { connectionId, schemas });
    // asked by name (NOT_FOUND when absent): other runs' schemas on the shared server stay out of it
    const schemaExists = async (schema: string) => {
      const r = await call('pipeline.inspect', { connectionId, schemas: [schema] });
      if (!r.ok && r.error.code !== 'NOT_FOUND') throw new Error(r.error.message);
      return r.ok;
    };

    beforeAll(async () => {
      ({ core, dataDir } = createCoreWithLabstore());
      let url = engine.name === 'SQLite' ? `sqlite:${path.join(dataDir, 'c.db')}` : MYSQL_URL;
      if (engine.name === 'PostgreSQL') ({ name: pgDatabase, url } = await createTestDatabase('jt_d2c'));
      connectionId = (await ok<{ id: string }>('connection.open', { url })).id;
    });
    afterAll(async () => {
      await core?.dispose();
      if (engine.name === 'MariaDB') await dropDatabases(prefix);
      if (pgDatabase) await dropTestDatabase(pgDatabase);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('schema.create in 2.x starts the schema with ~lineage; a later declare without a choice keeps 2.x', async () => {
      await ok('schema.create', { connectionId, name: s('made2'), conventions: '2' });
      expect((await inspect([s('made2')])).schemas[s('made2')]).toMatchObject({
        conventions: '2',
        hidden_tables: ['~lineage'],
      });
      const r = await declare(s('made2'), 'thing_id : int32\n---\nnote : varchar(16)');
      expect(r.ok).toBe(true);
      const t = (await inspect([s('made2')])).schemas[s('made2')]!.tables[0]!;
      expect(t.attributes.map((a) => a.sql_comment)).toEqual([':int32:', ':varchar(16):']);
    });

    it('schema.create without a choice follows the lab setting JOINERY_CONVENTIONS (0.14 in this suite)', async () => {
      await ok('schema.create', { connectionId, name: s('made014') });
      const r = await declare(s('made014'), 'thing_id : int\n---\nnote : varchar(16)');
      expect(r.ok).toBe(true);
      const info = (await inspect([s('made014')])).schemas[s('made014')]!;
      expect(info.conventions).toBe('0.14');
      expect(info.hidden_tables).toEqual([]);
    });

    it('a singleton and the _job_* columns: hidden, never shown as the key or as secondary attributes', async () => {
      const schema = s('single');
      const r = await call('table.declare', {
        connectionId,
        conventions: '2',
        jobMetadata: true,
        tables: [
          { schema, class_name: 'Settings', tier: 'Manual', definition: '# one row\n---\nlab : varchar(32)' },
          { schema, class_name: 'Source', tier: 'Manual', definition: 'source_id : int16\n---\nvalue : float64' },
          { schema, class_name: 'Result', tier: 'Computed', definition: '-> Source\n---\ntotal : float64' },
        ],
      });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      const tables = (await inspect([schema])).schemas[schema]!.tables;
      const settings = tables.find((t) => t.class_name === 'Settings')!;
      expect(settings).toMatchObject({
        primary_key: [],
        secondary_attributes: ['lab'],
        hidden_attributes: ['_singleton'],
      });
      expect(settings.attributes[0]).toMatchObject({ name: '_singleton', in_key: true, datajoint_type: 'bool' });
      const result = tables.find((t) => t.class_name === 'Result')!;
      expect(result.primary_key).toEqual(['source_id']);
      expect(result.secondary_attributes).toEqual(['total']);
      expect(result.hidden_attributes).toEqual(['_job_start_time', '_job_duration', '_job_version']);
      expect(result.attributes.slice(2).map((a) => [a.datajoint_type, a.nullable])).toEqual([
        ['datetime(3)', true],
        ['float32', true],
        ['varchar(64)', true],
      ]);
      // a Manual table never gets them
      expect(tables.find((t) => t.class_name === 'Source')!.hidden_attributes).toEqual([]);
      // the singleton's one row: its hidden key takes its default
      const ins = await call('data.insert', {
        connectionId,
        schema,
        table: 'settings',
        rows: [{ lab: 'Joinery lab' }],
      });
      expect(ins.ok, JSON.stringify(ins)).toBe(true);
      const again = await call('data.insert', { connectionId, schema, table: 'settings', rows: [{ lab: 'second' }] });
      expect(again.ok).toBe(false);
    });

    it('a codec Joinery does not know is refused by name, never guessed; nothing is written', async () => {
      const r = await declare(s('plugin'), 'thing_id : int32\n---\nshape : <mesh>', { conventions: '2' });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('VALIDATION');
      expect(r.error.message).toContain('<mesh> is a codec Joinery does not know');
      expect(r.error.message).toContain('line 3');
      expect(await schemaExists(s('plugin'))).toBe(false);
    });

    it('a store not configured on this machine is an error naming it; nothing is written', async () => {
      const r = await declare(s('nostore'), 'thing_id : int32\n---\nraw : <blob@farstore>', { conventions: '2' });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.message).toContain('"farstore", which is not configured on this machine');
      expect(r.error.message).toContain('attribute raw');
      expect(r.error.hint).toContain("JOINERY_STORES='farstore=");
      expect(await schemaExists(s('nostore'))).toBe(false);
      // the configured store declares
      expect(
        (await declare(s('nostore'), 'thing_id : int32\n---\nraw : <blob@labstore>', { conventions: '2' })).ok,
      ).toBe(true);
    });

    it("0.14's spellings in a 2.x schema are refused with the 2.x spelling to use", async () => {
      const r = await declare(s('spell'), 'thing_id : int32\n---\nraw : blob@labstore', { conventions: '2' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toContain('write <blob@labstore>');
      const key = await declare(s('spell'), 'doc : <attach>\n---\nn : int32', { conventions: '2' });
      expect(key.ok).toBe(false);
      if (!key.ok) expect(key.error.message).toContain('codec attributes cannot be in the primary key');
    });

    it('an existing schema keeps its conventions: asking for the other is an error naming it', async () => {
      const schema = s('mixed');
      expect((await declare(schema, 'a_id : int\n---\nx : int', { conventions: '0.14' }, 'Manual', 'Aa')).ok).toBe(
        true,
      );
      const r = await declare(schema, 'b_id : int32', { conventions: '2' }, 'Manual', 'Bb');
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.error.message).toBe(
          `Schema ${schema} follows DataJoint 0.14 conventions, so tables cannot be declared into it in DataJoint 2 conventions.`,
        );
      const meta = await declare(schema, 'c_id : int', { jobMetadata: true }, 'Computed', 'Cc');
      expect(meta.ok).toBe(false);
      if (!meta.ok) expect(meta.error.message).toContain('_job_* metadata columns are a DataJoint 2 convention');
    });

    it('a singleton cannot be the parent of a foreign key', async () => {
      const schema = s('single');
      const r = await declare(schema, '-> Settings\nthing_id : int32', {}, 'Manual', 'Child');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toContain('has no primary key');
    });

    it('table.preview shows what a 2.x declaration runs: markers, ~lineage and its rows; nothing is written', async () => {
      const schema = s('preview2');
      const preview = await ok<{ tables: { ddl: string[] }[]; errors: unknown[] }>('table.preview', {
        connectionId,
        conventions: '2',
        tables: [{ schema, class_name: 'Probe', tier: 'Manual', definition: 'probe_id : int16\n---\nmap : <blob>' }],
      });
      expect(preview.errors).toEqual([]);
      const ddl = preview.tables[0]!.ddl.join('\n');
      expect(ddl).toContain(':int16:');
      expect(ddl).toContain(':<blob>:');
      expect(ddl).toMatch(/CREATE TABLE IF NOT EXISTS \S*~lineage/);
      expect(ddl).toContain(`'probe', 'probe_id', '${schema}.probe.probe_id'`);
      expect(await schemaExists(schema)).toBe(false);
    });

    it('joins match namesakes of one lineage only, as DataJoint 2 does', async () => {
      const schema = s('lin');
      const r = await call('table.declare', {
        connectionId,
        conventions: '2',
        tables: [
          { schema, class_name: 'Animal', tier: 'Manual', definition: 'animal_id : int32' },
          { schema, class_name: 'Visit', tier: 'Manual', definition: '-> Animal\nvisit : int16' },
          // an animal_id of its own: the same name, another origin
          { schema, class_name: 'Tag', tier: 'Manual', definition: 'animal_id : int32\n---\ncolour : varchar(8)' },
        ],
      });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      const joined = await call('query.count', { connectionId, query: `${schema}.Animal * ${schema}.Visit` });
      expect(joined.ok, JSON.stringify(joined)).toBe(true);
      const refused = await call('query.count', { connectionId, query: `${schema}.Animal * ${schema}.Tag` });
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error.message).toContain(
          `they have different lineages (${schema}.animal.animal_id and ${schema}.tag.animal_id)`,
        );
      }
      // renamed on one side, they no longer meet
      const renamed = `${schema}.Animal * ${schema}.Tag.proj(tag_animal='animal_id')`;
      expect((await call('query.count', { connectionId, query: renamed })).ok).toBe(true);
    });

    it('pipeline.createSample in 2.x conventions: core types, ~lineage', async () => {
      const r = await call('pipeline.createSample', { connectionId, schema: s('sample2'), conventions: '2' });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      const info = (await inspect([s('sample2')])).schemas[s('sample2')]!;
      expect(info.conventions).toBe('2');
      const subject = info.tables.find((t) => t.class_name === 'Subject')!;
      expect(subject.attributes.find((a) => a.name === 'subject_id')!.datajoint_type).toBe('int32');
      expect(subject.row_count).toBe(3);
    });
  });
}

describe.skipIf(isSkipped('mysql'))('a 2.x type Joinery does not know, read from a database', () => {
  const db = uniqueDbName('jt_d2p');
  let core: Core;
  let dataDir: string;

  beforeAll(async () => {
    ({ core, dataDir } = createCoreWithLabstore());
    const c = await rawMysql();
    try {
      await c.query(`CREATE DATABASE \`${db}\``);
      await c.query(
        `CREATE TABLE \`${db}\`.\`~lineage\` (table_name varchar(64) NOT NULL, attribute_name varchar(64) NOT NULL, lineage varchar(255) NOT NULL, PRIMARY KEY (table_name, attribute_name))`,
      );
      await c.query(
        `CREATE TABLE \`${db}\`.\`shape\` (shape_id int NOT NULL COMMENT ':int32:', mesh longblob NOT NULL COMMENT ':<mesh>:a plugin codec', PRIMARY KEY (shape_id))`,
      );
      await c.query(`INSERT INTO \`${db}\`.\`shape\` VALUES (1, X'00ff10')`);
    } finally {
      await c.end();
    }
  });
  afterAll(async () => {
    await core?.dispose();
    await dropDatabases([db]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is shown as its codec and read as raw bytes', async () => {
    const open = await core.dispatch('connection.open', { url: MYSQL_URL }, ctx);
    if (!open.ok) throw new Error(open.error.message);
    const connectionId = (open.value as { id: string }).id;
    const res = await core.dispatch('pipeline.inspect', { connectionId, schemas: [db] }, ctx);
    if (!res.ok) throw new Error(res.error.message);
    const meshAttr = (res.value as PipelineInfo).schemas[db]!.tables[0]!.attributes[1]!;
    expect(meshAttr).toMatchObject({
      datajoint_type: '<mesh>',
      codec: 'mesh',
      is_blob: false,
      comment: 'a plugin codec',
    });
    const rows = await core.dispatch('data.fetch', { connectionId, schema: db, table: 'shape' }, ctx);
    if (!rows.ok) throw new Error(rows.error.message);
    const mesh0 = (rows.value as { rows: Record<string, unknown>[] }).rows[0]!.mesh;
    expect(Buffer.isBuffer(mesh0) && mesh0.toString('hex')).toBe('00ff10');
  });
});

describe.skipIf(isSkipped('mysql'))('joinery declare --conventions', () => {
  const db = uniqueDbName('jt_d2cli');
  let dataDir: string;

  beforeAll(() => {
    ({ dataDir } = createCoreWithLabstore());
  });
  afterAll(async () => {
    await dropDatabases([db]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('declares a new schema in 2.x conventions and says so; a bad value is a usage error', () => {
    const file = path.join(dataDir, 'defs.json');
    writeFileSync(
      file,
      JSON.stringify([
        { schema: db, class_name: 'Probe', tier: 'Lookup', definition: 'probe : varchar(16)\n---\nn : int16' },
      ]),
    );
    const bad = runJoinery(['declare', '--db', MYSQL_URL, '--file', file, '--conventions', '3'], { dataDir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--conventions is 0.14 or 2, not "3"');
    const r = runJoinery(['declare', '--db', MYSQL_URL, '--file', file, '--conventions', '2'], { dataDir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`created schema ${db} (DataJoint 2 conventions)`);
    const insp = runJoinery(['inspect', '--db', MYSQL_URL, '--schema', db, '--json'], { dataDir });
    expect(JSON.parse(insp.stdout).schemas[db].conventions).toBe('2');
  });
});
