import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DbDriver } from '../../../electron/core/db/driver';
import { hiddenTables } from '../../../electron/core/db/catalog/hidden-tables';
import { queueTable } from '../../../electron/core/jobs/queue/datajoint2-queue-table';
import { runPlan } from '../../../electron/core/migrate/executor';
import { createEntry, findEntry } from '../../../electron/core/migrate/journal';
import { rollbackMigration } from '../../../electron/core/migrate/rollback';
import type { MigrationChange } from '../../../shared/api/schemas/migration';
import { newMigrationId, planMigration } from '../../../shared/migrate';
import type { DeclareTable } from '../../../shared/api/schemas/schema';
import { createTableDdl } from '../../../shared/sql/ddl';
import { ENGINES, openEngine, type EngineSession } from '../../support/data-engines';
import { applyAndWait, snapshot, type MigrateEngine } from './support';

// migrations copy whole pipelines on a shared server: generous limits, never a timing assertion
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/**
 * Migrations of a DataJoint 2.x schema (subject -> session -> scan, core types with `:type:`
 * markers, `_job_*` metadata, `~lineage`, a `~~scan` queue) on real SQLite and MariaDB: `lab`
 * joins subject's key, a key attribute is renamed. The oracle for headings and `~lineage` is
 * declaring the new definitions from scratch into a second 2.x schema.
 */

const SUBJECT = 'subject_id : int32\n---\nname : varchar(32)\nweight = null : float32\n';
const SUBJECT_LAB = 'lab : varchar(16)\nsubject_id : int32\n---\nname : varchar(32)\nweight = null : float32\n';
const SESSION = '-> Subject\nsession_idx : int16\n---\nday : date\n';
const SESSION_NO = '-> Subject\nsession_no : int16\n---\nday : date\n';
const SCAN = '-> Session\nscan_idx : int16\n---\nquality : float64\n';

function pipeline(schema: string, subject = SUBJECT, session = SESSION): DeclareTable[] {
  return [
    { schema, class_name: 'Subject', tier: 'Manual', definition: subject },
    { schema, class_name: 'Session', tier: 'Manual', definition: session },
    { schema, class_name: 'Scan', tier: 'Imported', definition: SCAN },
  ];
}

const addLab = (schema: string): MigrationChange[] => [
  { table: `${schema}.Subject`, definition: SUBJECT_LAB, values: { lab: 'ours' } },
];
const renameSessionIdx = (schema: string): MigrationChange[] => [
  { table: `${schema}.Session`, definition: SESSION_NO, renames: { session_idx: 'session_no' } },
];

async function declare(s: EngineSession, tables: DeclareTable[]) {
  await s.call('table.declare', { tables, conventions: '2', jobMetadata: true });
}

async function fill(db: DbDriver, schema: string) {
  const q = (t: string) => db.dialect.qualify(schema, t);
  for (let i = 1; i <= 6; i++) {
    await db.execute(`INSERT INTO ${q('subject')} (subject_id, name, weight) VALUES (?, ?, ?)`, [i, `s${i}`, i * 1.5]);
    for (let k = 1; k <= 2; k++) {
      await db.execute(`INSERT INTO ${q('session')} (subject_id, session_idx, day) VALUES (?, ?, ?)`, [
        i,
        k,
        `2024-01-0${k}`,
      ]);
      for (let n = 1; n <= 2; n++)
        await db.execute(`INSERT INTO ${q('_scan')} (subject_id, session_idx, scan_idx, quality) VALUES (?, ?, ?, ?)`, [
          i,
          k,
          n,
          n / 4,
        ]);
    }
  }
}

/** Plans `changes` in each schema's conventions and journals the plan (as migration.apply does). */
async function journaled2x(s: MigrateEngine, changes: MigrationChange[]) {
  s.core.services.pipeline.invalidate(s.connectionId);
  const { conventions } = await s.core.services.pipeline.headingsAndConventions(s.connectionId);
  const catalog = await s.core.services.pipeline.tables(s.connectionId);
  const plan = planMigration(changes, catalog, {
    id: newMigrationId(),
    conventionsOf: (x) => conventions[x] ?? '0.14',
  });
  await createEntry(s.db, plan);
  return plan;
}

/** `~lineage` rows of a schema as `table.attribute -> lineage` with the schema name written as `S`. */
async function lineageOf(db: DbDriver, schema: string): Promise<Record<string, string>> {
  const rows = await db.query<{ t: string; a: string; l: string }>(
    `SELECT table_name AS t, attribute_name AS a, lineage AS l FROM ${db.dialect.qualify(schema, '~lineage')}`,
  );
  return Object.fromEntries(rows.map((r) => [`${r.t}.${r.a}`, r.l.replace(`${schema}.`, 'S.')]));
}

/** The `~~scan` queue's rows (every column, times as text), ordered by status. */
async function queueRows(db: DbDriver, schema: string): Promise<Record<string, unknown>[]> {
  const rows = await db.query(`SELECT * FROM ${db.dialect.qualify(schema, '~~scan')} ORDER BY status`);
  return rows.map((r) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])),
  );
}

/** Every table's columns as 2.x reads them (type, marker comment, key), for comparison with a fresh declaration. */
async function headingsOf(s: EngineSession, schema: string) {
  s.core.services.pipeline.invalidate(s.connectionId);
  const info = await s.call('pipeline.inspect', { schemas: [schema], populate: false });
  const sch = info.schemas[schema]!;
  return {
    conventions: sch.conventions,
    tables: Object.fromEntries(
      sch.tables.map((t) => [
        t.table_name,
        t.attributes.map((a) => `${a.name} ${a.sql_type} ${a.in_key ? 'key' : ''} "${a.sql_comment}"`),
      ]),
    ),
  };
}

describe.each(ENGINES)('migrate a DataJoint 2.x pipeline (%s)', (engine) => {
  let s: MigrateEngine;
  let before: Record<string, string>;
  let lineageBefore: Record<string, string>;
  let queueBefore: Record<string, unknown>[];
  const tables = () => ['subject', 'session', '_scan'].map((t) => `${s.lab}.${t}`);
  const q = (t: string) => s.db.dialect.qualify(s.lab, t);

  beforeAll(async () => {
    const e = await openEngine(engine, 'mig2x');
    await declare(e, pipeline(e.lab));
    const db = e.core.services.connections.driver(e.connectionId);
    await fill(db, e.lab);
    s = { ...e, db, tables: [] };
    before = await snapshot(s.db, tables());
    lineageBefore = await lineageOf(s.db, s.lab);
  }, 120_000);
  afterAll(async () => s?.close());

  it('plans in 2.x conventions: core types parse, shadows carry the markers', async () => {
    const plan = await s.call('migration.plan', { changes: addLab(s.lab) });
    expect(plan.lossy).toBe(false);
    expect(plan.tables.map((t) => t.target)).toEqual(tables());
    const ddl = plan.steps.find((x) => x.kind === 'create_shadows')!.sql.mysql.join('\n');
    expect(ddl).toContain("`lab` varchar(16) NOT NULL COMMENT ':varchar(16):'");
    expect(ddl).toContain("`subject_id` int NOT NULL COMMENT ':int32:'");
    // the hidden `_job_*` columns of the Imported table are kept, not dropped
    expect(ddl).toContain('`_job_start_time`');
  });

  it('refuses while a `~~scan` queue row is reserved', async () => {
    s.core.services.pipeline.invalidate(s.connectionId);
    const scan = (await s.core.services.pipeline.tables(s.connectionId)).find((t) => t.full_name === `${s.lab}._scan`)!;
    for (const st of createTableDdl(s.db.dialect, queueTable(scan))) await s.db.execute(st.sql, st.params);
    const ins = `INSERT INTO ${q('~~scan')} (subject_id, session_idx, status, priority, host, error_message) VALUES (?, ?, ?, ?, ?, ?)`;
    await s.db.execute(ins, [1, 1, 'reserved', 5, 'node7', '']);
    await s.db.execute(ins, [2, 2, 'error', 3, 'node8', 'boom']);
    await s.db.execute(ins, [3, 1, 'success', 5, 'node9', '']);
    const reserved = await s.fail('migration.apply', { changes: addLab(s.lab) });
    expect(reserved.code).toBe('CONFLICT');
    expect(reserved.message).toContain(`${s.lab}._scan is being populated: 1 row(s) of its queue ~~scan are reserved`);
    expect(await snapshot(s.db, tables())).toEqual(before);
    await s.db.execute(`UPDATE ${q('~~scan')} SET status = 'pending', host = '' WHERE status = 'reserved'`);
    queueBefore = await queueRows(s.db, s.lab);
  });

  it('applies: rows, checksums of carried columns, FKs enforce, lineage as a fresh declaration', async () => {
    const record = await applyAndWait(s, addLab(s.lab));
    expect(record.state, record.error ?? '').toBe('done');
    const after = await snapshot(s.db, tables());
    for (const t of tables()) expect(after[t]!.split(':')[0]).toBe(before[t]!.split(':')[0]);
    const labs = await s.db.query<{ lab: string; n: unknown }>(
      `SELECT lab, COUNT(*) AS n FROM ${q('_scan')} GROUP BY lab`,
    );
    expect(labs.map((r) => [r.lab, Number(r.n)])).toEqual([['ours', 24]]);
    await expect(
      s.db.execute(
        `INSERT INTO ${q('session')} (lab, subject_id, session_idx, day) VALUES ('nowhere', 1, 9, '2024-02-02')`,
      ),
    ).rejects.toThrow();
    const checks = record.checks as { foreignKeys: Record<string, string>; queues: { rows: number } };
    expect(Object.values(checks.foreignKeys)).toContain('rejected orphan');
    // the queue is rebuilt with the new key, every row moved with its state
    expect(checks.queues.rows).toBe(3);
    const moved = await queueRows(s.db, s.lab);
    expect(moved.map((r) => r.lab)).toEqual(['ours', 'ours', 'ours']);
    expect(moved.map(({ lab: _lab, ...rest }) => rest)).toEqual(queueBefore);
    // the oracle: the same definitions declared from scratch
    await declare(s, pipeline(s.ephys, SUBJECT_LAB));
    expect(await headingsOf(s, s.lab)).toEqual(await headingsOf(s, s.ephys));
    const lineage = await lineageOf(s.db, s.lab);
    expect(lineage).toEqual(await lineageOf(s.db, s.ephys));
    expect(lineage['subject.lab']).toBe('S.subject.lab');
    expect(lineage['_scan.lab']).toBe('S.subject.lab');
  });

  it('rolls back: tables byte-identical, the old lineage rows back', async () => {
    const id = (await s.call('migration.history', {})).migrations.find((m) => m.schema === s.lab)!.id;
    const rolled = await s.call('migration.rollback', { id });
    expect(rolled.state).toBe('rolled_back');
    expect(await snapshot(s.db, tables())).toEqual(before);
    expect(await lineageOf(s.db, s.lab)).toEqual(lineageBefore);
    expect(await queueRows(s.db, s.lab)).toEqual(queueBefore);
  });

  // SQLite runs a migration as one transaction: a crash leaves it `planned`, never `swapped`
  const resumes = engine === 'sqlite' ? ['crash at post'] : ['crash at post', 'rewrite again after done'];
  it.each(resumes)('%s, resume: lineage and queue as an uninterrupted run; rollback restores', async (how) => {
    const plan = await journaled2x(s, addLab(s.lab));
    if (how === 'crash at post') {
      const hook = (at: string) => {
        if (at === 'post') throw new Error('injected crash at post');
      };
      await expect(runPlan(s.db, plan, { hook })).rejects.toThrow(/injected crash/);
    } else {
      expect((await runPlan(s.db, plan)).state).toBe('done');
      // as if the process died after the post-swap rewrite, before the journal said done
      await s.db.execute(
        `UPDATE ${s.db.dialect.qualify(s.lab, '~joinery_migration')} SET state = 'swapped' WHERE id = ?`,
        [plan.id],
      );
    }
    expect((await runPlan(s.db, plan)).state).toBe('done');
    expect(await lineageOf(s.db, s.lab)).toEqual(await lineageOf(s.db, s.ephys));
    expect((await queueRows(s.db, s.lab)).map(({ lab: _lab, ...rest }) => rest)).toEqual(queueBefore);
    await rollbackMigration(s.db, await findEntry(s.db, plan.id));
    expect(await snapshot(s.db, tables())).toEqual(before);
    expect(await lineageOf(s.db, s.lab)).toEqual(lineageBefore);
    expect(await queueRows(s.db, s.lab)).toEqual(queueBefore);
  });

  it('renames a key attribute: dependents and lineage follow; rollback restores', async () => {
    const record = await applyAndWait(s, renameSessionIdx(s.lab));
    expect(record.state, record.error ?? '').toBe('done');
    const lineage = await lineageOf(s.db, s.lab);
    expect(lineage['session.session_no']).toBe('S.session.session_no');
    expect(lineage['_scan.session_no']).toBe('S.session.session_no');
    expect(lineage['_scan.session_idx']).toBeUndefined();
    const fresh = `${s.ephys}_r`;
    await declare(s, pipeline(fresh, SUBJECT, SESSION_NO));
    try {
      expect(lineage).toEqual(await lineageOf(s.db, fresh));
      expect(await headingsOf(s, s.lab)).toEqual(await headingsOf(s, fresh));
    } finally {
      if (engine === 'mysql') await s.db.execute(`DROP DATABASE IF EXISTS \`${fresh}\``);
    }
    expect((await queueRows(s.db, s.lab)).map((r) => r.session_no)).toEqual(queueBefore.map((r) => r.session_idx));
    const rolled = await s.call('migration.rollback', { id: record.id });
    expect(rolled.state).toBe('rolled_back');
    expect(await snapshot(s.db, tables())).toEqual(before);
    expect(await lineageOf(s.db, s.lab)).toEqual(lineageBefore);
    expect(await queueRows(s.db, s.lab)).toEqual(queueBefore);
  });

  it('discards: the kept tables and the kept queue go, the new queue stays', async () => {
    const record = await applyAndWait(s, renameSessionIdx(s.lab));
    expect(record.state, record.error ?? '').toBe('done');
    const discarded = await s.call('migration.discard', { id: record.id });
    expect(discarded.state).toBe('discarded');
    const hidden = [...(await hiddenTables(s.db, s.lab))].filter((h) => h.startsWith(`~${record.id}`));
    expect(hidden).toEqual([]);
    expect((await queueRows(s.db, s.lab)).map((r) => r.session_no)).toEqual(queueBefore.map((r) => r.session_idx));
  });

  it('renames a table: its ~lineage rows and its queue follow; rollback restores', async () => {
    const queue = await queueRows(s.db, s.lab);
    const lineage0 = await lineageOf(s.db, s.lab);
    const record = await applyAndWait(s, [
      { table: `${s.lab}.Scan`, definition: SCAN.replace('session_idx', 'session_no'), rename_to: `${s.lab}.ScanRun` },
    ]);
    expect(record.state, record.error ?? '').toBe('done');
    const lineage = await lineageOf(s.db, s.lab);
    expect(lineage['_scan_run.scan_idx']).toBe('S._scan_run.scan_idx');
    expect(Object.keys(lineage).some((k) => k.startsWith('_scan.'))).toBe(false);
    const fresh = `${s.ephys}_t`;
    await declare(s, [
      ...pipeline(fresh, SUBJECT, SESSION_NO).slice(0, 2),
      { schema: fresh, class_name: 'ScanRun', tier: 'Imported', definition: SCAN },
    ]);
    try {
      expect(lineage).toEqual(await lineageOf(s.db, fresh));
    } finally {
      if (engine === 'mysql') await s.db.execute(`DROP DATABASE IF EXISTS \`${fresh}\``);
    }
    const hidden = await hiddenTables(s.db, s.lab);
    expect(hidden.has('~~scan')).toBe(false);
    const moved = await s.db.query(`SELECT * FROM ${q('~~scan_run')} ORDER BY status`);
    expect(moved.map((r) => String(r.status))).toEqual(queue.map((r) => String(r.status)));
    await s.call('migration.rollback', { id: record.id });
    expect(await lineageOf(s.db, s.lab)).toEqual(lineage0);
    expect(await queueRows(s.db, s.lab)).toEqual(queue);
    expect((await hiddenTables(s.db, s.lab)).has('~~scan_run')).toBe(false);
  });
});
