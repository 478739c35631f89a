import type { DbDriver } from '../electron/core/db/driver';
import { dropAllAside } from '../electron/core/migrate/aside';
import { findEntry } from '../electron/core/migrate/journal';
import { rollbackMigration } from '../electron/core/migrate/rollback';

import { callCore, createTestCore } from '../test/support/core';
import { dropDatabases, MYSQL_URL, uniqueDbName } from '../test/support/mysql';
import { report } from './harness';

/**
 * The hard case of migration.md §6 on MariaDB: `lab` joins subject's primary key and cascades
 * through session -> scan -> roi (10 k / 100 k / 500 k / 1 M rows) and the nullable FK of
 * cage_assignment (5 k). Figures, all measured in this run on the same tables:
 *  - Joinery `migration.apply` (shadows, chunked copy, verification, RENAME swap, FK proof) vs a
 *    hand-written shadow copy of the same change doing the same work in single statements
 *    (CREATE, INSERT..SELECT parent first, COUNT/CRC32 checksums + orphan anti-joins, RENAME);
 *  - rollback: the reverse RENAME, and the whole rollback (goal < 0.1 s), which sets the new tables
 *    aside; their drop afterwards is timed on its own;
 *  - the in-place ALTER cascade (drop FKs, ADD COLUMN + UPDATE from the parent + new PK per table,
 *    re-add FKs), for reference.
 * JOINERY_BENCH_MIGRATE_SUBJECTS (default 10000) scales every table (subjects x 10 x 5 x 2).
 */
const SUBJECTS = Number(process.env.JOINERY_BENCH_MIGRATE_SUBJECTS ?? 10_000);
const BENCH = 'migrate-pk';

const seconds = async (work: () => Promise<unknown>) => {
  const t0 = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t0) / 1e9;
};

const TABLES = [
  { name: 'Subject', tier: 'Manual', def: 'subject_id : int\n---\nname : varchar(32)\nweight = null : float\n' },
  { name: 'Session', tier: 'Manual', def: '-> Subject\nsession_idx : int\n---\nsession_date : date\n' },
  { name: 'Scan', tier: 'Imported', def: '-> Session\nscan_idx : int\n---\nquality : float\n' },
  { name: 'Roi', tier: 'Computed', def: '-> Scan\nroi_idx : int\n---\narea : float\n' },
  { name: 'CageAssignment', tier: 'Manual', def: 'cage : int\n---\n-> [nullable] Subject\n' },
] as const;

const { core } = createTestCore();
const schema = uniqueDbName('jb_migrate');
try {
  const { id: connectionId } = (await callCore(core, 'connection.open', { url: MYSQL_URL })) as { id: string };
  const db = core.services.connections.driver(connectionId);
  await callCore(core, 'table.declare', {
    connectionId,
    tables: TABLES.map((t) => ({ schema, class_name: t.name, tier: t.tier, definition: t.def })),
  });
  await fill(db);
  const total = SUBJECTS * (1 + 10 + 50 + 100) + SUBJECTS / 2;
  process.stderr.write(`migrate-pk: ${total} rows in ${schema}\n`);

  const hand = await seconds(() => handWritten(db));
  const base = 'hand-written shadow copy of the same change (create, copy, verify, RENAME)';
  const changes = [
    {
      table: `${schema}.Subject`,
      definition: 'lab : varchar(16)\nsubject_id : int\n---\nname : varchar(32)\nweight = null : float\n',
      values: { lab: 'hub' },
    },
  ];
  let id = '';
  const apply = await seconds(async () => {
    id = ((await callCore(core, 'migration.apply', { connectionId, changes })) as { id: string }).id;
    await core.services.migration.wait(id);
  });
  const entry = await findEntry(db, id);
  if (entry.state !== 'done') throw new Error(`migration ${id} ended ${entry.state}: ${entry.record.error}`);
  report({ bench: BENCH, metric: 'apply_seconds', value: apply, unit: 's', baseline: base, baseline_value: hand });
  const timing: Record<string, number> = {};
  const rollback = await seconds(() => rollbackMigration(db, entry, { timing }));
  const goal = { baseline: 'goal 0.1 s', baseline_value: 0.1 };
  report({ bench: BENCH, metric: 'rollback_swap_seconds', value: timing.rename ?? NaN, unit: 's', ...goal });
  report({ bench: BENCH, metric: 'rollback_total_seconds', value: rollback, unit: 's', ...goal });
  const phases = Object.entries(timing).map(([k, v]) => `${k} ${v.toFixed(4)} s`);
  process.stderr.write(`migrate-pk: rollback phases: ${phases.join(', ')}\n`);
  // the new tables a rollback sets aside are dropped after it answers (aside.ts); timed apart
  const asideDrop = await seconds(() => dropAllAside(db, { schemas: [schema] }));
  report({
    bench: BENCH,
    metric: 'rollback_aside_drop_seconds',
    value: asideDrop,
    unit: 's',
    baseline: 'rollback_total_seconds (what the user waits for)',
    baseline_value: rollback,
  });
  // the in-place cascade is a reference only: it runs last, on the original tables
  const inPlace = await seconds(() => inPlaceCascade(db));
  report({
    bench: BENCH,
    metric: 'inplace_alter_seconds',
    value: inPlace,
    unit: 's',
    baseline: base,
    baseline_value: hand,
  });
} finally {
  await core.dispose();
  await dropDatabases([schema]);
}

async function fill(db: DbDriver): Promise<void> {
  const q = (t: string) => db.dialect.qualify(schema, t);
  await db.execute(
    `INSERT INTO ${q('subject')} SELECT seq, CONCAT('s', seq), IF(seq % 3 = 0, NULL, seq / 7) FROM mysql.seq_1_to_${SUBJECTS}`,
  );
  await db.execute(
    `INSERT INTO ${q('session')} SELECT s.subject_id, k.seq, DATE('2024-01-01') + INTERVAL k.seq DAY FROM ${q('subject')} s JOIN mysql.seq_1_to_10 k`,
  );
  await db.execute(
    `INSERT INTO ${q('_scan')} SELECT s.subject_id, s.session_idx, k.seq, k.seq / 4 FROM ${q('session')} s JOIN mysql.seq_1_to_5 k`,
  );
  await db.execute(
    `INSERT INTO ${q('__roi')} SELECT s.subject_id, s.session_idx, s.scan_idx, k.seq, k.seq * 2.5 FROM ${q('_scan')} s JOIN mysql.seq_1_to_2 k`,
  );
  await db.execute(
    `INSERT INTO ${q('cage_assignment')} SELECT seq, IF(seq % 5 = 0, NULL, seq) FROM mysql.seq_1_to_${Math.max(1, SUBJECTS / 2)}`,
  );
}

/** The same change by hand, as migration.md's shadow.sql + verify.sql + swap.sql; then undone (untimed). */
async function handWritten(db: DbDriver): Promise<void> {
  const q = (t: string) => db.dialect.qualify(schema, t);
  const fk = 'ON UPDATE CASCADE ON DELETE RESTRICT';
  const ddl = [
    `CREATE TABLE ${q('h_subject')} (lab varchar(16) NOT NULL, subject_id int NOT NULL, name varchar(32) NOT NULL, weight float NULL DEFAULT NULL, PRIMARY KEY (lab, subject_id)) ENGINE=InnoDB`,
    `CREATE TABLE ${q('h_session')} (lab varchar(16) NOT NULL, subject_id int NOT NULL, session_idx int NOT NULL, session_date date NOT NULL, PRIMARY KEY (lab, subject_id, session_idx), FOREIGN KEY (lab, subject_id) REFERENCES ${q('h_subject')} (lab, subject_id) ${fk}) ENGINE=InnoDB`,
    `CREATE TABLE ${q('h_scan')} (lab varchar(16) NOT NULL, subject_id int NOT NULL, session_idx int NOT NULL, scan_idx int NOT NULL, quality float NOT NULL, PRIMARY KEY (lab, subject_id, session_idx, scan_idx), FOREIGN KEY (lab, subject_id, session_idx) REFERENCES ${q('h_session')} (lab, subject_id, session_idx) ${fk}) ENGINE=InnoDB`,
    `CREATE TABLE ${q('h_roi')} (lab varchar(16) NOT NULL, subject_id int NOT NULL, session_idx int NOT NULL, scan_idx int NOT NULL, roi_idx int NOT NULL, area float NOT NULL, PRIMARY KEY (lab, subject_id, session_idx, scan_idx, roi_idx), FOREIGN KEY (lab, subject_id, session_idx, scan_idx) REFERENCES ${q('h_scan')} (lab, subject_id, session_idx, scan_idx) ${fk}) ENGINE=InnoDB`,
    `CREATE TABLE ${q('h_cage')} (cage int NOT NULL, lab varchar(16) NULL, subject_id int NULL, PRIMARY KEY (cage), FOREIGN KEY (lab, subject_id) REFERENCES ${q('h_subject')} (lab, subject_id) ${fk}) ENGINE=InnoDB`,
    `INSERT INTO ${q('h_subject')} SELECT 'hub', subject_id, name, weight FROM ${q('subject')}`,
    `INSERT INTO ${q('h_session')} SELECT p.lab, s.subject_id, s.session_idx, s.session_date FROM ${q('session')} s JOIN ${q('h_subject')} p ON p.subject_id = s.subject_id`,
    `INSERT INTO ${q('h_scan')} SELECT p.lab, s.subject_id, s.session_idx, s.scan_idx, s.quality FROM ${q('_scan')} s JOIN ${q('h_session')} p ON p.subject_id = s.subject_id AND p.session_idx = s.session_idx`,
    `INSERT INTO ${q('h_roi')} SELECT p.lab, s.subject_id, s.session_idx, s.scan_idx, s.roi_idx, s.area FROM ${q('__roi')} s JOIN ${q('h_scan')} p ON p.subject_id = s.subject_id AND p.session_idx = s.session_idx AND p.scan_idx = s.scan_idx`,
    `INSERT INTO ${q('h_cage')} SELECT s.cage, p.lab, s.subject_id FROM ${q('cage_assignment')} s LEFT JOIN ${q('h_subject')} p ON p.subject_id = s.subject_id`,
  ];
  for (const s of ddl) await db.execute(s);
  const pairs: Array<[string, string, string[]]> = [
    ['subject', 'h_subject', ['subject_id', 'name', 'weight']],
    ['session', 'h_session', ['subject_id', 'session_idx', 'session_date']],
    ['_scan', 'h_scan', ['subject_id', 'session_idx', 'scan_idx', 'quality']],
    ['__roi', 'h_roi', ['subject_id', 'session_idx', 'scan_idx', 'roi_idx', 'area']],
    ['cage_assignment', 'h_cage', ['cage', 'subject_id']],
  ];
  for (const [a, b, cols] of pairs) {
    const sum = (t: string) => db.query(db.dialect.catalog.checksum(schema, t, cols)!);
    const [x, y] = [await sum(a), await sum(b)];
    if (JSON.stringify(x) !== JSON.stringify(y)) throw new Error(`hand-written copy of ${a} differs`);
  }
  const orphans = [
    `SELECT COUNT(*) AS n FROM ${q('h_roi')} c LEFT JOIN ${q('h_scan')} p USING (lab, subject_id, session_idx, scan_idx) WHERE p.quality IS NULL`,
    `SELECT COUNT(*) AS n FROM ${q('h_scan')} c LEFT JOIN ${q('h_session')} p USING (lab, subject_id, session_idx) WHERE p.session_date IS NULL`,
    `SELECT COUNT(*) AS n FROM ${q('h_session')} c LEFT JOIN ${q('h_subject')} p USING (lab, subject_id) WHERE p.name IS NULL`,
  ];
  for (const o of orphans) if (Number((await db.query<{ n: unknown }>(o))[0]!.n) !== 0) throw new Error('orphans');
  const swap = pairs.flatMap(([a, b]) => [`${q(a)} TO ${q(`o_${a}`)}`, `${q(b)} TO ${q(a)}`]).join(', ');
  await db.execute(`RENAME TABLE ${swap}`);
  // undo, untimed work follows in the caller's clock only as far as RENAME; drops are cheap
  const back = pairs.flatMap(([a, b]) => [`${q(a)} TO ${q(b)}`, `${q(`o_${a}`)} TO ${q(a)}`]).join(', ');
  await db.execute(`RENAME TABLE ${back}`);
  for (const t of ['h_roi', 'h_scan', 'h_cage', 'h_session', 'h_subject']) await db.execute(`DROP TABLE ${q(t)}`);
}

/** migration.md's in-place cascade: FKs dropped, per table ADD COLUMN + UPDATE + new PK, FKs re-added. */
async function inPlaceCascade(db: DbDriver): Promise<void> {
  const q = (t: string) => db.dialect.qualify(schema, t);
  const fks = await db.query<{ t: string; n: string }>(
    'SELECT TABLE_NAME AS t, CONSTRAINT_NAME AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?',
    [schema],
  );
  for (const f of fks.filter((x) => !x.t.startsWith('~')))
    await db.execute(`ALTER TABLE ${q(f.t)} DROP FOREIGN KEY \`${f.n}\``);
  const fk = 'ON UPDATE CASCADE ON DELETE RESTRICT';
  const steps = [
    `ALTER TABLE ${q('subject')} ADD COLUMN lab varchar(16) NOT NULL DEFAULT 'hub' FIRST, DROP PRIMARY KEY, ADD PRIMARY KEY (lab, subject_id)`,
    `ALTER TABLE ${q('session')} ADD COLUMN lab varchar(16) NOT NULL DEFAULT '' FIRST`,
    `UPDATE ${q('session')} s JOIN ${q('subject')} p USING (subject_id) SET s.lab = p.lab`,
    `ALTER TABLE ${q('session')} DROP PRIMARY KEY, ADD PRIMARY KEY (lab, subject_id, session_idx)`,
    `ALTER TABLE ${q('_scan')} ADD COLUMN lab varchar(16) NOT NULL DEFAULT '' FIRST`,
    `UPDATE ${q('_scan')} s JOIN ${q('session')} p USING (subject_id, session_idx) SET s.lab = p.lab`,
    `ALTER TABLE ${q('_scan')} DROP PRIMARY KEY, ADD PRIMARY KEY (lab, subject_id, session_idx, scan_idx)`,
    `ALTER TABLE ${q('__roi')} ADD COLUMN lab varchar(16) NOT NULL DEFAULT '' FIRST`,
    `UPDATE ${q('__roi')} s JOIN ${q('_scan')} p USING (subject_id, session_idx, scan_idx) SET s.lab = p.lab`,
    `ALTER TABLE ${q('__roi')} DROP PRIMARY KEY, ADD PRIMARY KEY (lab, subject_id, session_idx, scan_idx, roi_idx)`,
    `ALTER TABLE ${q('cage_assignment')} ADD COLUMN lab varchar(16) NULL`,
    `UPDATE ${q('cage_assignment')} s JOIN ${q('subject')} p USING (subject_id) SET s.lab = p.lab`,
    `ALTER TABLE ${q('session')} ADD FOREIGN KEY (lab, subject_id) REFERENCES ${q('subject')} (lab, subject_id) ${fk}`,
    `ALTER TABLE ${q('_scan')} ADD FOREIGN KEY (lab, subject_id, session_idx) REFERENCES ${q('session')} (lab, subject_id, session_idx) ${fk}`,
    `ALTER TABLE ${q('__roi')} ADD FOREIGN KEY (lab, subject_id, session_idx, scan_idx) REFERENCES ${q('_scan')} (lab, subject_id, session_idx, scan_idx) ${fk}`,
    `ALTER TABLE ${q('cage_assignment')} ADD FOREIGN KEY (lab, subject_id) REFERENCES ${q('subject')} (lab, subject_id) ${fk}`,
  ];
  for (const s of steps) await db.execute(s);
}
