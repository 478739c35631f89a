import type { Dialect } from '../../api/schemas/connection';
import type { MigrationLiteral } from '../../api/schemas/migration';
import type { ResolvedTable } from '../../model/definition/heading';
import type { CompiledSql, SqlDialect, TableMove } from '../dialect';

export type { TableMove } from '../dialect';
import { DIALECTS } from '../dialects';

/**
 * The SQL of a schema migration for either engine: the copy into a shadow table (joined to the
 * already-copied parents), chunk predicates on the source key, the swap and its reverse, and the
 * verification queries. MySQL swaps every table in one atomic RENAME TABLE; SQLite renames table
 * by table inside one transaction, and keeps its metadata rows in step.
 */

/** The dialect object of an engine. */
export function dialectOf(name: Dialect): SqlDialect {
  return DIALECTS[name];
}

/** One join of the copy: parent table and `parent.col = s.col` pairs. */
export interface CopyJoinSql {
  schema: string;
  table: string;
  on: Array<{ parentColumn: string; sourceColumn: string }>;
}

/** How each inserted column is computed. */
export type CopyExpr =
  | { kind: 'column'; column: string }
  | { kind: 'literal'; value: MigrationLiteral }
  | { kind: 'parent'; join: number; column: string }
  | { kind: 'null' };

/** The copy statement's parts; the executor adds a chunk predicate on the source key. */
export interface CopySpec {
  into: { schema: string; table: string };
  from: { schema: string; table: string };
  columns: Array<{ name: string; expr: CopyExpr }>;
  joins: CopyJoinSql[];
}

/** `INSERT INTO shadow (...) SELECT ... FROM source s LEFT JOIN parents ... [WHERE chunk]`. */
export function copySql(d: SqlDialect, spec: CopySpec, where?: CompiledSql): CompiledSql {
  const q = (n: string) => d.quoteIdent(n);
  const params: unknown[] = [];
  const exprs = spec.columns.map(({ expr }) => {
    switch (expr.kind) {
      case 'column':
        return `s.${q(expr.column)}`;
      case 'parent':
        return `j${expr.join}.${q(expr.column)}`;
      case 'null':
        return 'NULL';
      case 'literal':
        params.push(typeof expr.value === 'boolean' ? Number(expr.value) : expr.value);
        return '?';
    }
  });
  const joins = spec.joins.map(
    (j, i) =>
      `LEFT JOIN ${d.qualify(j.schema, j.table)} AS j${i} ON ` +
      j.on.map((p) => `j${i}.${q(p.parentColumn)} = s.${q(p.sourceColumn)}`).join(' AND '),
  );
  const sql =
    `INSERT INTO ${d.qualify(spec.into.schema, spec.into.table)} (${spec.columns.map((c) => q(c.name)).join(', ')})\n` +
    `SELECT ${exprs.join(', ')}\nFROM ${d.qualify(spec.from.schema, spec.from.table)} AS s` +
    (joins.length ? `\n${joins.join('\n')}` : '') +
    (where ? `\nWHERE ${where.sql}` : '');
  return { sql, params: [...params, ...(where?.params ?? [])] };
}

/**
 * Keyset predicate on `s.k1..kn`: rows after `after` (exclusive) and up to `upTo` (inclusive).
 * Written as OR-chains, which both engines turn into index ranges.
 */
export function keyRangeSql(
  d: SqlDialect,
  key: readonly string[],
  after: unknown[] | null,
  upTo: unknown[] | null,
): CompiledSql {
  const parts: string[] = [];
  const params: unknown[] = [];
  const chain = (values: unknown[], op: '>' | '<') => {
    const ors: string[] = [];
    key.forEach((k, i) => {
      const eqs = key.slice(0, i).map((p, j) => {
        params.push(values[j]);
        return `s.${d.quoteIdent(p)} = ?`;
      });
      params.push(values[i]);
      ors.push(`(${[...eqs, `s.${d.quoteIdent(k)} ${op} ?`].join(' AND ')})`);
    });
    return ors;
  };
  if (after) parts.push(`(${chain(after, '>').join(' OR ')})`);
  if (upTo) {
    const ors = chain(upTo, '<');
    ors.push(`(${key.map((k) => (params.push(upTo[key.indexOf(k)]), `s.${d.quoteIdent(k)} = ?`)).join(' AND ')})`);
    parts.push(`(${ors.join(' OR ')})`);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

/** The key of the row `offset` rows after `after`, in key order (the end of the next chunk). */
export function chunkEndSql(
  d: SqlDialect,
  from: { schema: string; table: string },
  key: readonly string[],
  after: unknown[] | null,
  offset: number,
): CompiledSql {
  const where = keyRangeSql(d, key, after, null);
  const cols = key.map((k) => `s.${d.quoteIdent(k)}`).join(', ');
  return {
    sql: `SELECT ${cols} FROM ${d.qualify(from.schema, from.table)} AS s WHERE ${where.sql} ORDER BY ${cols} LIMIT 1 OFFSET ${Math.max(0, Math.floor(offset))}`,
    params: where.params,
  };
}

/** Statements that rename tables: one atomic RENAME TABLE where the engine has it, else one per table (in a transaction). */
export function renameTablesSql(dialect: Dialect, moves: readonly TableMove[]): CompiledSql[] {
  return dialectOf(dialect).ddl.renameTables(moves);
}

/** Drops tables (give children first), with the metadata an engine keeps beside them. */
export function dropTablesSql(
  dialect: Dialect,
  tables: ReadonlyArray<{ schema: string; table: string }>,
): CompiledSql[] {
  const d = dialectOf(dialect);
  return tables.flatMap((t) => {
    const extra = d.ddl.dropTableExtras(t.schema, t.table);
    return [{ sql: `DROP TABLE IF EXISTS ${d.qualify(t.schema, t.table)}`, params: [] }, ...(extra ? [extra] : [])];
  });
}

/** Rows of `child` whose non-null foreign-key values have no parent row (must be 0). */
export function orphanCountSql(
  d: SqlDialect,
  child: { schema: string; table: string },
  parent: { schema: string; table: string },
  columns: readonly string[],
  refColumns: readonly string[],
): string {
  const q = (n: string) => d.quoteIdent(n);
  const on = columns.map((c, i) => `p.${q(refColumns[i]!)} = c.${q(c)}`).join(' AND ');
  const notNull = columns.map((c) => `c.${q(c)} IS NOT NULL`).join(' AND ');
  return (
    `SELECT COUNT(*) AS n FROM ${d.qualify(child.schema, child.table)} AS c LEFT JOIN ${d.qualify(parent.schema, parent.table)} AS p ON ${on} ` +
    `WHERE ${notNull} AND p.${q(refColumns[0]!)} IS NULL`
  );
}

/** A resolved table under another name in the same schema (its shadow). */
export function renamedTable(t: ResolvedTable, tableName: string): ResolvedTable {
  return { ...t, tableName };
}

/** A temporary index that lets the copy join a shadow parent on its old key columns. */
export function createJoinIndexSql(
  dialect: Dialect,
  table: { schema: string; table: string },
  name: string,
  columns: readonly string[],
): string {
  const d = dialectOf(dialect);
  const cols = columns.map((c) => d.quoteIdent(c)).join(', ');
  return `CREATE INDEX IF NOT EXISTS ${d.quoteIdent(name)} ON ${d.qualify(table.schema, table.table)} (${cols})`;
}

/** Drops a temporary join index. */
export function dropJoinIndexSql(dialect: Dialect, table: { schema: string; table: string }, name: string): string {
  return dialectOf(dialect).ddl.dropIndex(table.schema, table.table, name);
}
