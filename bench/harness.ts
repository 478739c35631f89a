/**
 * Benchmarks print one JSON line per figure (ARCHITECTURE §10), each with a baseline measured
 * in the same run, so the ratio means something on any machine.
 */
export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline: string;
  baseline_value: number;
}

/** Prints one figure with its ratio (value / baseline_value). */
export function report(f: Figure): void {
  const round = (n: number) => Number(n.toPrecision(4));
  process.stdout.write(
    JSON.stringify({
      ...f,
      value: round(f.value),
      baseline_value: round(f.baseline_value),
      ratio: round(f.value / f.baseline_value),
    }) + '\n',
  );
}

/** Seconds `work` takes, best of `repeats` runs after one warm-up (noise only ever adds time). */
export async function bestSeconds(work: () => Promise<unknown> | unknown, repeats = 3): Promise<number> {
  await work();
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    await work();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best;
}
