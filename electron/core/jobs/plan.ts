import type { Restriction } from '../../../shared/api/schemas/data';
import type { JobPlan } from '../../../shared/api/schemas/jobs';
import type { AttributeInfo, ForeignKeyInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import { splitFullName } from '../../../shared/sql/key-source';
import { restrictionSql } from '../data/restriction';
import { decodeRow } from '../data/values';
import type { DbSession, Row } from '../db/driver';
import { hashCanonicalKey } from './canonical-key-hash';
import { keysIn } from './job-sql';
import { ancestorsOf } from './task-check';

const MAX_ROWS = 200_000;

type Planned = JobPlan['jobs'][number];

interface PlanState {
  db: DbSession;
  staged: TableInfo;
  stagedKeys: Row[];
  byName: Map<string, TableInfo>;
  /** Planned keys of each auto table (key-source attributes, in that table's names). */
  virtual: Map<string, Planned[]>;
  /** Auto tables whose jobs make several rows per key: what lies below them cannot be planned. */
  expands: Set<string>;
}

/**
 * The jobs that would follow from "staged" rows (a restriction on an upstream table), as a DAG in
 * dependency order: for each downstream auto-populated table, the keys its key source would have
 * once the planned upstream jobs ran (assuming each makes its one row per key), minus keys
 * already computed; each job lists the planned jobs it waits for. Workflow exporters (Prefect,
 * Flyte, Slurm) turn this into their own forms. Downstream keys are linked to the staged rows by
 * the staged table's primary-key attribute names.
 */
export async function planJobs(db: DbSession, tables: readonly TableInfo[], staged: TableInfo, restriction: Restriction | undefined): Promise<JobPlan> {
  const byName = new Map(tables.map((t) => [t.full_name, t]));
  const where = restrictionSql(db.dialect, staged, restriction);
  const pk = staged.attributes.filter((a) => a.in_key);
  const stagedRows = await db.query(`SELECT DISTINCT ${pk.map((a) => db.dialect.quoteIdent(a.name)).join(', ')} FROM ${db.dialect.qualify(staged.schema, staged.table_name)} WHERE ${where.sql}`, where.params);
  const st: PlanState = { db, staged, stagedKeys: stagedRows.map((r) => decodeRow(pk, r)), byName, virtual: new Map(), expands: new Set() };
  const out: JobPlan = { staged: { full_name: staged.full_name, keys: st.stagedKeys.length }, tables: [], jobs: [] };
  const downstream = tables.filter((t) => (t.tier === 'Imported' || t.tier === 'Computed') && ancestorsOf(t, byName).has(staged.full_name));
  for (const t of downstream) {
    const { jobs, note } = await planTable(st, t);
    out.tables.push({ full_name: t.full_name, jobs: jobs.length, note });
    out.jobs.push(...jobs);
  }
  return out;
}

async function planTable(st: PlanState, t: TableInfo): Promise<{ jobs: Planned[]; note: string | null }> {
  const parents = t.foreign_keys.filter((fk) => fk.primary);
  const link = st.staged.primary_key.filter((k) => t.primary_key.includes(k));
  if (link.length === 0) return { jobs: [], note: `its key does not carry ${st.staged.primary_key.join(', ')} under the same names, so its jobs cannot be traced to the staged rows` };
  let rows: Row[] | null = null;
  const notes: string[] = [];
  for (const fk of parents) {
    const parentRows = await parentKeys(st, fk);
    if (st.expands.has(fk.parent)) notes.push(`${fk.parent} makes several rows per key; only its existing rows are used`);
    rows = rows === null ? parentRows : naturalJoin(rows, parentRows);
  }
  const ksNames = t.attributes.filter((a) => rows?.[0] && a.name in rows[0]).map((a) => a.name);
  const attrs = ksNames.map((n) => t.attributes.find((a) => a.name === n)!);
  const stagedSet = new Set(st.stagedKeys.map((k) => link.map((c) => String(k[c])).join('\0')));
  const existing = await existingKeys(st.db, t, attrs);
  const jobs: Planned[] = [];
  const seen = new Set<string>();
  for (const r of rows ?? []) {
    if (!stagedSet.has(link.map((c) => String(r[c])).join('\0'))) continue;
    const key = Object.fromEntries(ksNames.map((n) => [n, r[n]]));
    const keyHash = hashCanonicalKey(key, t);
    if (existing.has(keyHash) || seen.has(keyHash)) continue;
    seen.add(keyHash);
    jobs.push({ id: `${t.full_name}#${keyHash}`, full_name: t.full_name, key, key_hash: keyHash, depends_on: dependsOn(st, t, key) });
  }
  const oneRowPerKey = t.primary_key.every((k) => ksNames.includes(k));
  if (!oneRowPerKey) st.expands.add(t.full_name);
  st.virtual.set(t.full_name, oneRowPerKey ? jobs : []);
  return { jobs, note: notes.length ? notes.join('; ') : null };
}

/** A parent's primary keys under the child's names: its rows, plus the keys planned for it. */
async function parentKeys(st: PlanState, fk: ForeignKeyInfo): Promise<Row[]> {
  const parent = st.byName.get(fk.parent);
  if (!parent) throw appError('NOT_FOUND', `parent table ${fk.parent} is not loaded`);
  const toChild = new Map(Object.entries(fk.attr_map).map(([c, p]) => [p, c]));
  const pk = parent.attributes.filter((a) => a.in_key);
  const link = st.staged.primary_key.filter((k) => pk.some((a) => a.name === k));
  const [schema, name] = splitFullName(fk.parent);
  // restricted by the staged keys where the parent carries them (a lookup table is read whole)
  const cond = link.length === st.staged.primary_key.length ? keysIn(st.db.dialect, link.map((n) => pk.find((a) => a.name === n)!), st.stagedKeys) : { sql: '1=1', params: [] };
  const raw = await st.db.query(`SELECT DISTINCT ${pk.map((a) => st.db.dialect.quoteIdent(a.name)).join(', ')} FROM ${st.db.dialect.qualify(schema, name)} WHERE ${cond.sql} LIMIT ${MAX_ROWS + 1}`, cond.params);
  if (raw.length > MAX_ROWS) throw appError('UNSUPPORTED', `${fk.parent} has more than ${MAX_ROWS} rows to plan from; restrict the staged rows further.`);
  const rename = (r: Row) => Object.fromEntries(Object.entries(r).map(([k, v]) => [toChild.get(k) ?? k, v]));
  const rows = raw.map((r) => rename(decodeRow(pk, r)));
  for (const j of st.virtual.get(fk.parent) ?? []) rows.push(rename(j.key));
  return rows;
}

function naturalJoin(a: Row[], b: Row[]): Row[] {
  if (a.length === 0 || b.length === 0) return [];
  const shared = Object.keys(a[0]!).filter((k) => k in b[0]!);
  const index = new Map<string, Row[]>();
  for (const r of b) {
    const k = shared.map((c) => String(r[c])).join('\0');
    index.set(k, [...(index.get(k) ?? []), r]);
  }
  const out: Row[] = [];
  for (const r of a) for (const m of index.get(shared.map((c) => String(r[c])).join('\0')) ?? []) out.push({ ...m, ...r });
  return out;
}

async function existingKeys(db: DbSession, t: TableInfo, attrs: AttributeInfo[]): Promise<Set<string>> {
  if (attrs.length === 0) return new Set();
  const rows = await db.query(`SELECT DISTINCT ${attrs.map((a) => db.dialect.quoteIdent(a.name)).join(', ')} FROM ${db.dialect.qualify(t.schema, t.table_name)}`);
  return new Set(rows.map((r) => hashCanonicalKey(decodeRow(attrs, r), t)));
}

/** Planned jobs of auto parents whose key is this key's projection (through renamed foreign keys). */
function dependsOn(st: PlanState, t: TableInfo, key: Row): string[] {
  const ids: string[] = [];
  for (const fk of t.foreign_keys.filter((f) => f.primary)) {
    const planned = st.virtual.get(fk.parent);
    if (!planned?.length) continue;
    const want = Object.entries(fk.attr_map).map(([child, parent]) => [parent, String(key[child])] as const);
    const hit = planned.find((p) => want.every(([pa, v]) => String(p.key[pa]) === v));
    if (hit) ids.push(hit.id);
  }
  return ids;
}
