import type { InsertSpec, SqlDialect } from '../../dialect';
import { mysqlCreateDatabase, mysqlCreateTable } from './ddl';
import { MysqlQueryCompiler } from './query';
import { GLOBAL_SCHEMA, qualifyMysql, quoteMysql } from './quote';

export { GLOBAL_SCHEMA } from './quote';

const columnList = (names: readonly string[]) => names.map(quoteMysql).join(', ');

/** `INSERT [IGNORE] | REPLACE ... [ON DUPLICATE KEY UPDATE ...]`. */
function insert(spec: InsertSpec): string {
  const c = spec.onConflict ?? 'error';
  const verb = c === 'replace' ? 'REPLACE INTO' : c === 'ignore' ? 'INSERT IGNORE INTO' : 'INSERT INTO';
  const head = `${verb} ${spec.into} (${columnList(spec.columns)}) VALUES ${spec.values}`;
  if (c === 'skip') {
    // a no-op update skips only key clashes (INSERT IGNORE would also swallow bad values)
    const first = spec.key[0] ?? spec.columns[0];
    return first ? `${head} ON DUPLICATE KEY UPDATE ${quoteMysql(first)} = ${quoteMysql(first)}` : head;
  }
  if (typeof c === 'object') {
    return `${head} ON DUPLICATE KEY UPDATE ${c.update.map(([col, expr]) => `${quoteMysql(col)} = ${expr}`).join(', ')}`;
  }
  return head;
}

/** MySQL/MariaDB: backtick quoting, schemas are databases, DDL is not transactional. */
export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  label: 'MySQL',
  capabilities: {
    transactionalDdl: false,
    migrations: true,
    nativeSchemas: true,
    remoteClock: true,
    skipCountsDuplicates: true,
    defaultRowsPerInsert: 1000,
  },
  quoteIdent: quoteMysql,
  qualify: qualifyMysql,
  qualifyGlobal: (table) => qualifyMysql(GLOBAL_SCHEMA, table),
  now: 'CURRENT_TIMESTAMP(3)',
  nowPlusSeconds: 'TIMESTAMPADD(MICROSECOND, CAST(? * 1000000 AS SIGNED), CURRENT_TIMESTAMP(3))',
  secondsSince: (expr) => `(TIMESTAMPDIFF(MICROSECOND, ${expr}, CURRENT_TIMESTAMP(3)) / 1000000)`,
  clockMillis: 'SELECT CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED) AS t',
  types: { timestamp: 'DATETIME(3)', text: 'LONGTEXT' },
  createGlobalHome: `CREATE DATABASE IF NOT EXISTS ${quoteMysql(GLOBAL_SCHEMA)}`,
  session: { user: 'USER()', connectionId: 'CONNECTION_ID()' },
  asText: (expr) => expr,
  likeNoCase: 'LIKE',
  orderItem: (term, descending) => `${term} ${descending ? 'DESC' : 'ASC'}`,
  insert,
  inserted: (column) => `VALUES(${quoteMysql(column)})`,
  // MariaDB resolves aliases in a multi-table DELETE only with a default database, so no aliases
  deleteJoined: ({ tables: [a, b], on, where }) => `DELETE ${a}, ${b} FROM ${a} JOIN ${b} ON ${on} WHERE ${where}`,
  values: {
    maxInteger: null,
    decimalDigits: null,
    bindIntegersAsBigInt: false,
    decimalsAsText: true,
    maxParams: null,
    booleanColumns: false,
  },
  ddl: {
    createSchema: (schema, opts) => [{ sql: mysqlCreateDatabase(schema, opts), params: [] }],
    dropSchema: (schema) => `DROP DATABASE IF EXISTS ${quoteMysql(schema)}`,
    createTable: (table, opts) => [{ sql: mysqlCreateTable(table, opts), params: [] }],
    renameTable: (schema, from, to) => [
      { sql: `RENAME TABLE ${qualifyMysql(schema, from)} TO ${qualifyMysql(schema, to)}`, params: [] },
    ],
    dropTableExtras: () => null,
    renameTables: (moves) =>
      moves.length === 0
        ? []
        : [
            {
              sql: `RENAME TABLE ${moves.map((m) => `${qualifyMysql(m.schema, m.from)} TO ${qualifyMysql(m.toSchema, m.to)}`).join(', ')}`,
              params: [],
            },
          ],
    dropIndex: (schema, table, name) => `DROP INDEX IF EXISTS ${quoteMysql(name)} ON ${qualifyMysql(schema, table)}`,
    blockWrites: (schema, table, name, message) =>
      (['INSERT', 'UPDATE', 'DELETE'] as const).map(
        (verb) =>
          `CREATE TRIGGER ${qualifyMysql(schema, `${name}${verb[0]!.toLowerCase()}`)} BEFORE ${verb} ON ${qualifyMysql(schema, table)} ` +
          `FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${message.slice(0, 128).replaceAll("'", "''").replaceAll('\\', '\\\\')}'`,
      ),
    unblockWrites: (schema, name) =>
      ['i', 'u', 'd'].map((e) => `DROP TRIGGER IF EXISTS ${qualifyMysql(schema, `${name}${e}`)}`),
  },
  catalog: {
    hiddenTables: (schemas) => ({
      sql:
        `SELECT CONCAT(table_schema, '.', table_name) AS name FROM information_schema.tables ` +
        `WHERE table_schema IN (${schemas.map(() => '?').join(',')}) AND table_name LIKE '~%'`,
      params: schemas,
    }),
    checksum: (schema, table, columns) => mysqlChecksumSql(schema, table, columns),
    foreignKeyCheck: () => null,
    foreignKeyTargets: (schema, table) => ({
      sql: 'SELECT REFERENCED_TABLE_NAME AS r, CONSTRAINT_NAME AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?',
      params: [schema, table],
    }),
    // InnoDB keeps each table's last commit time in memory (NULL after a restart: then nothing is provably quiet)
    serverClock: "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s') AS now",
    quietTables: (schema, tables, stamp) => ({
      sql:
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? ` +
        `AND table_name IN (${tables.map(() => '?').join(',')}) AND update_time IS NOT NULL AND update_time < ?`,
      params: [schema, ...tables, stamp],
    }),
  },
  compileSelect: (query, options) => new MysqlQueryCompiler(mysqlDialect).compileSelect(query, options),
  compileCount: (query) => new MysqlQueryCompiler(mysqlDialect).compileCount(query),
};

/**
 * COUNT, SUM and BIT_XOR of CRC32 over the values and their NULL bitmap (CONCAT_WS skips NULLs,
 * so the bitmap tells NULL from ''), as pt-table-checksum does.
 */
function mysqlChecksumSql(schema: string, table: string, columns: readonly string[]): string {
  const row = columns.length
    ? `CRC32(CONCAT_WS('#', ${columns.map(quoteMysql).join(', ')}, CONCAT(${columns.map((c) => `ISNULL(${quoteMysql(c)})`).join(', ')})))`
    : '0';
  return `SELECT COUNT(*) AS n, COALESCE(SUM(${row}), 0) AS s, COALESCE(BIT_XOR(${row}), 0) AS x FROM ${qualifyMysql(schema, table)}`;
}
