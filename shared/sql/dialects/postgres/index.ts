import type { CompiledSql, InsertSpec, SqlDialect, TableMove } from '../../dialect';
import { POSTGRES_META_TABLE, postgresCreateSchema, postgresCreateTable } from './ddl';
import { PostgresQueryCompiler } from './query';
import { POSTGRES_GLOBAL_SCHEMA, qualifyPostgres, quotePostgres } from './quote';

export { POSTGRES_META_TABLE, postgresCreateEnum, postgresCreateSchema } from './ddl';
export { postgresColumnType } from './types';
export { POSTGRES_GLOBAL_SCHEMA } from './quote';

const columnList = (names: readonly string[]) => names.map(quotePostgres).join(', ');

/** `INSERT ... [ON CONFLICT ...]`: every MySQL variant is an ON CONFLICT clause here. */
function insert(spec: InsertSpec): string {
  if (spec.columns.length === 0) return `INSERT INTO ${spec.into} DEFAULT VALUES`;
  const c = spec.onConflict ?? 'error';
  const head = `INSERT INTO ${spec.into} (${columnList(spec.columns)}) VALUES ${spec.values}`;
  if (c === 'error') return head;
  if (c === 'skip' || c === 'ignore') return `${head} ON CONFLICT DO NOTHING`;
  const target = `ON CONFLICT (${columnList(spec.key)})`;
  if (c === 'replace') {
    const rest = spec.columns.filter((col) => !spec.key.includes(col));
    if (rest.length === 0) return `${head} ON CONFLICT DO NOTHING`;
    return `${head} ${target} DO UPDATE SET ${rest.map((col) => `${quotePostgres(col)} = EXCLUDED.${quotePostgres(col)}`).join(', ')}`;
  }
  // a bare column in the SET list is ambiguous in PostgreSQL (the stored row or EXCLUDED): it means the stored row, as on MySQL
  const stored = (expr: string) => expr.replace(/(?<![.\w"])("(?:[^"]|"")*")/g, `${spec.into}.$1`);
  const sets = c.update.map(([col, expr]) => `${quotePostgres(col)} = ${stored(expr)}`).join(', ');
  return `${head} ${target} DO UPDATE SET ${sets}`;
}

/** One table moved (maybe into another schema) and renamed, its metadata row with it. */
function renameTable(m: TableMove): CompiledSql[] {
  const out: CompiledSql[] = [];
  if (m.schema !== m.toSchema) {
    out.push(
      ...postgresCreateSchema(m.toSchema),
      { sql: `ALTER TABLE ${qualifyPostgres(m.schema, m.from)} SET SCHEMA ${quotePostgres(m.toSchema)}`, params: [] },
      {
        sql:
          `INSERT INTO ${qualifyPostgres(m.toSchema, POSTGRES_META_TABLE)} (table_name, meta) ` +
          `SELECT ?, meta FROM ${qualifyPostgres(m.schema, POSTGRES_META_TABLE)} WHERE table_name = ? ` +
          `ON CONFLICT (table_name) DO UPDATE SET meta = EXCLUDED.meta`,
        params: [m.to, m.from],
      },
      { sql: `DELETE FROM ${qualifyPostgres(m.schema, POSTGRES_META_TABLE)} WHERE table_name = ?`, params: [m.from] },
    );
  } else {
    out.push({
      sql: `UPDATE ${qualifyPostgres(m.schema, POSTGRES_META_TABLE)} SET table_name = ? WHERE table_name = ?`,
      params: [m.to, m.from],
    });
  }
  if (m.from !== m.to) {
    out.push({
      sql: `ALTER TABLE ${qualifyPostgres(m.toSchema, m.from)} RENAME TO ${quotePostgres(m.to)}`,
      params: [],
    });
  }
  return out;
}

/** PostgreSQL in DataJoint 2.x's layout: schemas are PostgreSQL schemas of one database, DDL is transactional. */
export const postgresDialect: SqlDialect = {
  name: 'postgres',
  label: 'PostgreSQL',
  capabilities: {
    transactionalDdl: true,
    migrations: false,
    nativeSchemas: true,
    remoteClock: true,
    skipCountsDuplicates: false,
    defaultRowsPerInsert: 1,
  },
  quoteIdent: quotePostgres,
  qualify: qualifyPostgres,
  qualifyGlobal: (table) => qualifyPostgres(POSTGRES_GLOBAL_SCHEMA, table),
  // sessions run in UTC (the driver sets it), so local time is the server's UTC clock
  now: 'LOCALTIMESTAMP(3)',
  nowPlusSeconds: "(LOCALTIMESTAMP(3) + CAST(? AS double precision) * INTERVAL '1 second')",
  secondsSince: (expr) => `EXTRACT(EPOCH FROM (LOCALTIMESTAMP(3) - ${expr}))`,
  clockMillis: 'SELECT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(3)) * 1000 AS bigint) AS t',
  types: { timestamp: 'timestamp(3)', text: 'text' },
  createGlobalHome: `CREATE SCHEMA IF NOT EXISTS ${quotePostgres(POSTGRES_GLOBAL_SCHEMA)}`,
  session: { user: 'CURRENT_USER', connectionId: 'pg_backend_pid()' },
  asText: (expr) => `CAST(${expr} AS text)`,
  likeNoCase: 'ILIKE',
  // PostgreSQL sorts NULLs as the largest value
  orderItem: (term, descending) => `${term} ${descending ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`,
  insert,
  inserted: (column) => `EXCLUDED.${quotePostgres(column)}`,
  deleteJoined: null,
  values: {
    maxInteger: null,
    decimalDigits: null,
    bindIntegersAsBigInt: false,
    decimalsAsText: true,
    maxParams: 65_535,
    booleanColumns: true,
  },
  ddl: {
    createSchema: (schema) => postgresCreateSchema(schema),
    dropSchema: (schema) => `DROP SCHEMA IF EXISTS ${quotePostgres(schema)} CASCADE`,
    createTable: (table, opts) => postgresCreateTable(table, opts),
    renameTable: (schema, from, to) => [
      { sql: `ALTER TABLE ${qualifyPostgres(schema, from)} RENAME TO ${quotePostgres(to)}`, params: [] },
      {
        sql: `UPDATE ${qualifyPostgres(schema, POSTGRES_META_TABLE)} SET table_name = ? WHERE table_name = ?`,
        params: [to, from],
      },
    ],
    renameTables: (moves) => moves.flatMap(renameTable),
    dropIndex: (schema, _table, name) => `DROP INDEX IF EXISTS ${qualifyPostgres(schema, name)}`,
    // PostgreSQL's DDL is transactional: the migration's one transaction blocks writers
    blockWrites: () => [],
    unblockWrites: () => [],
    dropTableExtras: (schema, table) => ({
      sql: `DELETE FROM ${qualifyPostgres(schema, POSTGRES_META_TABLE)} WHERE table_name = ?`,
      params: [table],
    }),
  },
  catalog: {
    hiddenTables: (schemas) => ({
      sql:
        `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables ` +
        `WHERE table_schema IN (${schemas.map(() => '?').join(',')}) AND table_name LIKE '~%'`,
      params: schemas,
    }),
    checksum: () => null,
    foreignKeyCheck: () => null,
    foreignKeyTargets: () => null,
    serverClock: null,
    quietTables: () => null,
  },
  compileSelect: (query, options) => new PostgresQueryCompiler(postgresDialect).compileSelect(query, options),
  compileCount: (query) => new PostgresQueryCompiler(postgresDialect).compileCount(query),
};
