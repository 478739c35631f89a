import type { AggregateFn, BinaryOp } from './ast';
import type { QueryAttribute, QueryHeading, ValueType } from './types';

/**
 * The checked form of a query: every name resolved against a heading, every expression typed,
 * every literal in canonical form, DataJoint's rules applied. The SQL compilers and the test
 * evaluator read only this form, so they never have to re-check anything.
 */

/** A value bound as a parameter; uuids are marked so the executor can turn them into bytes. */
export type BoundValue = string | number | boolean | null | { uuid: string };

/** A typed, checked expression. */
export type RExpr = { type: ValueType; nullable: boolean } & (
  | { kind: 'attr'; name: string }
  | { kind: 'value'; value: BoundValue }
  | { kind: 'unary'; op: 'neg' | 'not'; arg: RExpr }
  | { kind: 'binary'; op: BinaryOp; left: RExpr; right: RExpr }
  | { kind: 'in'; arg: RExpr; items: RExpr[]; negated: boolean }
  | { kind: 'between'; arg: RExpr; low: RExpr; high: RExpr; negated: boolean }
  /** `pattern` is the MySQL LIKE pattern (backslash escapes). */
  | { kind: 'like'; arg: RExpr; pattern: string; negated: boolean }
  | { kind: 'is_null'; arg: RExpr; negated: boolean }
  | { kind: 'call'; fn: string; args: RExpr[] }
  | { kind: 'aggregate'; fn: AggregateFn; arg: RExpr | null; distinct: boolean }
);

/** A checked restriction. `match` is a semijoin on `on` (empty: "is the other query non-empty"). */
export type RCond =
  | { kind: 'expr'; expr: RExpr }
  | { kind: 'match'; query: RQuery; on: string[] }
  | { kind: 'and'; items: RCond[] }
  | { kind: 'or'; items: RCond[] }
  | { kind: 'not'; item: RCond }
  | { kind: 'bool'; value: boolean };

/** One output column of proj/aggr: its name and the expression over the input's attributes. */
export interface RColumn {
  name: string;
  expr: RExpr;
}

/** A checked query node with its heading. */
export type RQuery = { heading: QueryHeading } & (
  | { kind: 'table'; schema: string; table: string }
  | { kind: 'restrict'; source: RQuery; cond: RCond }
  | { kind: 'join'; left: RQuery; right: RQuery; on: string[] }
  | { kind: 'proj'; source: RQuery; columns: RColumn[] }
  /**
   * `source` null: grouped by `dj.U(groupBy)`. Otherwise grouped by the source's primary key;
   * `group` is joined on `on` (left join when keepAllRows).
   */
  | {
      kind: 'aggr';
      source: RQuery | null;
      group: RQuery;
      on: string[];
      keepAllRows: boolean;
      groupBy: string[];
      columns: RColumn[];
    }
  /** `dj.U(attrs) & query`: the distinct values of `attributes` (the heading) in `source`. */
  | { kind: 'distinct'; source: RQuery }
  /** `dj.U(attrs) * query`: the same rows, more attributes in the primary key. */
  | { kind: 'rekey'; source: RQuery }
  | { kind: 'union'; left: RQuery; right: RQuery }
  | { kind: 'top'; source: RQuery; order: OrderItem[]; limit: number | null; offset: number }
);

/** One ORDER BY entry (an attribute of the heading). */
export interface OrderItem {
  attribute: string;
  descending: boolean;
}

/** The attribute named `name` of a heading, if any. */
export function attributeOf(h: QueryHeading, name: string): QueryAttribute | undefined {
  return h.attributes.find((a) => a.name === name);
}

/** Secondary (non-key) attribute names of a heading. */
export function secondaryOf(h: QueryHeading): string[] {
  return h.attributes.filter((a) => !a.in_key).map((a) => a.name);
}

/** Every attribute name of a heading. */
export function namesOf(h: QueryHeading): string[] {
  return h.attributes.map((a) => a.name);
}
