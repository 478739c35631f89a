/**
 * DataJoint's query algebra as plain, immutable, JSON-serializable data. The UI builds these
 * trees and sends them over the API; the CLI parses them from DataJoint's Python syntax. Nothing
 * here is trusted: `resolveQuery` checks every name against the headings before any SQL exists.
 * `pos` fields are offsets into the text a node was parsed from, for error messages.
 */

/** A literal as users write it: numbers, strings, booleans and null. */
export type Literal = string | number | boolean | null;

/** Binary operators of the condition language (`div` is integer division, `<=>` null-safe equality). */
export type BinaryOp =
  'and' | 'or' | '=' | '<>' | '<' | '<=' | '>' | '>=' | '<=>' | '+' | '-' | '*' | '/' | 'div' | '%';

/** Aggregate functions allowed in `aggr`. */
export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max';

/** An expression of the condition language (restrictions, computed attributes, aggregates). */
export type Expr =
  | { kind: 'attr'; name: string; pos?: number }
  | { kind: 'literal'; value: Literal; pos?: number }
  | { kind: 'unary'; op: 'neg' | 'not'; arg: Expr; pos?: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos?: number }
  | { kind: 'in'; arg: Expr; items: Expr[]; negated: boolean; pos?: number }
  | { kind: 'between'; arg: Expr; low: Expr; high: Expr; negated: boolean; pos?: number }
  | { kind: 'like'; arg: Expr; pattern: Expr; negated: boolean; pos?: number }
  | { kind: 'is_null'; arg: Expr; negated: boolean; pos?: number }
  | { kind: 'call'; fn: string; args: Expr[]; pos?: number }
  | { kind: 'aggregate'; fn: AggregateFn; arg: Expr | null; distinct: boolean; pos?: number };

/**
 * What restricts a query (`&`), or with `not` what excludes rows (`-`). A dict is an AND of
 * equalities over the attributes it shares with the query; a list (`or`) is DataJoint's OR-list;
 * a query is a semijoin on the common attributes.
 */
export type Restriction =
  | { kind: 'condition'; expr: Expr; pos?: number }
  | { kind: 'dict'; values: Record<string, Literal>; pos?: number }
  | { kind: 'query'; query: QueryNode; pos?: number }
  | { kind: 'and'; items: Restriction[]; pos?: number }
  | { kind: 'or'; items: Restriction[]; pos?: number }
  | { kind: 'not'; item: Restriction; pos?: number }
  | { kind: 'bool'; value: boolean; pos?: number };

/** A named argument of proj/aggr: `new='old'` (rename), `dup='(old)'` (copy) or `c='expr'` (compute). */
export type NamedAttribute =
  | { kind: 'rename'; name: string; attribute: string; pos?: number }
  | { kind: 'copy'; name: string; attribute: string; pos?: number }
  | { kind: 'compute'; name: string; expr: Expr; pos?: number };

/** A query expression tree. `universal` (DataJoint's `dj.U`) is valid only as an operand of `&`, `*` and `aggr`. */
export type QueryNode =
  | { kind: 'table'; schema: string; table: string; pos?: number }
  | { kind: 'universal'; attributes: string[]; pos?: number }
  | { kind: 'restrict'; source: QueryNode; restriction: Restriction; pos?: number }
  | { kind: 'join'; left: QueryNode; right: QueryNode; pos?: number }
  /** `attributes` may hold `...` (all secondary attributes) and `-name` (exclude). */
  | { kind: 'proj'; source: QueryNode; attributes: string[]; named: NamedAttribute[]; pos?: number }
  | {
      kind: 'aggr';
      source: QueryNode;
      group: QueryNode;
      attributes: string[];
      named: NamedAttribute[];
      keepAllRows: boolean;
      pos?: number;
    }
  | { kind: 'union'; left: QueryNode; right: QueryNode; pos?: number }
  /** DataJoint's `dj.Top`: `orderBy` entries are `attr`, `attr DESC`, `KEY` or `KEY DESC`. */
  | { kind: 'top'; source: QueryNode; limit: number | null; offset: number; orderBy: string[]; pos?: number };

/** A table operand. */
export function table(schema: string, tableName: string): QueryNode {
  return { kind: 'table', schema, table: tableName };
}

/** `source & restriction`. */
export function restrict(source: QueryNode, restriction: Restriction): QueryNode {
  return { kind: 'restrict', source, restriction };
}

/** `source - restriction` (antijoin / negated restriction). */
export function exclude(source: QueryNode, restriction: Restriction): QueryNode {
  return { kind: 'restrict', source, restriction: { kind: 'not', item: restriction } };
}

/** `left * right`. */
export function join(left: QueryNode, right: QueryNode): QueryNode {
  return { kind: 'join', left, right };
}

/** `left + right`. */
export function union(left: QueryNode, right: QueryNode): QueryNode {
  return { kind: 'union', left, right };
}

/** `dj.U(...attributes)`. */
export function universal(...attributes: string[]): QueryNode {
  return { kind: 'universal', attributes };
}

/** Every stored table a query mentions (the headings it needs), once each. */
export function referencedTables(node: QueryNode): { schema: string; table: string }[] {
  const out = new Map<string, { schema: string; table: string }>();
  const visitRestriction = (r: Restriction): void => {
    if (r.kind === 'query') visit(r.query);
    else if (r.kind === 'and' || r.kind === 'or') r.items.forEach(visitRestriction);
    else if (r.kind === 'not') visitRestriction(r.item);
  };
  const visit = (n: QueryNode): void => {
    switch (n.kind) {
      case 'table':
        out.set(`${n.schema}\u0000${n.table}`, { schema: n.schema, table: n.table });
        return;
      case 'universal':
        return;
      case 'restrict':
        visit(n.source);
        visitRestriction(n.restriction);
        return;
      case 'join':
      case 'union':
        visit(n.left);
        visit(n.right);
        return;
      case 'proj':
      case 'top':
        visit(n.source);
        return;
      case 'aggr':
        visit(n.source);
        visit(n.group);
        return;
    }
  };
  visit(node);
  return [...out.values()];
}
