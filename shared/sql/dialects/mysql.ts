import { checkIdentifier, type SqlDialect } from '../dialect';

/** MySQL/MariaDB: backtick quoting, schemas are databases, DDL is not transactional. */
export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  capabilities: { transactionalDdl: false, nativeSchemas: true },
  quoteIdent(name) {
    checkIdentifier(name);
    return '`' + name.replaceAll('`', '``') + '`';
  },
  qualify(schema, table) {
    return `${this.quoteIdent(schema)}.${this.quoteIdent(table)}`;
  },
  qualifyGlobal(table) {
    return this.qualify(GLOBAL_SCHEMA, table);
  },
  now: 'CURRENT_TIMESTAMP(3)',
  nowPlusSeconds: 'TIMESTAMPADD(MICROSECOND, CAST(? * 1000000 AS SIGNED), CURRENT_TIMESTAMP(3))',
  secondsSince: (expr) => `(TIMESTAMPDIFF(MICROSECOND, ${expr}, CURRENT_TIMESTAMP(3)) / 1000000)`,
  types: { timestamp: 'DATETIME(3)', text: 'LONGTEXT' },
  get createGlobalHome() {
    return `CREATE DATABASE IF NOT EXISTS ${this.quoteIdent(GLOBAL_SCHEMA)}`;
  },
};

/**
 * The database that holds Joinery's lab-wide state on MySQL (workers span schemas). Its name
 * starts with `~` like DataJoint's hidden tables, so neither Joinery nor a reader of DataJoint
 * schemas mistakes it for a pipeline schema.
 */
export const GLOBAL_SCHEMA = '~joinery';
