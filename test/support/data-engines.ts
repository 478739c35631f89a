import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MethodName, Out, RawIn } from '../../shared/api/contract';
import type { DeclareTable } from '../../shared/api/schemas/schema';
import { AppError, type AppErrorData } from '../../shared/errors';
import type { Core } from '../../electron/core/container';
import { createTestCore } from './core';
import { isSkipped } from './env';
import { dropDatabases, MYSQL_URL, uniqueDbName } from './mysql';
import { createTestDatabase, dropTestDatabase } from './postgres';

/**
 * The two engines every data conformance suite runs on, driven through `core.dispatch` (the real
 * API, input and output validated by the contract). Each suite gets its own schemas: on MariaDB
 * `<prefix>_<pid>_<random>_lab|_ephys` (dropped afterwards), on SQLite a fresh file.
 */
export type EngineName = 'sqlite' | 'mysql' | 'postgres';

/** The engines to run; MariaDB unless skipped with JOINERY_SKIP=mysql. */
export const ENGINES: EngineName[] = ['sqlite', ...(isSkipped('mysql') ? [] : (['mysql'] as const))];

/** ENGINES plus PostgreSQL (unless JOINERY_SKIP=postgres): for the suites that pass on it so far. */
export const ENGINES_WITH_POSTGRES: EngineName[] = [
  ...ENGINES,
  ...(isSkipped('postgres') ? [] : (['postgres'] as const)),
];

/** One open engine: a core, a connection and the suite's two schema names. */
export interface EngineSession {
  engine: EngineName;
  /** The connection URL (for the CLI). */
  url: string;
  core: Core;
  connectionId: string;
  lab: string;
  ephys: string;
  /** Calls a method and returns its value, or throws its error as an AppError. */
  call<M extends MethodName>(method: M, input: Omit<RawIn<M>, 'connectionId'>): Promise<Out<M>>;
  /** Calls a method that must fail and returns its error. */
  fail<M extends MethodName>(method: M, input: Omit<RawIn<M>, 'connectionId'>): Promise<AppErrorData>;
  close(): Promise<void>;
}

/** Opens a core on the engine with two fresh, empty schema names. */
export async function openEngine(engine: EngineName, prefix: string): Promise<EngineSession> {
  const { core, dataDir } = createTestCore();
  const base = uniqueDbName(prefix);
  // PostgreSQL: a database of its own per suite, holding the suite's schemas
  const pgDb = engine === 'postgres' ? await createTestDatabase(prefix) : null;
  const url = pgDb ? pgDb.url : engine === 'mysql' ? MYSQL_URL : `sqlite:${path.join(dataDir, 'data.db')}`;
  const ctx = { transport: 'in-process' as const, host: 'cli' as const };
  const open = await core.dispatch('connection.open', { url }, ctx);
  if (!open.ok) throw new Error(`cannot open ${url}: ${open.error.message}`);
  const connectionId = (open.value as { id: string }).id;
  // methods of the core itself (settings, app) take no connection
  const raw = (method: string, input: object) =>
    core.dispatch(method, /^(settings|app)\./.test(method) ? input : { connectionId, ...input }, ctx);
  const session: EngineSession = {
    engine,
    url,
    core,
    connectionId,
    lab: `${base}_lab`,
    ephys: `${base}_ephys`,
    async call(method, input) {
      const res = await raw(method, input);
      if (!res.ok) throw new AppError(res.error);
      return res.value as never;
    },
    async fail(method, input) {
      const res = await raw(method, input);
      if (res.ok)
        throw new Error(`${method} was expected to fail but returned ${JSON.stringify(res.value).slice(0, 300)}`);
      return res.error;
    },
    async close() {
      await core.dispose();
      if (engine === 'mysql') await dropDatabases([session.ephys, session.lab]);
      if (pgDb) await dropTestDatabase(pgDb.name);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return session;
}

/**
 * A small DataJoint pipeline over two schemas: lookups, a manual table with a nullable FK, a
 * cross-schema FK, a part table, two renamed FKs (proj), Imported and Computed tiers, and one
 * table with an attribute of every type.
 */
export function pipelineDefinitions(lab: string, ephys: string): DeclareTable[] {
  return [
    {
      schema: lab,
      class_name: 'Species',
      tier: 'Lookup',
      definition: '# species\nspecies : varchar(32)\n---\ncommon_name = "" : varchar(64)',
    },
    { schema: lab, class_name: 'Rig', tier: 'Lookup', definition: 'rig : char(4)\n---\nroom = null : varchar(16)' },
    {
      schema: lab,
      class_name: 'Subject',
      tier: 'Manual',
      definition:
        '# experimental animal\nsubject_id : int unsigned # animal id\n---\n-> Species\n-> [nullable] Rig\n' +
        "sex : enum('M','F','U')\ndate_of_birth : date\nweight = null : decimal(5,2) # grams\nnotes = \"\" : varchar(100)\nindex (date_of_birth)",
    },
    {
      schema: ephys,
      class_name: 'Session',
      tier: 'Manual',
      definition: `# a recording session\n-> ${lab}.Subject\nsession_idx : smallint unsigned\n---\nsession_start : datetime\nsession_note = "" : varchar(255)`,
    },
    {
      schema: ephys,
      class_name: 'Session.Note',
      tier: 'Part',
      definition: '-> master\nnote_idx : tinyint unsigned\n---\ntext : varchar(255)',
    },
    {
      schema: ephys,
      class_name: 'SessionPair',
      tier: 'Manual',
      definition:
        "-> Session.proj(ref_subject='subject_id', ref_session='session_idx')\n-> Session.proj(cmp_subject='subject_id', cmp_session='session_idx')\n---\npair_reason = \"\" : varchar(64)",
    },
    {
      schema: ephys,
      class_name: 'Recording',
      tier: 'Imported',
      definition: '-> Session\n---\ntrace : longblob\nimported_at = CURRENT_TIMESTAMP : timestamp',
    },
    {
      schema: ephys,
      class_name: 'Recording.Channel',
      tier: 'Part',
      definition: '-> master\nchannel : tinyint unsigned\n---\nsignal = null : longblob',
    },
    { schema: ephys, class_name: 'Analysis', tier: 'Computed', definition: '-> Recording\n---\nscore : double' },
    { schema: ephys, class_name: 'AllTypes', tier: 'Manual', definition: ALL_TYPES },
  ];
}

/** One attribute of every type DataJoint accepts (except external stores), all nullable but the key. */
const ALL_TYPES = [
  'id : int',
  '---',
  't_tiny = null : tinyint',
  't_utiny = null : tinyint unsigned',
  't_small = null : smallint',
  't_usmall = null : smallint unsigned',
  't_medium = null : mediumint',
  't_umedium = null : mediumint unsigned',
  't_int = null : int',
  't_uint = null : int unsigned',
  't_big = null : bigint',
  't_ubig = null : bigint unsigned',
  't_float = null : float',
  't_double = null : double',
  't_dec = null : decimal(12,4)',
  't_udec = null : decimal(5,2) unsigned',
  "t_enum = null : enum('red','green','blue')",
  't_char = null : char(3)',
  't_varchar = null : varchar(20)',
  't_date = null : date',
  't_datetime = null : datetime',
  't_datetime3 = null : datetime(3)',
  't_time = null : time',
  't_year = null : year',
  't_bool = null : bool',
  't_uuid = null : uuid',
  't_json = null : json',
  't_blob = null : longblob',
  't_attach = null : attach',
  't_stamp = CURRENT_TIMESTAMP : timestamp',
].join('\n');

/** Declares {@link pipelineDefinitions} through table.declare. */
export async function declarePipeline(s: EngineSession): Promise<void> {
  await s.call('table.declare', { tables: pipelineDefinitions(s.lab, s.ephys) });
}

/** A fresh scratch directory removed by the caller. */
export function scratchDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'joinery-scratch-'));
}
