import { POSTGRES_META_TABLE } from '../../../../shared/sql/dialects/postgres';
import type { CatalogColumn } from '../../../../shared/model/catalog';
import type { SqliteTableMeta } from './sqlite-catalog';
import type { DbSession } from '../driver';

/**
 * Columns of PostgreSQL tables as the catalog model wants them (MySQL's COLUMN_TYPE spelling).
 * Tables Joinery declared have their MySQL types, comments and defaults in the schema's
 * `~joinery_table_meta` (the same record SQLite keeps); tables made by DataJoint 2.x are read
 * from pg_catalog and their types spelled as MySQL would (`integer` -> `int`, an enum type ->
 * `enum('a','b')`), comments from `COMMENT ON` (2.x's `:type:` markers included).
 */

/** Schema-qualified table names: `schema` NUL `table`. */
const key = (s: string, t: string) => `${s}\u0000${t}`;

type PgColumnRow = {
  s: string;
  t: string;
  name: string;
  type: string;
  notnull: boolean;
  dflt: string | null;
  comment: string | null;
  identity: string;
  inkey: boolean;
  labels: string[] | null;
};

/** Tables' columns in declaration order, keyed by `schema` NUL `table`, for tables of `schemas`. */
export async function readPostgresColumns(
  db: DbSession,
  schemas: readonly string[],
  tables?: readonly { schema: string; table: string }[],
): Promise<Map<string, CatalogColumn[]>> {
  const out = new Map<string, CatalogColumn[]>();
  if (schemas.length === 0) return out;
  const rows = await db.query<PgColumnRow>(
    `SELECT n.nspname AS s, c.relname AS t, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS dflt, col_description(c.oid, a.attnum) AS comment,
            a.attidentity AS identity, COALESCE(a.attnum = ANY(pk.conkey), false) AS inkey,
            CASE WHEN ty.typtype = 'e' THEN
              (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = a.atttypid)
            END AS labels
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_type ty ON ty.oid = a.atttypid
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'
     WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND n.nspname = ANY(?)
     ORDER BY n.nspname, c.relname, a.attnum`,
    [[...schemas]],
  );
  const wanted = tables ? new Set(tables.map((t) => key(t.schema, t.table))) : null;
  const meta = await readMeta(db, schemas);
  for (const r of rows) {
    const k = key(r.s, r.t);
    if (wanted && !wanted.has(k)) continue;
    const m = meta.get(k)?.columns[r.name];
    const list = out.get(k) ?? [];
    list.push({
      name: r.name,
      sqlType: m?.sqlType ?? mysqlSpelling(r.type, r.labels),
      nullable: !r.notnull,
      default: m ? (m.default ?? null) : normalizeDefault(r.dflt),
      comment: m?.comment ?? r.comment ?? '',
      inKey: Boolean(r.inkey),
      autoIncrement: r.identity !== '' || /^nextval\(/.test(r.dflt ?? ''),
      jsonChecked: false,
    });
    out.set(k, list);
  }
  return out;
}

/** The metadata rows of the schemas that have Joinery's metadata table, keyed like the columns. */
export async function readMeta(db: DbSession, schemas: readonly string[]): Promise<Map<string, SqliteTableMeta>> {
  const out = new Map<string, SqliteTableMeta>();
  const have = await db.query<{ s: string }>(
    `SELECT table_schema AS s FROM information_schema.tables WHERE table_schema = ANY(?) AND table_name = ?`,
    [[...schemas], POSTGRES_META_TABLE],
  );
  for (const { s } of have) {
    const rows = await db.query<{ t: string; meta: string }>(
      `SELECT table_name AS t, meta FROM ${db.dialect.qualify(s, POSTGRES_META_TABLE)}`,
    );
    for (const r of rows) {
      try {
        out.set(key(s, r.t), JSON.parse(r.meta) as SqliteTableMeta);
      } catch {
        // damaged metadata: the table is read from pg_catalog alone
      }
    }
  }
  return out;
}

const SPELLING: [RegExp, string][] = [
  [/^integer$/, 'int'],
  [/^real$/, 'float'],
  [/^double precision$/, 'double'],
  [/^numeric\((\d+),(\d+)\)$/, 'decimal($1,$2)'],
  [/^numeric$/, 'decimal(65,30)'],
  [/^character varying\((\d+)\)$/, 'varchar($1)'],
  [/^character varying$/, 'longtext'],
  [/^character\((\d+)\)$/, 'char($1)'],
  [/^text$/, 'longtext'],
  [/^bytea$/, 'longblob'],
  [/^timestamp\((\d)\) without time zone$/, 'datetime($1)'],
  [/^timestamp without time zone$/, 'datetime(6)'],
  [/^time\((\d)\) without time zone$/, 'time($1)'],
  [/^jsonb?$/, 'json'],
  [/^boolean$/, 'tinyint(1)'],
  [/^uuid$/, 'binary(16)'],
];

/** A PostgreSQL type as MySQL's COLUMN_TYPE would spell the same column. */
export function mysqlSpelling(type: string, enumLabels: readonly string[] | null): string {
  if (enumLabels) return `enum(${enumLabels.map((v) => `'${v.replaceAll("'", "''")}'`).join(',')})`;
  for (const [re, to] of SPELLING) if (re.test(type)) return type.replace(re, to);
  return type;
}

/** A default as MariaDB reports it: string literals unquoted, casts dropped, NULL as none. */
export function normalizeDefault(d: string | null): string | null {
  if (d === null || /^NULL(::.*)?$/i.test(d) || /^nextval\(/.test(d)) return null;
  const bare = d.replace(/::[a-z_ ."]+(\[\])?$/i, '');
  const m = /^'(.*)'$/s.exec(bare);
  if (m) return m[1]!.replaceAll("''", "'");
  if (/^(LOCALTIMESTAMP|CURRENT_TIMESTAMP|now\(\))/i.test(bare)) {
    const p = /\((\d)\)/.exec(bare)?.[1];
    return `current_timestamp(${p && p !== '0' ? p : ''})`;
  }
  return bare.replace(/^\((.*)\)$/, '$1');
}
