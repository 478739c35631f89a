import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { MigrationPlan, PlanTable } from '../../../shared/migrate';
import { toTableInfo } from '../../../shared/model/table-info';
import { decodeJobKey } from '../data/blob-values';
import { readCatalog } from '../db/catalog/read-catalog';
import { hiddenTables } from '../db/catalog/hidden-tables';
import type { DbDriver, DbSession, Row } from '../db/driver';
import { hashCanonicalKey } from '../jobs/canonical-key-hash';
import { keyBlob, keyJson, parseKeyJson } from '../jobs/job-keys';
import {
  CACHE_TABLE,
  CALLBACK_TABLE,
  LEASE_TABLE,
  OLD_LEASE_TABLE,
  PROVENANCE_TABLE,
  RUN_TABLE,
  TASK_TABLE,
} from '../jobs/job-tables';

/**
 * After the swap, the job records follow the tables: `~jobs` rows (DataJoint's, keyed by the
 * key's hash) and Joinery's leases, runs and provenance get the new table name, the new key and
 * its hash; tasks, cache and callbacks the new table name. A key is mapped as its rows were:
 * carried values, literals, and values looked up in the new parent by the old key. A record
 * whose key cannot be mapped (its parent row is gone) is deleted and counted. DataJoint's
 * `~log` holds no keys; it gets one event line naming the migration (and one for its rollback), as
 * DataJoint logs declarations.
 */

/** Counts of rewritten and dropped records. */
export interface RewriteReport {
  rewritten: number;
  dropped: number;
}

/** One table's records moving from one name and key shape to another. */
interface Move {
  schema: string;
  from: string;
  to: string;
  info: TableInfo;
  map: (key: Row) => Promise<Row | null>;
  /** Where the new table's rows are now: its final name after the swap, its shadow name after a rollback. */
  newTable: { schema: string; tableName: string };
  forward: boolean;
}

/**
 * Rewrites the job records of every affected table: `forward` after the swap, `back` after a
 * rollback's reverse swap (a key loses what the migration added and gets its old names back).
 */
export async function rewriteJobRecords(
  db: DbSession,
  plan: MigrationPlan,
  direction: 'forward' | 'back',
): Promise<RewriteReport> {
  const report: RewriteReport = { rewritten: 0, dropped: 0 };
  const schemas = [...new Set(plan.tables.map((t) => t.target.schema))];
  const hidden = new Map<string, Set<string>>();
  for (const s of schemas) hidden.set(s, await hiddenTables(db, s));
  // no job records anywhere (the common case): no catalog to read
  if ([...hidden.values()].some((h) => RECORD_TABLES.some((n) => h.has(n))))
    await rewriteAll(db, plan, direction, hidden, report);
  await logEvent(db, plan, direction, hidden.get(plan.homeSchema));
  return report;
}

/** Every table that keeps records naming a table or its key. */
const RECORD_TABLES = [
  '~jobs',
  LEASE_TABLE,
  OLD_LEASE_TABLE,
  PROVENANCE_TABLE,
  RUN_TABLE,
  TASK_TABLE,
  CACHE_TABLE,
  CALLBACK_TABLE,
];

async function rewriteAll(
  db: DbSession,
  plan: MigrationPlan,
  direction: 'forward' | 'back',
  hidden: Map<string, Set<string>>,
  report: RewriteReport,
): Promise<void> {
  // inside SQLite's migration transaction `db` is that transaction; the reader only queries
  const catalog = await readCatalog(db as DbDriver, [...hidden.keys()], { rowCounts: false });
  const infos = catalog.schemas.flatMap((s) => s.tables.map((t) => toTableInfo(t)));
  for (const t of plan.tables) {
    if (!t.replaces || t.replaces.schema !== t.target.schema) continue;
    const [from, to] =
      direction === 'forward' ? [t.replaces.tableName, t.target.tableName] : [t.target.tableName, t.replaces.tableName];
    const info = infos.find((x) => x.schema === t.target.schema && x.table_name === to);
    if (!info) continue;
    const map = (key: Row) => (direction === 'forward' ? mapKey(db, plan, t, key) : Promise.resolve(unmapKey(t, key)));
    const forward = direction === 'forward';
    const newTable = forward ? t.target : t.shadow;
    const move = { schema: t.target.schema, from, to, info, map, newTable, forward };
    await rewriteTable(db, t, move, hidden.get(t.target.schema)!, report);
  }
}

async function rewriteTable(
  db: DbSession,
  t: PlanTable,
  m: Move,
  hidden: Set<string>,
  report: RewriteReport,
): Promise<void> {
  const hashes = new Map<string, string>();
  if (t.keyChanged) {
    if (hidden.has('~jobs')) await rewriteDjJobs(db, m, hashes, report);
    for (const name of [LEASE_TABLE, OLD_LEASE_TABLE, PROVENANCE_TABLE])
      if (hidden.has(name)) await rewriteKeyed(db, m, name, hashes, report);
    if (hidden.has(RUN_TABLE)) await rewriteRuns(db, t, m, hashes);
  }
  if (m.from !== m.to)
    for (const name of RECORD_TABLES)
      if (hidden.has(name))
        await db.execute(`UPDATE ${db.dialect.qualify(m.schema, name)} SET table_name = ? WHERE table_name = ?`, [
          m.to,
          m.from,
        ]);
}

async function rewriteDjJobs(
  db: DbSession,
  m: Move,
  hashes: Map<string, string>,
  report: RewriteReport,
): Promise<void> {
  const q = db.dialect.qualify(m.schema, '~jobs');
  const rows = await db.query<{ key_hash: string; key: Buffer | null }>(
    `SELECT key_hash, ${db.dialect.quoteIdent('key')} AS ${db.dialect.quoteIdent('key')} FROM ${q} WHERE table_name = ?`,
    [m.from],
  );
  for (const r of rows) {
    const oldKey = r.key ? decodeJobKey(r.key) : null;
    const newKey = oldKey ? await m.map(oldKey) : null;
    if (!newKey) {
      await db.execute(`DELETE FROM ${q} WHERE table_name = ? AND key_hash = ?`, [m.from, r.key_hash]);
      report.dropped++;
      continue;
    }
    const hash = hashCanonicalKey(newKey, m.info);
    hashes.set(r.key_hash, hash);
    await db.execute(
      `UPDATE ${q} SET key_hash = ?, ${db.dialect.quoteIdent('key')} = ? WHERE table_name = ? AND key_hash = ?`,
      [hash, keyBlob(newKey, m.info), m.from, r.key_hash],
    );
    report.rewritten++;
  }
}

async function rewriteKeyed(
  db: DbSession,
  m: Move,
  table: string,
  hashes: Map<string, string>,
  report: RewriteReport,
): Promise<void> {
  const q = db.dialect.qualify(m.schema, table);
  const rows = await db.query<{ key_hash: string; key_json: string }>(
    `SELECT key_hash, key_json FROM ${q} WHERE table_name = ?`,
    [m.from],
  );
  for (const r of rows) {
    const newKey = await m.map(parseKeyJson(r.key_json));
    if (!newKey) {
      await db.execute(`DELETE FROM ${q} WHERE table_name = ? AND key_hash = ?`, [m.from, r.key_hash]);
      report.dropped++;
      continue;
    }
    const hash = hashCanonicalKey(newKey, m.info);
    hashes.set(r.key_hash, hash);
    await db.execute(`UPDATE ${q} SET key_hash = ?, key_json = ? WHERE table_name = ? AND key_hash = ?`, [
      hash,
      keyJson(newKey),
      m.from,
      r.key_hash,
    ]);
    report.rewritten++;
  }
}

/**
 * Runs hold only a key's hash. Those of keys another record names move with it (`hashes`); the
 * rest (a key whose lease was cleared) are matched against the new table's own keys: each
 * distinct whole key and key-source key, hashed in both shapes.
 */
async function rewriteRuns(db: DbSession, t: PlanTable, m: Move, hashes: Map<string, string>): Promise<void> {
  const q = db.dialect.qualify(m.schema, RUN_TABLE);
  const runs = (
    await db.query<{ key_hash: string }>(`SELECT DISTINCT key_hash FROM ${q} WHERE table_name = ?`, [m.from])
  ).map((r) => r.key_hash);
  const lone = new Set(runs.filter((h) => !hashes.has(h)));
  const found = lone.size ? await hashesOfRows(db, t, m, lone) : new Map<string, string>();
  for (const from of runs) {
    const to = hashes.get(from) ?? found.get(from);
    if (to && to !== from)
      await db.execute(`UPDATE ${q} SET key_hash = ? WHERE table_name = ? AND key_hash = ?`, [to, m.from, from]);
  }
}

/** Old hash -> new hash (reversed for a rollback) of the new table's keys whose hash is `wanted`. */
async function hashesOfRows(db: DbSession, t: PlanTable, m: Move, wanted: Set<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const key = t.target.primaryKey;
  const inherited = key.filter((k) => t.target.columns.find((c) => c.name === k)?.fromForeignKey != null);
  const d = db.dialect;
  for (const attrs of inherited.length && inherited.length < key.length ? [key, inherited] : [key]) {
    const rows = await db.query(
      `SELECT DISTINCT ${attrs.map((a) => d.quoteIdent(a)).join(', ')} FROM ${d.qualify(m.newTable.schema, m.newTable.tableName)}`,
    );
    for (const row of rows) {
      const old = unmapKey(t, row);
      if (!old) continue;
      // one description serves both shapes: the hash needs only the types of the carried attributes
      const [oldHash, newHash] = [hashCanonicalKey(old, m.info), hashCanonicalKey(row, m.info)];
      const [from, to] = m.forward ? [oldHash, newHash] : [newHash, oldHash];
      if (wanted.has(from)) out.set(from, to);
    }
  }
  return out;
}

/**
 * The new key of an old key, or null when it cannot be mapped (a parent value is gone, or an
 * attribute of the key was dropped). A job's key is its key source's key, often a part of the
 * table's primary key (`-> Scan, roi_idx`: jobs keyed by the scan): only the attributes the old
 * key has are mapped, and a new attribute joins when it belongs (see {@link joinsKey}).
 */
export async function mapKey(db: DbSession, plan: MigrationPlan, t: PlanTable, oldKey: Row): Promise<Row | null> {
  if (!keptWhole(t, oldKey)) return null;
  const whole = t.sourceKey.every((k) => k in oldKey);
  const out: Row = {};
  for (const k of t.target.primaryKey) {
    const from = t.columns.find((c) => c.name === k)!.from;
    if (from.kind === 'column') {
      if (from.column in oldKey) out[k] = oldKey[from.column];
    } else if (from.kind === 'literal') {
      if (joinsKey(t, k, oldKey, whole)) out[k] = from.value;
    } else if (from.kind === 'parent') {
      const j = t.joins[from.join]!;
      if (!joinsKey(t, k, oldKey, whole) || j.on.some((o) => !(o.sourceColumn in oldKey))) continue;
      const p =
        j.planIndex === null
          ? j.table
          : { schema: plan.tables[j.planIndex]!.target.schema, tableName: plan.tables[j.planIndex]!.target.tableName };
      const d = db.dialect;
      const rows = await db.query(
        `SELECT ${d.quoteIdent(from.column)} AS v FROM ${d.qualify(p.schema, p.tableName)} WHERE ${j.on.map((o) => `${d.quoteIdent(o.parentColumn)} = ?`).join(' AND ')} LIMIT 1`,
        j.on.map((o) => oldKey[o.sourceColumn]),
      );
      if (!rows[0]) return null;
      out[k] = rows[0].v;
    } else if (whole) return null;
  }
  return Object.keys(out).length ? out : null;
}

/**
 * Whether a new attribute joins a (possibly partial) old key: an inherited one when the key has
 * the rest of that parent's key (`lab` joins a scan's key with subject_id), an own one only a
 * whole key.
 */
function joinsKey(t: PlanTable, k: string, oldKey: Row, whole: boolean): boolean {
  const index = t.target.columns.find((c) => c.name === k)?.fromForeignKey;
  const fk = index === null || index === undefined ? undefined : t.target.foreignKeys[index];
  if (!fk) return whole;
  const others = fk.columns.flatMap((c) => {
    const from = c === k ? undefined : t.columns.find((x) => x.name === c)?.from;
    return from?.kind === 'column' ? [from.column] : [];
  });
  return others.length ? others.every((o) => o in oldKey) : whole;
}

/** Every attribute of an old key lives on in the new key (none was dropped). */
function keptWhole(t: PlanTable, oldKey: Row): boolean {
  const carried = new Set(
    t.columns.flatMap((c) => (c.from.kind === 'column' && t.target.primaryKey.includes(c.name) ? [c.from.column] : [])),
  );
  return Object.keys(oldKey).every((k) => carried.has(k));
}

/** The old key of a new key: carried values under their old names; added attributes dropped. */
export function unmapKey(t: PlanTable, newKey: Row): Row | null {
  const out: Row = {};
  for (const k of t.sourceKey) {
    const col = t.columns.find((c) => c.from.kind === 'column' && c.from.column === k);
    if (!col) return null;
    if (col.name in newKey) out[k] = newKey[col.name];
  }
  return Object.keys(out).length ? out : null;
}

async function logEvent(
  db: DbSession,
  plan: MigrationPlan,
  direction: 'forward' | 'back',
  known: Set<string> | undefined,
): Promise<void> {
  const schema = plan.homeSchema;
  if (!(known ?? (await hiddenTables(db, schema))).has('~log')) return;
  const d = db.dialect;
  const event = (
    direction === 'forward'
      ? `Joinery migration ${plan.id}: ${plan.view.tables.map((t) => t.target).join(', ')}`
      : `Joinery migration ${plan.id} rolled back`
  ).slice(0, 255);
  await db.execute(
    `INSERT INTO ${d.qualify(schema, '~log')} (${['version', 'user', 'host', 'event'].map((c) => d.quoteIdent(c)).join(', ')}) VALUES (?, ?, ?, ?)`,
    ['joinery', 'joinery', '', event],
  );
}
