import type { DbDriver } from '../../../electron/core/db/driver';
import { checksum } from '../../../electron/core/migrate/verify';
import type { MigrationChange } from '../../../shared/api/schemas/migration';
import { planMigration, newMigrationId, type MigrationPlan } from '../../../shared/migrate';
import { openEngine, type EngineName, type EngineSession } from '../../support/data-engines';
import { pipelineTables } from '../../support/migrate-catalog';
import { createEntry } from '../../../electron/core/migrate/journal';

/**
 * The migration.md pipeline on a real engine: subject -> session -> scan -> roi, a sibling with a
 * nullable secondary FK (cage_assignment), a renamed FK (pairing) and a cross-schema child
 * (behavior in the second schema), filled with enough rows to cross chunk boundaries.
 */
export interface MigrateEngine extends EngineSession {
  db: DbDriver;
  /** `schema.table_name` of every pipeline table. */
  tables: string[];
}

/** Opens an engine, declares and fills the pipeline. */
export async function openPipeline(engine: EngineName, prefix: string): Promise<MigrateEngine> {
  const s = await openEngine(engine, prefix);
  await s.call('table.declare', { tables: pipelineTables(s.lab, s.ephys) });
  const db = s.core.services.connections.driver(s.connectionId);
  await fill(db, s.lab, s.ephys);
  const tables = ['subject', 'session', '_scan', '__roi', 'cage_assignment', 'pairing']
    .map((t) => `${s.lab}.${t}`)
    .concat(`${s.ephys}.behavior`);
  return { ...s, db, tables };
}

async function fill(db: DbDriver, lab: string, other: string): Promise<void> {
  const ins = async (schema: string, table: string, rows: unknown[][]) => {
    if (!rows.length) return;
    const marks = `(${rows[0]!.map(() => '?').join(', ')})`;
    await db.execute(
      `INSERT INTO ${db.dialect.qualify(schema, table)} VALUES ${rows.map(() => marks).join(', ')}`,
      rows.flat(),
    );
  };
  const subjects = Array.from({ length: 12 }, (_, i) => [i + 1, `s${i + 1}`, i % 3 ? (i * 1.5).toString() : null]);
  await ins(lab, 'subject', subjects);
  const sessions = subjects.flatMap(([id]) => [1, 2, 3].map((k) => [id, k, `2024-01-0${k}`]));
  await ins(lab, 'session', sessions);
  const scans = sessions.flatMap(([id, k]) => [1, 2].map((n) => [id, k, n, n / 4]));
  await ins(lab, '_scan', scans);
  await ins(
    lab,
    '__roi',
    scans.flatMap(([id, k, n]) => [1, 2].map((r) => [id, k, n, r, r * 2.5])),
  );
  await ins(lab, 'cage_assignment', [
    [1, 1],
    [2, 5],
    [3, null],
    [4, 12],
  ]);
  await ins(lab, 'pairing', [
    [2, 'x'],
    [7, 'y'],
  ]);
  await ins(
    other,
    'behavior',
    sessions.slice(0, 10).map(([id, k], i) => [id, k, i, i * 0.5]),
  );
}

/** Counts and checksums of every column of the named tables (`schema.table`), for before/after comparisons. */
export async function snapshot(db: DbDriver, tables: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const full of tables) {
    const dot = full.indexOf('.');
    const schema = full.slice(0, dot);
    const table = full.slice(dot + 1);
    const cols = await columnsOf(db, schema, table);
    const c = await checksum(db, schema, table, cols);
    out[full] = `${c.n}:${c.sum}`;
  }
  return out;
}

async function columnsOf(db: DbDriver, schema: string, table: string): Promise<string[]> {
  if (db.dialect.name === 'mysql') {
    const rows = await db.query<{ c: string }>(
      'SELECT column_name AS c FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position',
      [schema, table],
    );
    return rows.map((r) => r.c);
  }
  const rows = await db.query<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, [`${schema}.${table}`]);
  return rows.map((r) => r.name);
}

/** The change of migration.md: `lab` joins subject's primary key. */
export function addLab(lab: string): MigrationChange[] {
  return [
    {
      table: `${lab}.Subject`,
      definition: 'lab : varchar(16)\nsubject_id : int\n---\nname : varchar(32)\nweight = null : float\n',
      values: { lab: 'hub' },
    },
  ];
}

/** Plans `changes` against the database now and journals the plan (as migration.apply does). */
export async function journaledPlan(s: MigrateEngine, changes: MigrationChange[]): Promise<MigrationPlan> {
  s.core.services.pipeline.invalidate(s.connectionId);
  const catalog = await s.core.services.pipeline.tables(s.connectionId);
  const plan = planMigration(changes, catalog, { id: newMigrationId() });
  await createEntry(s.db, plan);
  return plan;
}

/** Applies through the API and waits for the end; returns the final record. */
export async function applyAndWait(s: MigrateEngine, changes: MigrationChange[], allowDataLoss = false) {
  const { id } = await s.call('migration.apply', { changes, allowDataLoss });
  await s.core.services.migration.wait(id);
  return s.call('migration.status', { id });
}
