import type { DbDriver } from '../driver';
import type { Catalog } from '../../../../shared/model/catalog';
import { listMysqlSchemas, readMysqlCatalog } from './mysql-catalog';
import { listPostgresSchemas, readPostgresCatalog } from './postgres-catalog';
import { listSqliteSchemas, readSqliteCatalog } from './sqlite-catalog';

/** Schema names of an open database. */
export function listSchemas(db: DbDriver): Promise<string[]> {
  if (db.dialect.name === 'postgres') return listPostgresSchemas(db);
  return db.dialect.name === 'mysql' ? listMysqlSchemas(db) : listSqliteSchemas(db);
}

/** The catalog of the named schemas (all schemas when omitted). */
export async function readCatalog(db: DbDriver, schemas?: string[]): Promise<Catalog> {
  const names = schemas ?? (await listSchemas(db));
  if (db.dialect.name === 'postgres') return readPostgresCatalog(db, names);
  return db.dialect.name === 'mysql' ? readMysqlCatalog(db, names) : readSqliteCatalog(db, names);
}
