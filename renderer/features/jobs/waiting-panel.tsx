import { useState } from 'react';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { useApiQueries, useApiQuery } from '../../api/hooks';
import { ErrorMessage } from '../../components/error-message';
import { parseRestriction } from './restriction';
import { planHighlight, waitingEdges } from './waiting-model';
import { useAppStore } from '../../stores/use-app-store';

/** "Waiting for you": Manual tables whose missing rows hold jobs back, with how many jobs each would unlock. */
export function WaitingPanel({ connectionId, tables }: { connectionId: string; tables: readonly TableInfo[] }) {
  const edges = waitingEdges(tables);
  const counts = useApiQueries(
    'query.count',
    edges.map((e) => ({ connectionId, query: e.query })),
  );
  const byManual = new Map<string, { cls: string; children: { cls: string; n: number }[]; total: number }>();
  edges.forEach((e, i) => {
    const n = counts[i]?.data?.count ?? 0;
    if (n === 0) return;
    const m = byManual.get(e.manual) ?? { cls: e.manualClass, children: [], total: 0 };
    m.children.push({ cls: e.childClass, n });
    m.total += n;
    byManual.set(e.manual, m);
  });
  const waiting = [...byManual.entries()].sort((a, b) => b[1].total - a[1].total);
  const loading = counts.some((c) => c.isPending);
  const error = counts.find((c) => c.isError)?.error;
  return (
    <section className="jobs-section" aria-labelledby="waiting-title">
      <h2 id="waiting-title">Waiting for you</h2>
      {error && <ErrorMessage error={error.data} />}
      {loading && (
        <p className="loading-line" role="status">
          <span className="spinner" aria-hidden="true" /> Looking for work that needs your input…
        </p>
      )}
      {!loading && waiting.length === 0 && (
        <p className="faint">Nothing: no job is held back by a missing row of a Manual table.</p>
      )}
      {waiting.length > 0 && (
        <ul className="waiting-list">
          {waiting.map(([full, m]) => (
            <li key={full} data-waiting={full} data-unlocks={m.total}>
              <strong>{m.cls}</strong> <span className="table-name">{full}</span>: entering its missing rows would
              unlock <strong>{m.total}</strong> {m.total === 1 ? 'job' : 'jobs'} (
              {m.children.map((c) => `${c.n} of ${c.cls}`).join(', ')}).
            </li>
          ))}
        </ul>
      )}
      <PlanView connectionId={connectionId} tables={tables} />
    </section>
  );
}

/** The jobs that would follow from staged rows of an upstream table (jobs.plan), table by table. */
function PlanView({ connectionId, tables }: { connectionId: string; tables: readonly TableInfo[] }) {
  const upstream = tables.filter((t) => t.tier === 'Manual' || t.tier === 'Lookup');
  const [table, setTable] = useState('');
  const [restriction, setRestriction] = useState('');
  const [asked, setAsked] = useState<{ table: string; restriction: string } | null>(null);
  const staged = tables.find((t) => t.full_name === asked?.table);
  const parsed = parseRestriction(asked?.restriction ?? '');
  const plan = useApiQuery(
    'jobs.plan',
    { connectionId, schema: staged?.schema ?? '', table: staged?.table_name ?? '', restriction: parsed.value },
    { enabled: staged !== undefined && !parsed.error },
  );
  const typed = parseRestriction(restriction);
  const highlightTables = useAppStore((s) => s.highlightTables);
  const navigate = useAppStore((s) => s.navigate);
  const showOnDiagram = () => {
    if (!plan.data) return;
    const h = planHighlight(plan.data);
    highlightTables(h.keys, { note: h.note, badges: h.badges });
    navigate('pipeline');
  };
  if (upstream.length === 0) return null;
  return (
    <div className="plan">
      <h3>What would run after staged data</h3>
      <form
        className="plan-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (table && !typed.error) setAsked({ table, restriction });
        }}
      >
        <label className="filter">
          <span className="filter-label">Staged rows of</span>
          <select className="input" value={table} onChange={(e) => setTable(e.target.value)}>
            <option value="">Choose a table</option>
            {upstream.map((t) => (
              <option key={t.full_name} value={t.full_name}>
                {t.class_name} ({t.full_name})
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span className="filter-label">Rows matching (optional JSON)</span>
          <input
            className="input mono"
            value={restriction}
            placeholder='{"subject_id": 1}'
            onChange={(e) => setRestriction(e.target.value)}
          />
        </label>
        <button type="submit" className="btn btn-small" disabled={!table || Boolean(typed.error)}>
          Show plan
        </button>
        {typed.error && <span className="field-error">{typed.error}</span>}
      </form>
      {plan.isError && <ErrorMessage error={plan.error.data} />}
      {plan.isFetching && <p className="loading-line">Planning…</p>}
      {plan.data && (
        <ol className="plan-list" aria-label="Planned jobs by table">
          <li>
            {plan.data.staged.keys} staged {plan.data.staged.keys === 1 ? 'row' : 'rows'} of{' '}
            {plan.data.staged.full_name}
          </li>
          {plan.data.tables.map((t) => (
            <li key={t.full_name} data-plan={t.full_name} data-jobs={t.jobs}>
              → <strong>{t.jobs}</strong> {t.jobs === 1 ? 'job' : 'jobs'} of {t.full_name}
              {t.note && <span className="faint"> ({t.note})</span>}
            </li>
          ))}
        </ol>
      )}
      {plan.data && plan.data.tables.some((t) => t.jobs > 0) && (
        <button type="button" className="btn btn-small" onClick={showOnDiagram}>
          Show on the diagram
        </button>
      )}
    </div>
  );
}
