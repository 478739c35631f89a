import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InlineContext } from '../../../electron/core/worker/inline-runner';

/**
 * Inline functions for worker processes started by the jobs tests (`joinery populate --inline`).
 * JOINERY_TEST_DIR is where `slow` leaves a marker when it starts and waits for a `release` file.
 */

// a worker process announces that it has loaded (and so can claim) by leaving a marker
if (process.env.JOINERY_TEST_DIR) writeFileSync(path.join(process.env.JOINERY_TEST_DIR, `ready-${process.pid}`), '');

/** Square (one row per key): value = item_id squared, and which process computed it. */
export function square({ key }: InlineContext) {
  return { rows: [{ value: Number(key.item_id) ** 2, pid: process.pid }] };
}

/** Like square, but announces itself and waits for `release` (so a test can kill its process mid-job). */
export async function slow(ctx: InlineContext) {
  const dir = process.env.JOINERY_TEST_DIR!;
  writeFileSync(path.join(dir, `started-${process.pid}-${String(ctx.key.item_id)}`), '');
  while (!existsSync(path.join(dir, 'release'))) {
    if (ctx.signal.aborted) throw new Error('aborted');
    await new Promise((r) => setTimeout(r, 25));
  }
  return square(ctx);
}

let started = false;

/** Square, once the test has started every worker process (it creates `go`), so that they all compete. */
export async function squareAfterGo(ctx: InlineContext) {
  const dir = process.env.JOINERY_TEST_DIR!;
  while (!started && !existsSync(path.join(dir, 'go'))) await new Promise((r) => setTimeout(r, 10));
  started = true;
  return square(ctx);
}

/** Square after 40 ms, so that a populate lasts long enough to restart its database underneath. */
export async function squareSlowly(ctx: InlineContext) {
  await new Promise((r) => setTimeout(r, 40));
  return square(ctx);
}
