import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MethodName, Out, RawIn } from '../../../shared/api/contract';
import type { PopulateSummary } from '../../../shared/api/schemas/jobs';
import type { Core } from '../../../electron/core/container';
import type { DbDriver } from '../../../electron/core/db/driver';
import { createTestCore } from '../../support/core';
import { isSkipped } from '../../support/env';
import { dropDatabases, MYSQL_URL, uniqueDbName } from '../../support/mysql';
import { createTestDatabase, dropTestDatabase } from '../../support/postgres';
import { parseDefinition, resolveDefinition } from '../../../shared/model/definition';
import { createTableDdl } from '../../../shared/sql/ddl';
import { hashCanonicalKey } from '../../../electron/core/jobs/canonical-key-hash';
import { claimJobs } from '../../../electron/core/jobs/claim';
import { buildTableJobs } from '../../../electron/core/jobs/job-context';
import { readTasks } from '../../../electron/core/jobs/task-store';

/** Database names of the jobs tests; dropped in afterAll. */
export const PREFIX = 'jt_jobs';

/** One engine the jobs tests run on. */
export interface JobsEngine {
  name: 'mysql' | 'sqlite' | 'postgres';
  skip: boolean;
}

/** The engines every jobs suite runs on. */
export const ENGINES: JobsEngine[] = [
  { name: 'mysql', skip: isSkipped('mysql') },
  { name: 'sqlite', skip: false },
  { name: 'postgres', skip: isSkipped('postgres') },
];

/** A core connected to a fresh schema of one engine. */
export interface JobsSetup {
  core: Core;
  connectionId: string;
  url: string;
  schema: string;
  db: DbDriver;
  dir: string;
  call<M extends MethodName>(method: M, input: Omit<RawIn<M>, 'connectionId'>): Promise<Out<M>>;
  /** `schema.table` quoted for raw SQL. */
  t(table: string): string;
  populate(input: Omit<RawIn<'jobs.populate'>, 'connectionId'>): Promise<PopulateSummary>;
  count(table: string, where?: string): Promise<number>;
  close(): Promise<void>;
}

/** Opens a core on a new schema (MariaDB database or SQLite file) for one test file. */
export async function openJobsSetup(engine: JobsEngine['name'], label: string): Promise<JobsSetup> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `joinery-jobs-${label}-`));
  // PostgreSQL: a database of its own per test file, the schema inside it
  const pg = engine === 'postgres' ? await createTestDatabase(PREFIX) : null;
  const url = pg ? pg.url : engine === 'mysql' ? MYSQL_URL : `sqlite:${path.join(dir, 'jobs.db')}`;
  const schema = engine === 'sqlite' ? 'lab' : uniqueDbName(PREFIX);
  const { core } = createTestCore();
  const open = await core.dispatch('connection.open', { url }, { transport: 'in-process', host: 'cli' });
  if (!open.ok) throw new Error(open.error.message);
  const connectionId = (open.value as { id: string }).id;
  const db = core.services.connections.driver(connectionId);
  const call = async <M extends MethodName>(method: M, input: Omit<RawIn<M>, 'connectionId'>): Promise<Out<M>> => {
    const res = await core.dispatch(method, { ...input, connectionId }, { transport: 'in-process', host: 'cli' });
    if (!res.ok) throw Object.assign(new Error(`${method}: ${res.error.message}`), { data: res.error });
    return res.value as Out<M>;
  };
  const t = (table: string) => db.dialect.qualify(schema, table);
  return {
    core,
    connectionId,
    url,
    schema,
    db,
    dir,
    call,
    t,
    async populate(input) {
      const { populateId } = await call('jobs.populate', input);
      return core.services.populate.wait(populateId);
    },
    async count(table, where) {
      const [r] = await db.query<{ n: number | string }>(
        `SELECT COUNT(*) AS n FROM ${t(table)}${where ? ` WHERE ${where}` : ''}`,
      );
      return Number(r?.n ?? 0);
    },
    async close() {
      await core.dispose();
      if (engine === 'mysql') await dropDatabases([schema]);
      if (pg) await dropTestDatabase(pg.name);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Item (Manual) -> Square (Computed, one row per key) -> Pair (Computed with a part), in `schema`. */
export async function declareItems(s: JobsSetup, items: number): Promise<void> {
  await s.call('table.declare', {
    tables: [
      { schema: s.schema, class_name: 'Item', tier: 'Manual', definition: 'item_id : int\n---\nx : int' },
      {
        schema: s.schema,
        class_name: 'Square',
        tier: 'Computed',
        definition: '-> Item\n---\nvalue : bigint\npid = 0 : int',
      },
      { schema: s.schema, class_name: 'Summary', tier: 'Computed', definition: '-> Square\n---\ndoubled : bigint' },
      {
        schema: s.schema,
        class_name: 'Summary.Digit',
        tier: 'Part',
        definition: '-> master\ndigit : tinyint\n---\ncount : int',
      },
    ],
  });
  if (items > 0)
    await s.call('data.insert', {
      schema: s.schema,
      table: 'item',
      rows: Array.from({ length: items }, (_, i) => ({ item_id: i, x: i })),
    });
}

export { JOINERY_BIN } from '../../support/cli';
/** Inline functions for worker processes (`--inline`). */
export const INLINE_MODULE = path.resolve(import.meta.dirname, 'inline-functions.ts');

export { uniqueDbName };

/** Makes the schema a DataJoint 2.x one, as 2.x's declare does: its `~lineage` table. */
export async function markAsV2(s: JobsSetup): Promise<void> {
  const def = `# lineage\ntable_name : varchar(64)\nattribute_name : varchar(64)\n---\nlineage : varchar(255)`;
  const t = resolveDefinition(parseDefinition(def, { table: '~lineage' }), {
    schema: s.schema,
    tableName: '~lineage',
    lookup: () => undefined,
  });
  for (const st of createTableDdl(s.db.dialect, t)) await s.db.execute(st.sql, st.params);
  s.core.services.pipeline.invalidate(s.connectionId);
}

/** Claims one key of `<schema>.<table>` as the worker `who` would, with a lease of `leaseMs`; the claim's result. */
export async function claimKeyAs(
  s: JobsSetup,
  table: string,
  key: Record<string, unknown>,
  who: { id: string; host: string; pid: number; user: string },
  leaseMs: number,
): Promise<Awaited<ReturnType<typeof claimJobs>>> {
  const tables = await s.core.services.pipeline.tables(s.connectionId);
  const tasks = new Map([...(await readTasks(s.db, s.schema)).values()].map((t) => [`${s.schema}.${t.table}`, t]));
  const [tj] = buildTableJobs(s.db.dialect, tables, tasks, { schema: s.schema, table }).jobs;
  if (!tj) throw new Error(`${s.schema}.${table} has no task to claim a job of`);
  const job = { key, keyHash: hashCanonicalKey(key, tj.table), priority: 0, known: false };
  return claimJobs(s.db, tj, [job], who, Date.now(), leaseMs);
}

/** The columns of DataJoint 0.14's `~jobs` a DataJoint worker writes (`timestamp` has a default). */
export const DJ_JOBS_COLUMNS = [
  'table_name',
  'key_hash',
  'status',
  'key',
  'error_message',
  'error_stack',
  'user',
  'host',
  'pid',
  'connection_id',
] as const;
