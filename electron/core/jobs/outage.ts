import { isAppError } from '../../../shared/errors';
import type { Logger } from '../log';

/** How long populate and workers wait for a database that went away, unless JOINERY_DB_WAIT_S says otherwise. */
const DEFAULT_WAIT_MS = 10 * 60_000;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

/** Driver errors that mean the server is gone for now (restarting, shutting down, connection cut). */
const OUTAGE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_CON_COUNT_ERROR',
]);

/** True when `e` says the database cannot be reached now, rather than that the work was wrong. */
export function isOutage(e: unknown): boolean {
  if (!isAppError(e)) return /closed state|connection lost|ECONNRESET|ECONNREFUSED/i.test(String(e));
  if (e.code === 'DB_UNREACHABLE') return true;
  const code = e.details?.engineCode;
  return (typeof code === 'string' && OUTAGE_CODES.has(code)) || /closed state|connection lost/i.test(e.message);
}

/**
 * Rides through a database restart (an upgrade, a backup): work that fails because the server is
 * gone is tried again with bounded exponential backoff (0.25 s doubling to 5 s) for up to
 * JOINERY_DB_WAIT_S seconds (10 minutes by default), then the error goes to the caller. Every
 * caller of one guard shares the outage, so one line says what they wait for and one says when
 * the database is back. Work must be safe to repeat: each attempt is its own transaction, and a
 * commit whose answer was lost is found out by the lease checks of the next attempt.
 */
export class OutageGuard {
  private since: number | null = null;

  constructor(
    private readonly log: Logger,
    private readonly maxWaitMs = waitFromEnv(),
    /** Called when the database answers again after an outage (re-check the jobs in hand). */
    private readonly onBack?: () => void,
  ) {}

  /** Runs `work`, waiting out an outage of the database. */
  async run<T>(work: () => Promise<T>, what: string): Promise<T> {
    for (let delay = FIRST_DELAY_MS; ; delay = Math.min(MAX_DELAY_MS, delay * 2)) {
      try {
        const value = await work();
        this.recovered();
        return value;
      } catch (e) {
        if (!isOutage(e)) throw e;
        const now = Date.now();
        if (this.since === null) {
          this.since = now;
          this.log.warn(
            `the database is unreachable; waiting for it to come back (up to ${Math.round(this.maxWaitMs / 1000)} s), then going on with the jobs in hand`,
            { while: what, error: isAppError(e) ? e.message : String(e) },
          );
        }
        if (now - this.since > this.maxWaitMs) throw e;
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private recovered(): void {
    if (this.since === null) return;
    this.log.warn('the database is back; going on', { waited_s: Math.round((Date.now() - this.since) / 100) / 10 });
    this.since = null;
    this.onBack?.();
  }
}

function waitFromEnv(): number {
  const s = Number(process.env.JOINERY_DB_WAIT_S);
  return Number.isFinite(s) && s > 0 ? s * 1000 : DEFAULT_WAIT_MS;
}
