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
};
