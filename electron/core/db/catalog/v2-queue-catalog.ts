import type { CatalogColumn } from '../../../../shared/model/catalog';
import type { DbSession } from '../driver';
import { readPostgresColumns } from './postgres-columns';
import { readSqliteCatalog } from './sqlite-catalog';

/**
 * What the catalog says about a DataJoint 2.x `~~<table>` queue: the auto-populated table it
 * serves and its key columns (all but the queue's own `queueColumns`). MySQL-family engines,
 * PostgreSQL (pg_catalog, types spelled as MySQL would) and SQLite (a queue Joinery made there,
 * read from its catalog).
 */
export async function v2QueueCatalog(
  db: DbSession,
  schema: string,
  queue: string,
  queueColumns: readonly string[],
): Promise<{ target: string | null; keyColumns: CatalogColumn[] } | null> {
  if (db.dialect.name === 'sqlite') return sqliteQueue(db, schema, queue, queueColumns);
  if (db.dialect.name === 'postgres') {
    const cols = (await readPostgresColumns(db, [schema], [{ schema, table: queue }])).values().next().value ?? [];
    const keyColumns = cols.filter((c) => !queueColumns.includes(c.name)).map((c) => ({ ...c, inKey: true }));
    return { target: await targetOf(db, schema, queue), keyColumns };
  }
  if (db.dialect.name !== 'mysql') return null;
  return { target: await targetOf(db, schema, queue), keyColumns: await keyColumns(db, schema, queue, queueColumns) };
}

/** The queue's key columns, read as 2.x attributes so that keys decode as the target's (uuid as text). */
async function keyColumns(
  db: DbSession,
  schema: string,
  queue: string,
  queueColumns: readonly string[],
): Promise<CatalogColumn[]> {
  const rows = await db.query<{ name: string; type: string; nullable: string; comment: string }>(
    `SELECT column_name AS name, column_type AS type, is_nullable AS nullable, column_comment AS comment
     FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`,
    [schema, queue],
  );
  return rows
    .filter((r) => !queueColumns.includes(r.name))
    .map((r) => ({
      name: r.name,
      sqlType: r.type,
      nullable: r.nullable === 'YES',
      default: null,
      comment: r.comment ?? '',
      inKey: true,
      autoIncrement: false,
      jsonChecked: false,
    }));
}

/** The auto-populated table a queue serves: `_x` or `__x` for `~~x` (null when neither exists); MySQL and PostgreSQL. */
async function targetOf(db: DbSession, schema: string, queue: string): Promise<string | null> {
  const bare = queue.slice(2);
  const rows = await db.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_name IN (?, ?) ORDER BY table_name DESC`,
    [schema, `_${bare}`, `__${bare}`],
  );
  return rows[0]?.t ?? null;
}

async function sqliteQueue(
  db: DbSession,
  schema: string,
  queue: string,
  queueColumns: readonly string[],
): Promise<{ target: string | null; keyColumns: CatalogColumn[] }> {
  const { tables } = (await readSqliteCatalog(db, [schema])).schemas[0] ?? { tables: [] };
  const bare = queue.slice(2);
  const target = tables.find((t) => t.name === `__${bare}`) ?? tables.find((t) => t.name === `_${bare}`);
  const own = tables.find((t) => t.name === queue);
  return {
    target: target?.name ?? null,
    keyColumns: (own?.columns ?? []).filter((c) => !queueColumns.includes(c.name)),
  };
}
