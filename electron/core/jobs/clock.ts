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

  /** Measures the offset to a database server; a database on this machine (SQLite) shares our clock. */
  async sync(db: DbSession): Promise<void> {
    if (!db.dialect.capabilities.remoteClock) return;
    const t0 = Date.now();
    const [row] = await db.query<{ t: number | string }>(db.dialect.clockMillis);
    const t1 = Date.now();
    if (row) this.offset = Number(row.t) - Math.round((t0 + t1) / 2);
  }
}
