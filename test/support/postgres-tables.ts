import type { DbDriver } from '../../electron/core/db/driver';
import type { ResolvedColumn } from '../../shared/model/definition/heading';
import { dataTypeFromText } from '../../shared/model/definition/types';
import {
  POSTGRES_META_TABLE,
  postgresColumnType,
  postgresCreateEnum,
  postgresCreateSchema,
} from '../../shared/sql/dialects/postgres';

/** A column of a test table written in MySQL's spelling (`int unsigned`, `enum('a','b')`). */
export interface TestColumn {
  name: string;
  type: string;
  nullable?: boolean;
  comment?: string;
}

/**
 * Creates a test table on PostgreSQL from MySQL-spelled columns, as Joinery's DDL would (the same
 * type mapping, enum types and metadata row), for test helpers that write their tables by hand.
 */
export async function createPostgresTable(
  db: DbDriver,
  schema: string,
  table: string,
  columns: readonly TestColumn[],
  extra: readonly string[],
): Promise<void> {
  for (const st of postgresCreateSchema(schema)) await db.execute(st.sql);
  const defs = columns.map((c) => {
    const type = dataTypeFromText(c.type, { sqlFallback: true });
    const quoted = db.dialect.quoteIdent(c.name);
    const resolved = { name: c.name, type, sqlType: c.type } as ResolvedColumn;
    const pg = postgresColumnType(schema, resolved, quoted);
    return `${quoted} ${pg.type} ${c.nullable ? 'NULL' : 'NOT NULL'}${pg.check ? ` CHECK (${pg.check})` : ''}`;
  });
  for (const c of columns) {
    const type = dataTypeFromText(c.type, { sqlFallback: true });
    if (type.kind === 'enum') await db.execute(postgresCreateEnum(schema, type.values));
  }
  await db.execute(`CREATE TABLE ${db.dialect.qualify(schema, table)} (${[...defs, ...extra].join(', ')})`);
  const meta = {
    comment: '',
    columns: Object.fromEntries(columns.map((c) => [c.name, { sqlType: c.type, comment: c.comment ?? '' }])),
  };
  await db.execute(`INSERT INTO ${db.dialect.qualify(schema, POSTGRES_META_TABLE)} (table_name, meta) VALUES (?, ?)`, [
    table,
    JSON.stringify(meta),
  ]);
}
