import type { DbDriver } from '../driver';
import type { Catalog, CatalogOptions } from '../../../../shared/model/catalog';
import { listMysqlSchemas, readMysqlCatalog } from './mysql-catalog';
import { listPostgresSchemas, readPostgresCatalog } from './postgres-catalog';
import { listSqliteSchemas, readSqliteCatalog } from './sqlite-catalog';
import { detectConventions } from '../../../../shared/model/conventions';
import { LINEAGE_TABLE } from '../../../../shared/model/definition';
import { attachLineage, readLineage } from './read-lineage';

/** Schema names of an open database. */
export function listSchemas(db: DbDriver): Promise<string[]> {
  if (db.dialect.name === 'postgres') return listPostgresSchemas(db);
  return db.dialect.name === 'mysql' ? listMysqlSchemas(db) : listSqliteSchemas(db);
}

/** The catalog of the named schemas (all schemas when omitted), each with its DataJoint conventions. */
export async function readCatalog(db: DbDriver, schemas?: string[], opts: CatalogOptions = {}): Promise<Catalog> {
  const names = schemas ?? (await listSchemas(db));
  const catalog =
    db.dialect.name === 'postgres'
      ? await readPostgresCatalog(db, names, opts)
      : db.dialect.name === 'mysql'
        ? await readMysqlCatalog(db, names, opts)
        : await readSqliteCatalog(db, names, opts);
  const lineage = await readLineage(
    db,
    catalog.schemas.filter((s) => s.tables.some((t) => t.name === LINEAGE_TABLE)).map((s) => s.name),
  );
  for (const s of catalog.schemas) {
    s.conventions = detectConventions(s.tables);
    for (const t of s.tables) attachLineage(lineage, s.name, t.name, t.columns);
  }
  return catalog;
}
