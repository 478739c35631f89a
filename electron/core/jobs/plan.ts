import type { Restriction } from '../../../shared/api/schemas/data';
import type { JobPlan } from '../../../shared/api/schemas/jobs';
import type { AttributeInfo, ForeignKeyInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import { restrictionSql } from '../data/restriction';
import { decodeRow } from '../data/values';
import type { DbSession, Row } from '../db/driver';
import { hashCanonicalKey } from './canonical-key-hash';
import { keysIn } from './job-sql';
import { ancestorsOf } from './task-check';

const MAX_ROWS = 200_000;
/** Keys bound per `IN (...)` query. */
const CHUNK = 1000;

type Planned = JobPlan['jobs'][number];

interface PlanState {
  db: DbSession;
  byName: Map<string, TableInfo>;
  /**
   * Per table, the primary keys (in its own names) of the rows that descend from the staged rows:
   * existing rows, and for auto-populated tables also the rows their planned jobs will make.
   */
  affected: Map<string, Row[]>;
  /** Planned jobs per auto table, indexed by their key values in primary-key order. */
  planned: Map<string, Map<string, Planned>>;
  /** Tables whose rows come from planned jobs with keys unknown before they run (see notes). */
  unknownRows: Map<string, string>;
}

/**
 * The jobs that would follow from "staged" rows (a restriction on an upstream table), as a DAG in
 * dependency order: for each downstream auto-populated table, the keys its key source would have
 * once the planned upstream jobs ran (assuming each makes its one row per key), minus keys
 * already computed; each job lists the planned jobs it waits for. Rows are traced through every
 * foreign key, renamed ones included, so `-> Session.proj(ref='session_id')` paths are planned
 * too. Workflow exporters (Prefect, Flyte, Slurm) turn this into their own forms.
 */
export async function planJobs(
  db: DbSession,
  tables: readonly TableInfo[],
  staged: TableInfo,
  restriction: Restriction | undefined,
): Promise<JobPlan> {
  const byName = new Map(tables.map((t) => [t.full_name, t]));
  const where = restrictionSql(db.dialect, staged, restriction);
  const pk = keyAttributes(staged);
  const raw = await db.query(
    `SELECT DISTINCT ${pk.map((a) => db.dialect.quoteIdent(a.name)).join(', ')} FROM ${db.dialect.qualify(staged.schema, staged.table_name)} WHERE ${where.sql} LIMIT ${MAX_ROWS + 1}`,
    where.params,
  );
  tooMany(raw.length, staged.full_name);
  const stagedKeys = raw.map((r) => decodeRow(pk, r));
  const st: PlanState = {
    db,
    byName,
    affected: new Map([[staged.full_name, stagedKeys]]),
    planned: new Map(),
    unknownRows: new Map(),
  };
  const out: JobPlan = { staged: { full_name: staged.full_name, keys: stagedKeys.length }, tables: [], jobs: [] };
  // `tables` is parents-first, so every parent's affected rows are known before its children's
  const downstream = tables.filter((t) => t !== staged && ancestorsOf(t, byName).has(staged.full_name));
  for (const t of downstream) {
    if (t.tier === 'Imported' || t.tier === 'Computed') {
      const { jobs, note } = await planTable(st, t);
      out.tables.push({ full_name: t.full_name, jobs: jobs.length, note });
      out.jobs.push(...jobs);
    } else {
      st.affected.set(t.full_name, await existingDescendants(st, t));
      const master = t.master ? st.planned.get(t.master) : undefined;
      if (master?.size)
        st.unknownRows.set(
          t.full_name,
          `the rows of ${t.full_name} come from the jobs of its master; only its existing rows are used`,
        );
    }
  }
  return out;
}

/** The planned jobs of one auto-populated table, its affected rows recorded for its children. */
async function planTable(st: PlanState, t: TableInfo): Promise<{ jobs: Planned[]; note: string | null }> {
  const parents = t.foreign_keys.filter((fk) => fk.primary);
  const notes = parents.flatMap((fk) => st.unknownRows.get(fk.parent) ?? []);
  const candidates = new Map<string, Row>();
  // a key-source row follows from the staged rows when one of its parents' rows does
  for (const seed of parents) {
    let rows: Row[] = dedupe((st.affected.get(seed.parent) ?? []).map((r) => toChild(seed, r)));
    for (const other of parents) {
      if (other === seed || rows.length === 0) continue;
      rows = naturalJoin(rows, await parentRows(st, other, rows));
    }
    for (const r of rows) candidates.set(valuesKey(r, Object.keys(r).sort()), r);
  }
  const rows = [...candidates.values()];
  tooMany(rows.length, t.full_name);
  if (rows.length === 0) {
    // nothing of its key source follows from the staged rows, so neither does any of its rows
    st.affected.set(t.full_name, []);
    return { jobs: [], note: notes.length ? [...new Set(notes)].join('; ') : null };
  }
  const ksNames = t.attributes.filter((a) => rows[0] && a.name in rows[0]).map((a) => a.name);
  const ksAttrs = ksNames.map((n) => t.attributes.find((a) => a.name === n)!);
  const existing = await rowsWithKeys(st.db, t, ksAttrs, rows);
  const done = new Set(existing.map((r) => valuesKey(r, ksNames)));
  const jobs: Planned[] = [];
  for (const r of rows) {
    if (done.has(valuesKey(r, ksNames))) continue;
    const key = Object.fromEntries(ksNames.map((n) => [n, r[n]]));
    const keyHash = hashCanonicalKey(key, t);
    jobs.push({
      id: `${t.full_name}#${keyHash}`,
      full_name: t.full_name,
      key,
      key_hash: keyHash,
      depends_on: dependsOn(st, t, key),
    });
  }
  const oneRowPerKey = t.primary_key.every((k) => ksNames.includes(k));
  if (oneRowPerKey) {
    st.planned.set(t.full_name, new Map(jobs.map((j) => [valuesKey(j.key, t.primary_key), j])));
    st.affected.set(t.full_name, [...existing, ...jobs.map((j) => j.key)]);
  } else {
    st.affected.set(t.full_name, existing);
    if (jobs.length)
      st.unknownRows.set(t.full_name, `${t.full_name} makes several rows per key; only its existing rows are used`);
  }
  return { jobs, note: notes.length ? [...new Set(notes)].join('; ') : null };
}

/** Existing rows of a table that reference, through any of its foreign keys, affected rows of the parent. */
async function existingDescendants(st: PlanState, t: TableInfo): Promise<Row[]> {
  const found = new Map<string, Row>();
  for (const fk of t.foreign_keys) {
    const parentKeys = dedupe((st.affected.get(fk.parent) ?? []).map((r) => toChild(fk, r)));
    const attrs = Object.keys(fk.attr_map).map((c) => attribute(t, c));
    for (const r of await rowsWithKeys(st.db, t, attrs, parentKeys)) found.set(valuesKey(r, t.primary_key), r);
    tooMany(found.size, t.full_name);
  }
  return [...found.values()];
}

/**
 * A parent's rows under the child's names (its existing rows and its planned keys), limited to
 * those that agree with `rows` on the attributes they share.
 */
async function parentRows(st: PlanState, fk: ForeignKeyInfo, rows: readonly Row[]): Promise<Row[]> {
  const parent = st.byName.get(fk.parent);
  if (!parent) throw appError('NOT_FOUND', `parent table ${fk.parent} is not loaded`);
  const shared = Object.keys(fk.attr_map).filter((c) => c in rows[0]!);
  const sharedKeys = dedupe(rows.map((r) => Object.fromEntries(shared.map((c) => [fk.attr_map[c]!, r[c]]))));
  const existing = shared.length
    ? await rowsWithKeys(
        st.db,
        parent,
        shared.map((c) => attribute(parent, fk.attr_map[c]!)),
        sharedKeys,
      )
    : await rowsWithKeys(st.db, parent, [], []);
  const planned = [...(st.planned.get(fk.parent)?.values() ?? [])].map((j) => j.key);
  return dedupe([...existing, ...planned].map((r) => toChild(fk, r)));
}

/**
 * DISTINCT primary keys of the table's rows whose `attrs` equal one of `keys` (all rows when
 * `attrs` is empty), queried in chunks so that no statement binds too many values.
 */
async function rowsWithKeys(
  db: DbSession,
  t: TableInfo,
  attrs: readonly AttributeInfo[],
  keys: readonly Row[],
): Promise<Row[]> {
  const pk = keyAttributes(t);
  const select = `SELECT DISTINCT ${pk.map((a) => db.dialect.quoteIdent(a.name)).join(', ')} FROM ${db.dialect.qualify(t.schema, t.table_name)}`;
  if (attrs.length === 0) {
    const all = await db.query(`${select} LIMIT ${MAX_ROWS + 1}`);
    tooMany(all.length, t.full_name);
    return all.map((r) => decodeRow(pk, r));
  }
  const out: Row[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) {
    const cond = keysIn(db.dialect, attrs, keys.slice(i, i + CHUNK));
    for (const r of await db.query(`${select} WHERE ${cond.sql}`, cond.params)) out.push(decodeRow(pk, r));
    tooMany(out.length, t.full_name);
  }
  return out;
}

/** Planned jobs of the parents that this key's rows reference (through renamed foreign keys too). */
function dependsOn(st: PlanState, t: TableInfo, key: Row): string[] {
  const ids: string[] = [];
  for (const fk of t.foreign_keys.filter((f) => f.primary)) {
    const planned = st.planned.get(fk.parent);
    const parent = st.byName.get(fk.parent);
    if (!planned?.size || !parent) continue;
    const toParent = Object.fromEntries(Object.entries(fk.attr_map).map(([child, p]) => [p, key[child]]));
    const hit = planned.get(valuesKey(toParent, parent.primary_key));
    if (hit && !ids.includes(hit.id)) ids.push(hit.id);
  }
  return ids;
}

/** A parent's key row under the child's attribute names. */
function toChild(fk: ForeignKeyInfo, parentRow: Row): Row {
  return Object.fromEntries(Object.entries(fk.attr_map).map(([child, parent]) => [child, parentRow[parent]]));
}

function naturalJoin(a: Row[], b: Row[]): Row[] {
  if (a.length === 0 || b.length === 0) return [];
  const shared = Object.keys(a[0]!).filter((k) => k in b[0]!);
  const index = new Map<string, Row[]>();
  for (const r of b) {
    const k = valuesKey(r, shared);
    const list = index.get(k);
    if (list) list.push(r);
    else index.set(k, [r]);
  }
  const out: Row[] = [];
  for (const r of a) for (const m of index.get(valuesKey(r, shared)) ?? []) out.push({ ...m, ...r });
  return out;
}

function dedupe(rows: Row[]): Row[] {
  const seen = new Map<string, Row>();
  for (const r of rows) seen.set(valuesKey(r, Object.keys(r)), r);
  return [...seen.values()];
}

/** The values of the named attributes as one comparable string (rows hold canonical values). */
function valuesKey(row: Row, names: readonly string[]): string {
  return names.map((n) => String(row[n])).join('\0');
}

function keyAttributes(t: TableInfo): AttributeInfo[] {
  return t.attributes.filter((a) => a.in_key);
}

function attribute(t: TableInfo, name: string): AttributeInfo {
  const a = t.attributes.find((x) => x.name === name);
  if (!a) throw appError('NOT_FOUND', `${t.full_name} has no attribute "${name}"`);
  return a;
}

function tooMany(n: number, table: string): void {
  if (n > MAX_ROWS)
    throw appError(
      'UNSUPPORTED',
      `${table} has more than ${MAX_ROWS} rows to plan from; restrict the staged rows further.`,
      { details: { table } },
    );
}
