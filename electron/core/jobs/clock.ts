import type { DbSession } from '../db/driver';

/**
 * Leases and backoff are judged on the database server's clock, so workers on machines whose
 * clocks disagree still agree on when a lease has expired. The offset to the local clock is
 * measured with one query and refreshed with every heartbeat.
 */
export class DbClock {
  private offset = 0;

  /** Milliseconds since 1970 on the database clock. */
  now(): number {
    return Date.now() + this.offset;
  }

  /** Measures the offset (MySQL); SQLite lives on this machine, so its clock is ours. */
  async sync(db: DbSession): Promise<void> {
    if (db.dialect.name !== 'mysql') return;
    const t0 = Date.now();
    const [row] = await db.query<{ t: number | string }>('SELECT CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED) AS t');
    const t1 = Date.now();
    if (row) this.offset = Number(row.t) - Math.round((t0 + t1) / 2);
  }
}
