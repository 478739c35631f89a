import { orderItems } from '../query/resolve';
import { type OrderItem, type RQuery, secondaryOf } from '../query/resolved';
import { type QueryAttribute, type QueryHeading, typeOfAttribute } from '../query/types';
import type { CompiledQuery, SelectOptions } from './dialect';
import { type Columns, ExprCompiler } from './expr-compiler';

/**
 * Compiles a resolved query into one SELECT. Like DataJoint, it extends the current SELECT where
 * SQL allows it (restrictions add WHERE terms, joins add tables, projections rename columns) and
 * wraps it in a derived table only where it must (after GROUP BY, DISTINCT, LIMIT or UNION), so
 * simple queries stay simple SQL that the engines optimise well.
 */

/** Paging and order for a fetch; `order` defaults to the query's Top order or its primary key. */
export type { SelectOptions } from './dialect';

interface FromItem {
  sql: string;
  on: string[];
  left: boolean;
}

/** A SELECT under construction; `cols` maps each attribute of the heading to its SQL. */
interface Select {
  items: FromItem[];
  where: string[];
  cols: Map<string, string>;
  groupBy: string[] | null;
  distinct: boolean;
  tail: string | null;
}

/** The base compiler; dialects override the hooks of {@link ExprCompiler}. */
export abstract class QueryCompiler extends ExprCompiler {
  private aliases = 0;
  /** Set when a grouped SELECT became a derived table (see {@link statement}). */
  protected groupedDerived = false;
  /** A derived table with computed columns sits on the inner side of a LEFT JOIN (aggr with keep_all_rows). */
  protected computedOuterDerived = false;

  /** The final statement; dialects may prefix it (MariaDB needs an optimizer setting for grouped derived tables). */
  protected statement(sql: string): string {
    return sql;
  }

  /** The SELECT of a query, ordered and paged as asked. */
  compileSelect(query: RQuery, options: SelectOptions = {}): CompiledQuery {
    let s = this.node(query);
    const paged = options.order !== undefined || options.limit != null || (options.offset ?? 0) > 0;
    if (!(query.kind === 'top' && !paged)) {
      if (!simple(s)) s = this.wrap(s);
      const order = options.order ?? (query.kind === 'top' ? query.order : orderItems([], query.heading));
      s = this.ordered(s, query.heading, order, options.limit ?? null, options.offset ?? 0);
    }
    return this.finish(this.statement(this.render(s)));
  }

  /** `SELECT COUNT(*) AS n` over the query. */
  compileCount(query: RQuery): CompiledQuery {
    const s = this.node(query);
    const body = simple(s)
      ? `${this.from(s)}${s.where.length ? ` WHERE ${s.where.join(' AND ')}` : ''}`
      : `${this.derived(s)} AS ${this.q(this.alias('c'))}`;
    return this.finish(this.statement(`SELECT COUNT(*) AS ${this.q('n')} FROM ${body}`));
  }

  protected override exists(query: RQuery, on: readonly string[], outer: Columns): string {
    let s = this.node(query);
    if (!simple(s)) s = this.wrap(s);
    const where = [...s.where, ...on.map((a) => `${s.cols.get(a)!} = ${outer.get(a)!}`)];
    return `EXISTS (SELECT 1 FROM ${this.from(s)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''})`;
  }

  /** A stored column as the queries read it (PostgreSQL reads a boolean as MySQL's 0/1). */
  protected tableColumn(ref: string, _attribute: QueryAttribute): string {
    return ref;
  }

  private node(n: RQuery): Select {
    switch (n.kind) {
      case 'table': {
        const a = this.alias('t');
        const cols = new Map(
          n.heading.attributes.map((x) => [x.name, this.tableColumn(`${this.q(a)}.${this.q(x.name)}`, x)]),
        );
        return {
          items: [{ sql: `${this.dialect.qualify(n.schema, n.table)} AS ${this.q(a)}`, on: [], left: false }],
          where: [],
          cols,
          groupBy: null,
          distinct: false,
          tail: null,
        };
      }
      case 'restrict': {
        const s = this.simpleNode(n.source);
        const c = this.cond(n.cond, s.cols);
        return c === null ? s : { ...s, where: [...s.where, c] };
      }
      case 'join':
        return this.join(n);
      case 'proj': {
        const s = this.simpleNode(n.source);
        return { ...s, cols: new Map(n.columns.map((c) => [c.name, this.asValue(c.expr, this.expr(c.expr, s.cols))])) };
      }
      case 'aggr':
        return this.aggr(n);
      case 'distinct': {
        const s = this.simpleNode(n.source);
        return { ...s, cols: new Map(n.heading.attributes.map((a) => [a.name, s.cols.get(a.name)!])), distinct: true };
      }
      case 'rekey':
        return this.node(n.source);
      case 'union':
        return this.union(n);
      case 'top':
        return this.ordered(this.simpleNode(n.source), n.heading, n.order, n.limit, n.offset);
    }
  }

  /** The query as a SELECT that can still take WHERE terms, joins and new columns. */
  private simpleNode(n: RQuery): Select {
    const s = this.node(n);
    return simple(s) ? s : this.wrap(s);
  }

  private join(n: Extract<RQuery, { kind: 'join' }>): Select {
    const l = this.simpleNode(n.left);
    const r = this.simpleNode(n.right);
    const eqs = n.on.map((a) => `${l.cols.get(a)!} = ${r.cols.get(a)!}`);
    const items = [...l.items, ...r.items];
    const last = items.length - 1;
    items[last] = { ...items[last]!, on: [...items[last]!.on, ...eqs] };
    const cols = new Map(n.heading.attributes.map((a) => [a.name, l.cols.get(a.name) ?? r.cols.get(a.name)!]));
    return { items, where: [...l.where, ...r.where], cols, groupBy: null, distinct: false, tail: null };
  }

  private aggr(n: Extract<RQuery, { kind: 'aggr' }>): Select {
    let base: Select;
    let joined: Map<string, string>;
    if (n.source === null) {
      base = this.simpleNode(n.group);
      joined = base.cols;
    } else {
      const a = this.simpleNode(n.source);
      let g = this.node(n.group);
      // a LEFT JOIN may take the group's table directly only when every column is a plain column:
      // a computed column (coalesce(x, 0)) must stay NULL for the rows the left join invents
      const bare = simple(g) && g.items.length === 1 && g.where.length === 0 && [...g.cols.values()].every(isColumnRef);
      if (n.keepAllRows && ![...g.cols.values()].every(isColumnRef)) this.computedOuterDerived = true;
      if (!(simple(g) && (!n.keepAllRows || bare))) g = this.wrap(g);
      const eqs = n.on.map((x) => `${a.cols.get(x)!} = ${g.cols.get(x)!}`);
      const gItems = g.items.map((it) => ({ ...it }));
      const last = gItems[gItems.length - 1]!;
      gItems[gItems.length - 1] = { ...last, on: [...last.on, ...eqs], left: n.keepAllRows };
      base = { ...a, items: [...a.items, ...gItems], where: [...a.where, ...g.where] };
      joined = new Map([...g.cols, ...a.cols]);
    }
    const cols = new Map(n.columns.map((c) => [c.name, this.asValue(c.expr, this.expr(c.expr, joined))]));
    // one group per row of a key-less source (at most one row): GROUP BY a constant gives no row
    // when that source is empty, where an ungrouped aggregate would still give one
    const groupBy = n.source !== null && n.groupBy.length === 0 ? ['NULL'] : n.groupBy.map((x) => joined.get(x)!);
    return { ...base, cols, groupBy, distinct: false, tail: null };
  }

  private union(n: Extract<RQuery, { kind: 'union' }>): Select {
    const names = n.heading.attributes.map((a) => a.name);
    const key = n.heading.primary_key;
    const [la, ra, lb, rb, u] = ['l', 'r', 'l', 'r', 'u'].map((p) => this.q(this.alias(p))) as [
      string,
      string,
      string,
      string,
      string,
    ];
    const L = this.derived(this.node(n.left));
    const R = this.derived(this.node(n.right));
    const inL = new Set(n.left.heading.attributes.map((a) => a.name));
    const col = (alias: string, name: string) => `${alias}.${this.q(name)} AS ${this.q(name)}`;
    let compound: string;
    if (secondaryOf(n.left.heading).length === 0 && secondaryOf(n.right.heading).length === 0) {
      compound = `SELECT ${key.map((k) => col(la, k)).join(', ')} FROM ${L} AS ${la} UNION SELECT ${key.map((k) => col(ra, k)).join(', ')} FROM ${R} AS ${ra}`;
    } else {
      const on = (x: string, y: string) => key.map((k) => `${x}.${this.q(k)} = ${y}.${this.q(k)}`).join(' AND ');
      const first = `SELECT ${names.map((c) => col(inL.has(c) ? la : ra, c)).join(', ')} FROM ${L} AS ${la} LEFT JOIN ${R} AS ${ra} ON ${on(la, ra)}`;
      const inR = new Set(n.right.heading.attributes.map((a) => a.name));
      const second = `SELECT ${names.map((c) => (inR.has(c) ? col(rb, c) : `NULL AS ${this.q(c)}`)).join(', ')} FROM ${R} AS ${rb} WHERE NOT EXISTS (SELECT 1 FROM ${L} AS ${lb} WHERE ${on(lb, rb)})`;
      compound = `${first} UNION ${second}`;
    }
    const cols = new Map(names.map((c) => [c, `${u}.${this.q(c)}`]));
    return {
      items: [{ sql: `(${compound}) AS ${u}`, on: [], left: false }],
      where: [],
      cols,
      groupBy: null,
      distinct: false,
      tail: null,
    };
  }

  /**
   * How one ORDER BY term sorts. Enums sort by the position of the value in the type, as MySQL sorts
   * an enum column; spelled out on every engine, because MySQL itself forgets the enum type in
   * UNION results and derived tables and then sorts such values as text.
   */
  protected orderTerm(sql: string, enumValues: readonly string[] | undefined): string {
    if (!enumValues?.length) return sql;
    return `CASE ${sql} ${enumValues.map((v, i) => `WHEN ${this.param(v)} THEN ${i + 1}`).join(' ')} ELSE 0 END`;
  }

  /** One ORDER BY item; NULLs sort first ascending and last descending, as on MySQL and SQLite. */
  protected orderItem(term: string, descending: boolean): string {
    return `${term}${descending ? ' DESC' : ''}`;
  }

  private ordered(
    s: Select,
    heading: QueryHeading,
    order: readonly OrderItem[],
    limit: number | null,
    offset: number,
  ): Select {
    const enumOf = (name: string) => {
      const a = heading.attributes.find((x) => x.name === name);
      return a ? typeOfAttribute(a).values : undefined;
    };
    const terms = order.map((o) =>
      this.orderItem(this.orderTerm(s.cols.get(o.attribute)!, enumOf(o.attribute)), o.descending),
    );
    const parts = [
      terms.length ? `ORDER BY ${terms.join(', ')}` : '',
      limit !== null || offset > 0 ? this.limitClause(limit, offset) : '',
    ];
    const tail = parts.filter(Boolean).join(' ');
    return { ...s, tail: tail || null };
  }

  private wrap(s: Select): Select {
    const a = this.q(this.alias('q'));
    const cols = new Map([...s.cols.keys()].map((c) => [c, `${a}.${this.q(c)}`]));
    return {
      items: [{ sql: `${this.derived(s)} AS ${a}`, on: [], left: false }],
      where: [],
      cols,
      groupBy: null,
      distinct: false,
      tail: null,
    };
  }

  /** A SELECT as a parenthesised derived table. */
  private derived(s: Select): string {
    if (s.groupBy !== null) this.groupedDerived = true;
    return `(${this.render(s)})`;
  }

  private from(s: Select): string {
    return s.items
      .map((it, i) =>
        i === 0
          ? it.sql
          : `${it.left ? 'LEFT JOIN' : 'INNER JOIN'} ${it.sql} ON ${it.on.length ? it.on.join(' AND ') : '1 = 1'}`,
      )
      .join(' ');
  }

  /**
   * One GROUP BY term; `position` is its place in the SELECT list (1-based, 0 when absent), for
   * engines that cannot match an expression holding bound values with its copy in the list.
   */
  protected groupTerm(term: string, _position: number): string {
    return term;
  }

  private render(s: Select): string {
    const cols = [...s.cols].map(([name, sql]) => `${sql} AS ${this.q(name)}`).join(', ');
    let sql = `SELECT ${s.distinct ? 'DISTINCT ' : ''}${cols} FROM ${this.from(s)}`;
    if (s.where.length) sql += ` WHERE ${s.where.join(' AND ')}`;
    if (s.groupBy?.length) {
      const selected = [...s.cols.values()];
      sql += ` GROUP BY ${s.groupBy.map((g) => this.groupTerm(g, selected.indexOf(g) + 1)).join(', ')}`;
    }
    if (s.tail) sql += ` ${s.tail}`;
    return sql;
  }

  private alias(prefix: string): string {
    return `${prefix}${++this.aliases}`;
  }
}

function simple(s: Select): boolean {
  return s.groupBy === null && !s.distinct && s.tail === null && !s.items.some((it) => it.left);
}

const QUOTED = '(?:`(?:[^`]|``)*`|"(?:[^"]|"")*")';
const COLUMN_REF = new RegExp(`^${QUOTED}\\.${QUOTED}$`);

function isColumnRef(sql: string): boolean {
  return COLUMN_REF.test(sql);
}
