import { SQLITE_SCHEMA_TABLE } from '../../../shared/sql/ddl';
import type { DbDriver } from './driver';

/**
 * Removes a schema with everything in it, hidden tables included: `DROP DATABASE` on MySQL; on
 * SQLite every `<schema>.*` table and the schema's registration. Used to take back a schema that
 * was built moments ago and failed half-way (the first-run sample), never for users' data.
 */
export async function dropWholeSchema(db: DbDriver, schema: string): Promise<void> {
  const q = (name: string) => db.dialect.quoteIdent(name);
  if (db.dialect.name === 'mysql') {
    await db.execute(`DROP DATABASE IF EXISTS ${q(schema)}`);
    return;
  }
  const tables = await db.query<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ?`,
    [schema.length + 1, `${schema}.`],
  );
  for (const t of tables) await db.execute(`DROP TABLE IF EXISTS ${q(t.name)}`);
  await db.execute(`DELETE FROM ${q(SQLITE_SCHEMA_TABLE)} WHERE name = ?`, [schema]);
}
