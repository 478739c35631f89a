/** Longest wait between two reconnect attempts of the event socket. */
export const MAX_RECONNECT_DELAY_MS = 30_000;
const FIRST_DELAY_MS = 500;

/**
 * Exponential backoff with jitter: 0.5 s, 1 s, 2 s ... capped at 30 s, each +-20 %, so that many
 * open tabs do not hammer a restarting server in lockstep.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RECONNECT_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt));
  const jitter = 0.8 + 0.4 * random();
  return Math.round(Math.min(MAX_RECONNECT_DELAY_MS, base * jitter));
}
