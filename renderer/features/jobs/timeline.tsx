import { useState } from 'react';
import { useApiQueries, useApiQuery } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { formatDuration, tableHue } from './job-format';
import { timelineRows, timeTicks, type TimelineBar } from './timeline-model';

const SPANS = [5 * 60_000, 15 * 60_000, 60 * 60_000, 3 * 3_600_000, 12 * 3_600_000, 24 * 3_600_000];
const W = 1000;
const ROW = 26;

function barColour(b: TimelineBar): { fill: string; stroke: string } {
  const hue = tableHue(b.fullName);
  if (b.status === 'error') return { fill: `hsl(${hue} 55% 55% / 0.35)`, stroke: 'var(--danger)' };
  if (b.status === 'running') return { fill: `hsl(${hue} 60% 55% / 0.6)`, stroke: `hsl(${hue} 60% 40%)` };
  if (b.status === 'success') return { fill: `hsl(${hue} 60% 50%)`, stroke: 'none' };
  return { fill: 'var(--border-strong)', stroke: 'var(--text-faint)' }; // lost, cancelled, released
}

function fitSpan(needed: number): number {
  const i = SPANS.findIndex((s) => s >= needed * 1.1);
  return i === -1 ? SPANS.length - 1 : i;
}

/** Per worker, the attempts of the last hours as a Gantt chart, coloured by table, outlined by status; zoomable. */
export function Timeline({ connectionId, schemas }: { connectionId: string; schemas: readonly string[] }) {
  const [chosen, setSpanIndex] = useState<number | null>(null);
  const runs = useApiQueries(
    'jobs.runs',
    schemas.map((schema) => ({ connectionId, schema, limit: 5000 })),
  );
  const running = useApiQuery('jobs.list', { connectionId, statuses: ['running', 'cancel'], limit: 2000 });
  const to = Date.now();
  const allRuns = runs.flatMap((r, i) => (r.data?.runs ?? []).map((x) => ({ ...x, schema: schemas[i]! })));
  // until the user zooms, show the smallest span that holds the last day's attempts
  const earliest = Math.min(to, ...allRuns.map((r) => r.started).filter((t) => t > to - SPANS.at(-1)!));
  const spanIndex = chosen ?? fitSpan(to - earliest);
  const span = SPANS[spanIndex]!;
  const from = to - span;
  const rows = timelineRows(allRuns, running.data?.jobs ?? [], from, to, to);
  const tables = [...new Set(rows.flatMap((r) => r.bars.map((b) => b.fullName)))].sort();
  const x = (t: number) => ((Math.max(t, from) - from) / span) * W;
  const error = runs.find((r) => r.isError)?.error ?? running.error;

  return (
    <section className="timeline" aria-labelledby="timeline-title">
      <div className="section-head">
        <h2 id="timeline-title">Timeline</h2>
        <div className="zoom" role="group" aria-label="Zoom">
          <button
            type="button"
            className="btn btn-small"
            disabled={spanIndex === 0}
            onClick={() => setSpanIndex(spanIndex - 1)}
          >
            Zoom in
          </button>
          <span className="zoom-span">last {formatDuration(span)}</span>
          <button
            type="button"
            className="btn btn-small"
            disabled={spanIndex === SPANS.length - 1}
            onClick={() => setSpanIndex(spanIndex + 1)}
          >
            Zoom out
          </button>
        </div>
      </div>
      {error && <ErrorMessage error={error.data} />}
      {rows.length === 0 ? (
        <p className="jobs-none">
          No attempts in the last {formatDuration(span)}. Zoom out, or populate a table: each attempt shows up here as a
          bar on its worker's line.
        </p>
      ) : (
        <>
          <div className="gantt">
            <ul className="gantt-workers" aria-label="Workers">
              {rows.map((r) => (
                <li key={r.worker} style={{ height: ROW }} title={r.worker}>
                  {r.worker}
                </li>
              ))}
            </ul>
            <div className="gantt-chart">
              <svg
                viewBox={`0 0 ${W} ${rows.length * ROW}`}
                preserveAspectRatio="none"
                width="100%"
                height={rows.length * ROW}
                role="img"
                aria-label={`${rows.reduce((n, r) => n + r.bars.length, 0)} attempts on ${rows.length} workers in the last ${formatDuration(span)}`}
              >
                {rows.map((r, i) =>
                  r.bars.map((b) => {
                    const c = barColour(b);
                    return (
                      <rect
                        key={`${b.fullName}:${b.keyHash}:${b.start}`}
                        data-bar={`${b.fullName}:${b.keyHash}`}
                        data-status={b.status}
                        x={x(b.start)}
                        y={i * ROW + 4}
                        width={Math.max(2, x(b.end) - x(b.start))}
                        height={ROW - 8}
                        rx={2}
                        fill={c.fill}
                        stroke={c.stroke}
                        strokeWidth={b.status === 'success' ? 0 : 1.5}
                        vectorEffect="non-scaling-stroke"
                      >
                        <title>
                          {b.fullName} {b.keyHash.slice(0, 8)}: {b.status}, {formatDuration(b.end - b.start)}
                        </title>
                      </rect>
                    );
                  }),
                )}
              </svg>
              <div className="gantt-axis" aria-hidden="true">
                {timeTicks(from, to).map((t) => (
                  <span key={t} style={{ left: `${(100 * (t - from)) / span}%` }}>
                    {new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}
                  </span>
                ))}
              </div>
            </div>
          </div>
          <ul className="gantt-legend" aria-label="Tables">
            {tables.map((t) => (
              <li key={t}>
                <span className="swatch" style={{ background: `hsl(${tableHue(t)} 60% 50%)` }} /> {t}
              </li>
            ))}
            <li>
              <span className="swatch swatch-error" /> failed (red outline)
            </li>
            <li>
              <span className="swatch swatch-lost" /> lost, cancelled or released
            </li>
          </ul>
        </>
      )}
    </section>
  );
}
