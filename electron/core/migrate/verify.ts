import { createHash } from 'node:crypto';
import { appError } from '../../../shared/errors';
import type { MigrationPlan, PlanTable } from '../../../shared/migrate';
import { orphanCountSql } from '../../../shared/sql/ddl/migration';
import type { DbSession } from '../db/driver';

/**
 * Verification before the swap: every shadow has as many rows as its source, the columns
 * carried unchanged have equal order-independent checksums on both sides (MySQL: SUM and
 * BIT_XOR of CRC32 in SQL; SQLite: the same idea over MD5s computed while streaming), and no
 * foreign key of a shadow has orphans. Any difference stops the migration before the swap.
 */

/** What verification found, kept in the journal and shown in the history. */
export interface VerifyReport {
  tables: Record<string, { source: number; copied: number; checksum: string; carried: number }>;
  orphans: number;
}

/** Verifies every shadow against its source; throws with the first difference. */
export async function verifyShadows(db: DbSession, plan: MigrationPlan): Promise<VerifyReport> {
  const report: VerifyReport = { tables: {}, orphans: 0 };
  for (const t of plan.tables) {
    const label = `${t.target.schema}.${t.target.tableName}`;
    const src = await checksum(
      db,
      t.source.schema,
      t.source.tableName,
      t.carried.map((c) => c.from),
    );
    const dst = await checksum(
      db,
      t.shadow.schema,
      t.shadow.tableName,
      t.carried.map((c) => c.to),
    );
    report.tables[label] = { source: src.n, copied: dst.n, checksum: dst.sum, carried: t.carried.length };
    if (src.n !== dst.n) throw failed(plan, `${label}: the shadow has ${dst.n} rows, the source ${src.n}`);
    if (src.sum !== dst.sum)
      throw failed(plan, `${label}: the checksums of the carried columns differ (${src.sum} vs ${dst.sum})`);
    report.orphans += await orphans(db, plan, t, label);
  }
  return report;
}

/** Orphans of every foreign key of one shadow; throws when there are any. */
async function orphans(db: DbSession, plan: MigrationPlan, t: PlanTable, label: string): Promise<number> {
  let total = 0;
  for (const fk of t.shadow.foreignKeys) {
    if (fk.kind !== 'parent') continue;
    const sql = orphanCountSql(
      db.dialect,
      { schema: t.shadow.schema, table: t.shadow.tableName },
      { schema: fk.refSchema, table: fk.refTable },
      fk.columns,
      fk.refColumns,
    );
    const n = Number((await db.query<{ n: unknown }>(sql))[0]!.n);
    if (n > 0) throw failed(plan, `${label}: ${n} rows reference no row of ${fk.refSchema}.${fk.refTable}`);
    total += n;
  }
  return total;
}

/** Row count and an order-independent checksum of the named columns. */
export async function checksum(
  db: DbSession,
  schema: string,
  table: string,
  columns: readonly string[],
): Promise<{ n: number; sum: string }> {
  const inSql = db.dialect.catalog.checksum(schema, table, columns);
  if (inSql) {
    const r = (await db.query<{ n: unknown; s: unknown; x: unknown }>(inSql))[0]!;
    return { n: Number(r.n), sum: `${String(r.s)}/${String(r.x)}` };
  }
  let n = 0;
  let sum = 0n;
  let xor = 0n;
  const cols = columns.length ? columns.map((c) => db.dialect.quoteIdent(c)).join(', ') : '1 AS one';
  for await (const row of db.stream(`SELECT ${cols} FROM ${db.dialect.qualify(schema, table)}`)) {
    n++;
    const text = JSON.stringify(columns.map((c) => normalise(row[c])));
    const h = createHash('md5').update(text).digest().readBigUInt64BE(0);
    sum = (sum + h) & 0xffffffffffffffffn;
    xor ^= h;
  }
  return { n, sum: `${sum}/${xor}` };
}

function normalise(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return `b:${v.toString('base64')}`;
  if (typeof v === 'bigint') return `i:${v}`;
  return v;
}

function failed(plan: MigrationPlan, what: string) {
  return appError('INTERNAL', `Migration ${plan.id}: verification failed: ${what}. Nothing was swapped.`, {
    details: { id: plan.id },
    hint: `Roll it back (joinery migrate rollback --id ${plan.id}) and report the difference.`,
  });
}
