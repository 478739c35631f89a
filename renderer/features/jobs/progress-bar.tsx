import type { TableProgress } from '../../api/table-progress';

type Counts = Pick<TableProgress, 'done' | 'pending' | 'reserved' | 'running' | 'waiting' | 'error' | 'ignored'>;

const SEGMENTS: ReadonlyArray<{ key: keyof Counts; label: string }> = [
  { key: 'done', label: 'done' },
  { key: 'running', label: 'running' },
  { key: 'reserved', label: 'reserved' },
  { key: 'waiting', label: 'waiting to retry' },
  { key: 'error', label: 'error' },
  { key: 'ignored', label: 'ignored' },
];

/** What the bar says in words (its accessible name). */
export function progressWords(c: Counts): string {
  const parts = SEGMENTS.filter((s) => c[s.key] > 0).map((s) => `${c[s.key]} ${s.label}`);
  return [...parts, `${c.pending} pending`].join(', ');
}

/**
 * A stacked bar: done, running, reserved, waiting, error and ignored keys, the rest pending.
 * `progressKey` sets the fixed hook (`data-progress` with the numbers shown).
 */
export function ProgressBar({ counts, progressKey }: { counts: Counts; progressKey?: string }) {
  const total = SEGMENTS.reduce((n, s) => n + counts[s.key], 0) + counts.pending;
  const hook = progressKey
    ? {
        'data-progress': progressKey,
        'data-done': counts.done,
        'data-pending': counts.pending,
        'data-error': counts.error,
      }
    : {};
  return (
    <div
      className="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={counts.done}
      aria-valuetext={progressWords(counts)}
      title={progressWords(counts)}
      {...hook}
    >
      {total > 0 &&
        SEGMENTS.map((s) =>
          counts[s.key] > 0 ? (
            <span
              key={s.key}
              className={`progress-seg seg-${s.key}`}
              style={{ width: `${(100 * counts[s.key]) / total}%` }}
            />
          ) : null,
        )}
    </div>
  );
}
