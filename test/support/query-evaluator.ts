import type { OrderItem, RCond, RQuery } from '../../shared/query/resolved';
import { type QueryHeading, typeOfAttribute } from '../../shared/query/types';
import { compare, compareNullsFirst, type EvalRow, evalAggregate, evalExpr, type V } from './query-eval-expr';

/**
 * The reference evaluator: DataJoint's operators over arrays of rows, written for clarity rather
 * than speed, with nothing shared with the SQL compilers but the resolved tree. The property test
 * demands that MariaDB, SQLite and this evaluator return the same rows for every random query.
 */

/** Stored rows by `schema` NUL `table`, values in the evaluator's form (see {@link toEvalRow}). */
export type MemoryDb = ReadonlyMap<string, readonly EvalRow[]>;

/** The key of a table in a {@link MemoryDb}. */
export const memoryKey = (schema: string, table: string) => `${schema}\u0000${table}`;

/** Canonical values -> evaluator values (decimal strings become numbers). */
export function toEvalRow(row: Record<string, unknown>): EvalRow {
  const out: EvalRow = {};
  for (const [k, v] of Object.entries(row))
    out[k] =
      v === null || v === undefined ? null : typeof v === 'string' && /^-?\d+\.\d+$/.test(v) ? Number(v) : (v as V);
  return out;
}

/** Evaluates a query and returns rows with canonical values (decimals as strings with their scale), ordered and paged if asked. */
export function evaluate(
  q: RQuery,
  db: MemoryDb,
  page?: { order: readonly OrderItem[]; limit: number | null; offset: number },
): Record<string, unknown>[] {
  const rows = run(q, db);
  return (page ? sortPage(rows, q.heading, page.order, page.limit, page.offset) : rows).map((r) =>
    canonical(q.heading, r),
  );
}

/** Canonical form of an evaluator row for the heading: decimals fixed to their scale. */
export function canonical(h: QueryHeading, r: EvalRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of h.attributes) {
    const v = r[a.name] ?? null;
    const t = typeOfAttribute(a);
    out[a.name] = v === null ? null : t.kind === 'decimal' ? Number(v).toFixed(t.scale ?? 0) : v;
  }
  return out;
}

function run(q: RQuery, db: MemoryDb): EvalRow[] {
  switch (q.kind) {
    case 'table': {
      const rows = db.get(memoryKey(q.schema, q.table));
      if (!rows) throw new Error(`no rows for ${q.schema}.${q.table}`);
      return rows.map((r) => ({ ...r }));
    }
    case 'restrict':
      return run(q.source, db).filter((r) => cond(q.cond, r, db) === 1);
    case 'join': {
      const right = run(q.right, db);
      return run(q.left, db).flatMap((l) => right.filter((r) => matches(l, r, q.on)).map((r) => ({ ...r, ...l })));
    }
    case 'proj':
      return run(q.source, db).map((r) => Object.fromEntries(q.columns.map((c) => [c.name, evalExpr(c.expr, r)])));
    case 'aggr':
      return aggr(q, db);
    case 'distinct':
      return dedupe(
        run(q.source, db).map((r) =>
          pick(
            r,
            q.heading.attributes.map((a) => a.name),
          ),
        ),
      );
    case 'rekey':
      return run(q.source, db);
    case 'union':
      return union(q, db);
    case 'top':
      return sortPage(run(q.source, db), q.heading, q.order, q.limit, q.offset);
  }
}

/** Sorts as the engines do: NULL first, enums by the position of their value in the type (MySQL's rule). */
function sortPage(
  rows: EvalRow[],
  h: QueryHeading,
  order: readonly OrderItem[],
  limit: number | null,
  offset: number,
): EvalRow[] {
  const rank = new Map(
    order.map((o) => {
      const a = h.attributes.find((x) => x.name === o.attribute);
      const values = a ? typeOfAttribute(a).values : undefined;
      return [o.attribute, (v: V): V => (values && v !== null ? values.indexOf(String(v)) + 1 : v)];
    }),
  );
  const sorted = [...rows].sort((a, b) => {
    for (const o of order) {
      const key = rank.get(o.attribute)!;
      const c = compareNullsFirst(key(a[o.attribute] ?? null), key(b[o.attribute] ?? null));
      if (c !== 0) return o.descending ? -c : c;
    }
    return 0;
  });
  return sorted.slice(offset, limit === null ? undefined : offset + limit);
}

/** 1 (keep), 0 or null (drop): SQL's three-valued logic. */
function cond(c: RCond, row: EvalRow, db: MemoryDb): V {
  switch (c.kind) {
    case 'bool':
      return c.value ? 1 : 0;
    case 'expr': {
      const v = evalExpr(c.expr, row);
      return v === null ? null : Number(v) !== 0 ? 1 : 0;
    }
    case 'match':
      return run(c.query, db).some((r) => matches(row, r, c.on)) ? 1 : 0;
    case 'not': {
      const v = cond(c.item, row, db);
      return v === null ? null : v === 1 ? 0 : 1;
    }
    case 'and': {
      const vs = c.items.map((it) => cond(it, row, db));
      return vs.includes(0) ? 0 : vs.includes(null) ? null : 1;
    }
    case 'or': {
      const vs = c.items.map((it) => cond(it, row, db));
      return vs.includes(1) ? 1 : vs.includes(null) ? null : 0;
    }
  }
}

/** Rows match when every common attribute is equal and not null (as SQL's `=`). */
function matches(a: EvalRow, b: EvalRow, on: readonly string[]): boolean {
  return on.every((k) => a[k] != null && b[k] != null && compare(a[k]!, b[k]!) === 0);
}

function aggr(q: Extract<RQuery, { kind: 'aggr' }>, db: MemoryDb): EvalRow[] {
  const group = run(q.group, db);
  const groups: { first: EvalRow; rows: EvalRow[] }[] = [];
  if (q.source === null) {
    const byKey = new Map<string, EvalRow[]>();
    for (const r of group) {
      const k = JSON.stringify(q.groupBy.map((a) => r[a] ?? null));
      byKey.set(k, [...(byKey.get(k) ?? []), r]);
    }
    if (q.groupBy.length === 0 && byKey.size === 0) byKey.set('[]', []);
    for (const rows of byKey.values()) groups.push({ first: rows[0] ?? {}, rows });
  } else {
    const nulls = Object.fromEntries(q.group.heading.attributes.map((a) => [a.name, null]));
    for (const a of run(q.source, db)) {
      const hits = group.filter((g) => matches(a, g, q.on)).map((g) => ({ ...g, ...a }));
      if (hits.length) groups.push({ first: hits[0]!, rows: hits });
      else if (q.keepAllRows) groups.push({ first: { ...nulls, ...a }, rows: [{ ...nulls, ...a }] });
    }
  }
  return groups.map((g) => Object.fromEntries(q.columns.map((c) => [c.name, evalAggregate(c.expr, g.rows, g.first)])));
}

function union(q: Extract<RQuery, { kind: 'union' }>, db: MemoryDb): EvalRow[] {
  const key = q.heading.primary_key;
  const left = run(q.left, db);
  const right = run(q.right, db);
  const names = q.heading.attributes.map((a) => a.name);
  const blank = Object.fromEntries(names.map((n) => [n, null]));
  const out = left.map((l) => ({ ...blank, ...(right.find((r) => matches(l, r, key)) ?? {}), ...l }));
  for (const r of right) if (!left.some((l) => matches(l, r, key))) out.push({ ...blank, ...r });
  return dedupe(out.map((r) => pick(r, names)));
}

function pick(r: EvalRow, names: readonly string[]): EvalRow {
  return Object.fromEntries(names.map((n) => [n, r[n] ?? null]));
}

function dedupe(rows: EvalRow[]): EvalRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    const k = JSON.stringify(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
