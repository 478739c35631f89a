import { classNameOf } from '../model/naming';
import type { Expr, Literal, NamedAttribute, QueryNode, Restriction } from './ast';
import { KEYWORDS } from './condition-parser';

/**
 * Query trees back to text: the condition language for expressions and DataJoint's Python syntax
 * for whole queries, so the UI can show what a built query means (and what `joinery query` would
 * take), and so tests can check that text and trees say the same. Output is fully parenthesised
 * and names tables as `schema.Class`, which the expression parser reads back unambiguously.
 */

const BINARY_TEXT: Record<string, string> = { and: 'AND', or: 'OR', div: 'DIV' };

/** An expression in the condition language. */
export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'attr':
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name) && !KEYWORDS.has(e.name.toUpperCase())
        ? e.name
        : '`' + e.name.replaceAll('`', '``') + '`';
    case 'literal':
      return printSqlLiteral(e.value);
    case 'unary':
      return e.op === 'not' ? `(NOT ${printExpr(e.arg)})` : `(-(${printExpr(e.arg)}))`;
    case 'binary':
      return `(${printExpr(e.left)} ${BINARY_TEXT[e.op] ?? e.op} ${printExpr(e.right)})`;
    case 'in':
      return `(${printExpr(e.arg)} ${e.negated ? 'NOT IN' : 'IN'} (${e.items.map(printExpr).join(', ')}))`;
    case 'between':
      return `(${printExpr(e.arg)} ${e.negated ? 'NOT BETWEEN' : 'BETWEEN'} ${printExpr(e.low)} AND ${printExpr(e.high)})`;
    case 'like':
      return `(${printExpr(e.arg)} ${e.negated ? 'NOT LIKE' : 'LIKE'} ${printExpr(e.pattern)})`;
    case 'is_null':
      return `(${printExpr(e.arg)} IS ${e.negated ? 'NOT NULL' : 'NULL'})`;
    case 'call':
      return `${e.fn}(${e.args.map(printExpr).join(', ')})`;
    case 'aggregate':
      return `${e.fn}(${e.distinct ? 'DISTINCT ' : ''}${e.arg ? printExpr(e.arg) : '*'})`;
  }
}

function printSqlLiteral(v: Literal): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return v < 0 || Object.is(v, -0) ? `(${v})` : String(v);
  return "'" + v.replaceAll('\\', '\\\\').replaceAll("'", "''") + "'";
}

/** A Python string literal (double quotes, backslash escapes for quotes and control characters). */
export function pyString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (code < 0x20 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff))
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

function pyLiteral(v: Literal): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  return pyString(v);
}

/** A whole query in DataJoint's Python syntax. */
export function printQuery(n: QueryNode): string {
  switch (n.kind) {
    case 'table':
      return `${n.schema}.${classNameOf(n.table)}`;
    case 'universal':
      return `dj.U(${n.attributes.map(pyString).join(', ')})`;
    case 'restrict':
      return n.restriction.kind === 'not'
        ? `(${printQuery(n.source)} - ${printOperand(n.restriction.item)})`
        : `(${printQuery(n.source)} & ${printOperand(n.restriction)})`;
    case 'join':
      return `(${printQuery(n.left)} * ${printQuery(n.right)})`;
    case 'union':
      return `(${printQuery(n.left)} + ${printQuery(n.right)})`;
    case 'proj':
      return `${printQuery(n.source)}.proj(${[...n.attributes.map(printAttr), ...n.named.map(printNamed)].join(', ')})`;
    case 'aggr': {
      const args = [
        printQuery(n.group),
        ...n.attributes.map(printAttr),
        ...n.named.map(printNamed),
        ...(n.keepAllRows ? ['keep_all_rows=True'] : []),
      ];
      return `${printQuery(n.source)}.aggr(${args.join(', ')})`;
    }
    case 'top': {
      const limit = n.limit === null ? 'None' : String(n.limit);
      return `(${printQuery(n.source)} & dj.Top(limit=${limit}, order_by=[${n.orderBy.map(pyString).join(', ')}], offset=${n.offset}))`;
    }
  }
}

function printAttr(a: string): string {
  return a === '...' ? '...' : pyString(a);
}

function printNamed(n: NamedAttribute): string {
  switch (n.kind) {
    case 'rename':
      return `${n.name}=${pyString(n.attribute)}`;
    case 'copy':
      return `${n.name}=${pyString(`(${n.attribute})`)}`;
    // a bare attribute would read back as a rename; `(x)` is DataJoint's copy, which computes the same value
    case 'compute':
      return `${n.name}=${pyString(n.expr.kind === 'attr' ? `(${printExpr(n.expr)})` : printExpr(n.expr))}`;
  }
}

function printOperand(r: Restriction): string {
  switch (r.kind) {
    case 'condition':
      return pyString(printExpr(r.expr));
    case 'dict':
      return `{${Object.entries(r.values)
        .map(([k, v]) => `${pyString(k)}: ${pyLiteral(v)}`)
        .join(', ')}}`;
    case 'query':
      return printQuery(r.query);
    case 'and':
      return `dj.AndList([${r.items.map(printOperand).join(', ')}])`;
    case 'or':
      return `[${r.items.map(printOperand).join(', ')}]`;
    case 'not':
      return `dj.Not(${printOperand(r.item)})`;
    case 'bool':
      return r.value ? 'True' : 'False';
  }
}
