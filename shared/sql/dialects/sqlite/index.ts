import type { InsertSpec, SqlDialect } from '../../dialect';
import { sqliteCreateSchema, sqliteCreateTable } from './ddl';
import { SQLITE_META_TABLE } from './ddl-meta';
import { SqliteQueryCompiler } from './query';
import { qualifySqlite, quoteSqlite } from './quote';

export { SQLITE_SCHEMA_SEPARATOR, splitSqliteName } from './quote';

const columnList = (names: readonly string[]) => names.map(quoteSqlite).join(', ');

/** `INSERT [OR IGNORE | OR REPLACE] ... [ON CONFLICT ...]`; no columns: one row of defaults. */
function insert(spec: InsertSpec): string {
  if (spec.columns.length === 0) return `INSERT INTO ${spec.into} DEFAULT VALUES`;
  const c = spec.onConflict ?? 'error';
  const verb = c === 'replace' ? 'INSERT OR REPLACE INTO' : c === 'ignore' ? 'INSERT OR IGNORE INTO' : 'INSERT INTO';
  const head = `${verb} ${spec.into} (${columnList(spec.columns)}) VALUES ${spec.values}`;
  if (c === 'skip') return `${head} ON CONFLICT DO NOTHING`;
  if (typeof c === 'object') {
    const sets = c.update.map(([col, expr]) => `${quoteSqlite(col)} = ${expr}`).join(', ');
    return `${head} ON CONFLICT (${columnList(spec.key)}) DO UPDATE SET ${sets}`;
  }
  return head;
}

/** SQLite: double-quote quoting, schemas are name prefixes, DDL is transactional. */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  label: 'SQLite',
  capabilities: {
    transactionalDdl: true,
    migrations: true,
    nativeSchemas: false,
    remoteClock: false,
    skipCountsDuplicates: false,
    defaultRowsPerInsert: 1,
  },
  quoteIdent: quoteSqlite,
  qualify: qualifySqlite,
  // no schema prefix: the catalog reader only lists names with one
  qualifyGlobal: quoteSqlite,
  now: "strftime('%Y-%m-%d %H:%M:%f', 'now')",
  nowPlusSeconds: "strftime('%Y-%m-%d %H:%M:%f', 'now', printf('%+.3f seconds', ?))",
  secondsSince: (expr) => `((julianday('now') - julianday(${expr})) * 86400.0)`,
  clockMillis: "SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS t",
  types: { timestamp: 'TEXT', text: 'TEXT' },
  createGlobalHome: null,
  session: { user: null, connectionId: null },
  asText: (expr) => expr,
  likeNoCase: 'LIKE',
  orderItem: (term, descending) => `${term} ${descending ? 'DESC' : 'ASC'}`,
  insert,
  inserted: (column) => `excluded.${quoteSqlite(column)}`,
  deleteJoined: null,
  values: {
    maxInteger: 2n ** 63n - 1n,
    // SQLite keeps decimals as doubles, exact to 15 significant digits
    decimalDigits: 15,
    bindIntegersAsBigInt: true,
    decimalsAsText: false,
    maxParams: 32_766,
    booleanColumns: false,
  },
  ddl: {
    createSchema: (schema) => sqliteCreateSchema(schema),
    dropSchema: () => null,
    createTable: (table, opts) => sqliteCreateTable(table, opts),
    renameTable: (schema, from, to) => [
      { sql: `ALTER TABLE ${qualifySqlite(schema, from)} RENAME TO ${qualifySqlite(schema, to)}`, params: [] },
      {
        sql: `UPDATE ${quoteSqlite(SQLITE_META_TABLE)} SET table_name = ? WHERE table_name = ?`,
        params: [`${schema}.${to}`, `${schema}.${from}`],
      },
    ],
    // the metadata row of a dropped table goes with it (MySQL keeps it in the table itself)
    dropTableExtras: (schema, table) => ({
      sql: `DELETE FROM ${quoteSqlite(SQLITE_META_TABLE)} WHERE table_name = ?`,
      params: [`${schema}.${table}`],
    }),
    // one ALTER per table (run inside the migration's transaction); FK references follow each rename
    renameTables: (moves) =>
      moves.flatMap((m) => [
        {
          sql: `ALTER TABLE ${qualifySqlite(m.schema, m.from)} RENAME TO ${qualifySqlite(m.toSchema, m.to)}`,
          params: [],
        },
        {
          sql: `UPDATE ${quoteSqlite(SQLITE_META_TABLE)} SET table_name = ? WHERE table_name = ?`,
          params: [`${m.toSchema}.${m.to}`, `${m.schema}.${m.from}`],
        },
      ]),
    dropIndex: (_schema, _table, name) => `DROP INDEX IF EXISTS ${quoteSqlite(name)}`,
    blockWrites: () => [],
    unblockWrites: () => [],
  },
  catalog: {
    hiddenTables: () => ({
      sql: `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%.~%'`,
      params: [],
    }),
    checksum: () => null,
    foreignKeyCheck: (schema, table) => `PRAGMA foreign_key_check(${qualifySqlite(schema, table)})`,
    foreignKeyTargets: () => null,
    serverClock: null,
    quietTables: () => null,
  },
  compileSelect: (query, options) => new SqliteQueryCompiler(sqliteDialect).compileSelect(query, options),
  compileCount: (query) => new SqliteQueryCompiler(sqliteDialect).compileCount(query),
};
