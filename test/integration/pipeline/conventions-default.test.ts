import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/container';
import { ensureJobTables } from '../../../electron/core/jobs/job-tables';
import type { PipelineInfo } from '../../../shared/api/schemas/pipeline';
import { runJoinery } from '../../support/cli';
import { createTestCore } from '../../support/core';
import { isSkipped } from '../../support/env';
import { createTestDatabase, dropTestDatabase } from '../../support/postgres';
import { PrivateMariadb, privateMariadbMissing } from '../../support/private-mariadb';

/**
 * Conventions of a new schema when nobody chooses: the lab's JOINERY_CONVENTIONS, else those most
 * of the database's DataJoint schemas follow, else DataJoint 2 (a new database). The rest of the
 * suite pins 0.14 (test/support/pin-conventions.ts); these tests unset it. MariaDB runs on a private
 * server, because the shared one holds other runs' schemas of both generations.
 */

const ctx = { transport: 'in-process' as const, host: 'cli' as const };
const pinned = process.env.JOINERY_CONVENTIONS;

beforeAll(() => {
  delete process.env.JOINERY_CONVENTIONS;
});
afterAll(() => {
  if (pinned === undefined) delete process.env.JOINERY_CONVENTIONS;
  else process.env.JOINERY_CONVENTIONS = pinned;
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'joinery-conv-'));
  dirs.push(d);
  return d;
}

async function call<T>(core: Core, method: string, input: object): Promise<T> {
  const r = await core.dispatch(method, input, ctx);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

/** Opens `url` in a fresh core and gives the calls the tests make. */
async function openCore(url: string) {
  const { core, dataDir } = createTestCore();
  const { id: connectionId } = await call<{ id: string }>(core, 'connection.open', { url });
  const inspect = (schemas?: string[]) => call<PipelineInfo>(core, 'pipeline.inspect', { connectionId, schemas });
  const declare = (schema: string, extra: object = {}, definition = 'mouse_id : int\n---\nweight : float') =>
    call<{ conventions: Record<string, string> }>(core, 'table.declare', {
      connectionId,
      tables: [{ schema, class_name: 'Mouse', tier: 'Manual', definition }],
      ...extra,
    });
  /** A 0.14 schema that says so: its `~jobs` exists, as after DataJoint's first populate. */
  const old014 = async (schema: string) => {
    await declare(schema, { conventions: '0.14' });
    await ensureJobTables(core.services.connections.driver(connectionId), schema);
  };
  const close = async () => {
    await core.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { core, dataDir, connectionId, inspect, declare, old014, close };
}

describe('new schemas without a choice on SQLite', () => {
  const opened: { close(): Promise<void> }[] = [];
  const open = async (file: string) => {
    const c = await openCore(`sqlite:${file}`);
    opened.push(c);
    return c;
  };
  afterEach(async () => {
    for (const c of opened.splice(0)) await c.close();
  });

  it('a new database gets DataJoint 2: ~lineage, core types, and inspect says so', async () => {
    const c = await open(path.join(tempDir(), 'new.db'));
    expect((await c.inspect()).new_schema_conventions).toBe('2');
    // 2.x's core types are known only in 2.x conventions
    expect((await c.declare('lab', {}, 'mouse_id : int32\n---\nweight : float32')).conventions).toEqual({ lab: '2' });
    const lab = (await c.inspect(['lab'])).schemas.lab!;
    expect(lab.conventions).toBe('2');
    expect(lab.hidden_tables).toContain('~lineage');
    expect(lab.tables[0]!.attributes.map((a) => a.sql_comment)).toEqual([':int32:', ':float32:']);
  });

  it('the sample pipeline on a new database is 2.x, with its task and its keys pending', async () => {
    const c = await open(path.join(tempDir(), 'sample.db'));
    await call(c.core, 'pipeline.createSample', { connectionId: c.connectionId });
    const sample = (await c.inspect(['sample'])).schemas.sample!;
    expect(sample.conventions).toBe('2');
    const computed = sample.tables.find((t) => t.tier === 'Computed')!;
    const task = await call<{ version: number }>(c.core, 'task.get', {
      connectionId: c.connectionId,
      schema: 'sample',
      table: computed.table_name,
    });
    expect(task.version).toBe(1);
    expect(computed.populate?.pending_count).toBe(4);
  });

  it('a database of 0.14 schemas keeps 0.14 for the next one; 2.x wins a tie', async () => {
    const c = await open(path.join(tempDir(), 'old.db'));
    await c.old014('old');
    expect((await c.inspect()).new_schema_conventions).toBe('0.14');
    expect((await c.declare('next')).conventions).toEqual({ next: '0.14' });
    expect((await c.inspect(['next'])).schemas.next!.tables[0]!.attributes[0]!.sql_comment).toBe('');
    // `next` has no hidden table yet, so it tells nothing; one 2.x schema ties with `old`
    await c.declare('modern', { conventions: '2' });
    expect((await c.inspect(['old'])).new_schema_conventions).toBe('2');
  });

  it('JOINERY_CONVENTIONS decides over the database; a bad value stops the core with what to set', async () => {
    process.env.JOINERY_CONVENTIONS = '0.14';
    try {
      const c = await open(path.join(tempDir(), 'pinned.db'));
      expect((await c.inspect()).new_schema_conventions).toBe('0.14');
      expect((await c.declare('lab')).conventions).toEqual({ lab: '0.14' });
      process.env.JOINERY_CONVENTIONS = '3';
      expect(() => createTestCore()).toThrow('JOINERY_CONVENTIONS is 0.14 or 2');
    } finally {
      delete process.env.JOINERY_CONVENTIONS;
    }
  });

  it('joinery declare into a new file says which conventions it chose', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'defs.json');
    writeFileSync(
      file,
      JSON.stringify([{ schema: 'lab', class_name: 'Probe', tier: 'Lookup', definition: 'probe : varchar(16)' }]),
    );
    const db = `sqlite:${path.join(dataDir, 'cli.db')}`;
    const r = runJoinery(['declare', '--db', db, '--file', file], {
      dataDir,
      env: { JOINERY_CONVENTIONS: '' },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('created schema lab (DataJoint 2 conventions)');
  });
});

describe.skipIf(isSkipped('postgres'))('new schemas without a choice on PostgreSQL', () => {
  it('a new database gets DataJoint 2; its 0.14 schemas keep 0.14', async () => {
    const { name, url } = await createTestDatabase('jt_cdef');
    const c = await openCore(url);
    try {
      expect((await c.inspect()).new_schema_conventions).toBe('2');
      await c.old014('old');
      expect((await c.declare('next')).conventions).toEqual({ next: '0.14' });
    } finally {
      await c.close();
      await dropTestDatabase(name);
    }
  });
});

describe.skipIf(isSkipped('mysql') || privateMariadbMissing() !== null)(
  'new schemas without a choice on a MariaDB server of its own',
  () => {
    let server: PrivateMariadb;
    beforeAll(async () => {
      server = await PrivateMariadb.create();
    }, 120_000);
    afterAll(async () => {
      await server?.destroy();
    });

    it('an empty server gets DataJoint 2; once its schemas are 0.14, the next one is 0.14', async () => {
      const c = await openCore(server.url);
      try {
        expect((await c.inspect()).new_schema_conventions).toBe('2');
        await c.old014('old');
        await c.old014('older');
        await c.declare('modern', { conventions: '2' });
        expect((await c.inspect()).new_schema_conventions).toBe('0.14');
        expect((await c.declare('next')).conventions).toEqual({ next: '0.14' });
      } finally {
        await c.close();
      }
    });
  },
);
