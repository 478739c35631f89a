import type { CompiledSql } from '../../../shared/sql/dialect';
import type { DbDriver } from './driver';

/** Where a member is added: a table created before the member existed (a hidden table of an older Joinery). */
export interface EnumColumnAt {
  schema: string;
  table: string;
  column: string;
  /** The member to add, a plain word (it is written into the DDL as a literal). */
  value: string;
  /** CREATE TABLE of the current definition under another name (SQLite rebuilds the table). */
  createAs: (tableName: string) => CompiledSql[];
}

/**
 * Adds `value` to an enum column of an existing table, once: MySQL widens the column type
 * (MODIFY, which keeps the rows), PostgreSQL adds the label to the column's enum type, and
 * SQLite, whose enum is a CHECK constraint it cannot alter, rebuilds the table in one
 * transaction (create under a new name, copy, drop, rename). A no-op where the member is there.
 */
export async function ensureEnumMember(db: DbDriver, at: EnumColumnAt): Promise<void> {
  if (!/^\w+$/.test(at.value)) throw new Error(`enum member ${at.value} must be a plain word`);
  if (db.dialect.name === 'mysql') return mysqlEnumMember(db, at);
  if (db.dialect.name === 'postgres') return postgresEnumMember(db, at);
  return sqliteEnumMember(db, at);
}

async function mysqlEnumMember(db: DbDriver, at: EnumColumnAt): Promise<void> {
  const [row] = await db.query<{ t: string }>(
    'SELECT COLUMN_TYPE AS t FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND column_name = ?',
    [at.schema, at.table, at.column],
  );
  if (!row || row.t.includes(`'${at.value}'`)) return;
  const widened = row.t.replace(/\)$/, `,'${at.value}')`);
  await db.execute(
    `ALTER TABLE ${db.dialect.qualify(at.schema, at.table)} MODIFY ${db.dialect.quoteIdent(at.column)} ${widened} NOT NULL`,
  );
}

async function postgresEnumMember(db: DbDriver, at: EnumColumnAt): Promise<void> {
  const [type] = await db.query<{ s: string; n: string }>(
    'SELECT udt_schema AS s, udt_name AS n FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND column_name = ?',
    [at.schema, at.table, at.column],
  );
  if (!type) return;
  await db.execute(`ALTER TYPE ${db.dialect.qualify(type.s, type.n)} ADD VALUE IF NOT EXISTS '${at.value}'`);
}

async function sqliteEnumMember(db: DbDriver, at: EnumColumnAt): Promise<void> {
  const name = `${at.schema}.${at.table}`;
  const ddl = async (s: Pick<DbDriver, 'query'>) =>
    (await s.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [name]))[0]?.sql;
  const before = await ddl(db);
  if (!before || before.includes(`'${at.value}'`)) return;
  const temp = `${at.table}~widen`;
  await db.transaction(async (tx) => {
    const now = await ddl(tx);
    if (!now || now.includes(`'${at.value}'`)) return; // another process rebuilt it meanwhile
    await tx.execute(`DROP TABLE IF EXISTS ${db.dialect.qualify(at.schema, temp)}`);
    // the table alone: its indexes and metadata row are (re)created by the caller's CREATE ... IF NOT EXISTS
    for (const st of at.createAs(temp).filter((s) => /^CREATE TABLE/i.test(s.sql))) await tx.execute(st.sql, st.params);
    await tx.execute(
      `INSERT INTO ${db.dialect.qualify(at.schema, temp)} SELECT * FROM ${db.dialect.qualify(at.schema, at.table)}`,
    );
    await tx.execute(`DROP TABLE ${db.dialect.qualify(at.schema, at.table)}`);
    await tx.execute(
      `ALTER TABLE ${db.dialect.qualify(at.schema, temp)} RENAME TO ${db.dialect.qualify(at.schema, at.table)}`,
    );
  });
}
