import type { ReactNode } from 'react';
import type { MigrationPlanView, MigrationRisk, PlanStep } from '../../../shared/api/schemas/migration';

const RISK_LABEL: Record<MigrationRisk['kind'], string> = {
  data_loss: 'Data loss',
  needs_value: 'Needs a value',
  long_copy: 'Long copy',
};

const STEP_LABEL: Record<PlanStep['kind'], string> = {
  preflight: 'Check',
  create_shadows: 'Create copies',
  copy: 'Copy rows',
  verify: 'Verify',
  swap: 'Swap',
  post_check: 'Prove',
};

const ROLE_LABEL = { changed: 'changed', dependent: 'follows the new key', split: 'split off' } as const;

const n = (x: number) => x.toLocaleString('en-US');
const count = (k: number) => `${k} ${k === 1 ? 'statement' : 'statements'}`;
const ENGINE_LABEL = { mysql: 'MySQL / MariaDB', sqlite: 'SQLite' } as const;

/** One risk as a labelled chip; the message says what exactly. */
export function RiskChip({ risk }: { risk: MigrationRisk }) {
  return (
    <span className={`mig-risk mig-risk-${risk.kind}`} data-risk={risk.kind}>
      <strong>{RISK_LABEL[risk.kind]}:</strong> {risk.message}
    </span>
  );
}

/**
 * The plan as the planner made it: the affected tables (and, beside them, the diagram with those
 * tables highlighted), what changes in each table with its risks, then the ordered steps with the
 * rows each touches and its SQL for this connection's engine, folded away until asked for.
 */
export function PlanView({
  plan,
  engine,
  diagram,
}: {
  plan: MigrationPlanView;
  engine: 'mysql' | 'sqlite';
  diagram?: ReactNode;
}) {
  const rows = plan.tables.reduce((s, t) => s + t.rows, 0);
  const changed = plan.tables.filter((t) => t.role !== 'dependent').length;
  return (
    <section className="mig-plan" aria-label="Migration plan">
      <p className="mig-summary" data-plan-summary="">
        {plan.tables.length} {plan.tables.length === 1 ? 'table' : 'tables'} rebuilt ({changed} changed,{' '}
        {plan.tables.length - changed} following the new keys), {n(rows)} rows copied.{' '}
        {plan.lossy ? <strong className="mig-lossy">This plan loses data.</strong> : 'No values are lost.'}
      </p>
      <div className="mig-plan-top">
        <div className="mig-affected">
          <h3 id="mig-affected-title">Affected tables</h3>
          <ul aria-labelledby="mig-affected-title" className="mig-affected-list">
            {plan.tables.map((t) => (
              <li key={t.target} data-affected-table={t.target}>
                <span className="mono">{t.target}</span>
                {t.source && t.source !== t.target && <span className="faint mono"> (was {t.source})</span>}
                <span className="faint">
                  {' '}
                  · {ROLE_LABEL[t.role]}
                  {t.key_changed ? ', new primary key' : ''} · {n(t.rows)} rows
                </span>
              </li>
            ))}
          </ul>
        </div>
        {diagram && (
          <div className="mig-diagram" aria-label="Affected tables on the diagram" role="group">
            {diagram}
          </div>
        )}
      </div>
      {plan.risks.length > 0 && (
        <div className="mig-risks" role="note" aria-label="Risks">
          {plan.risks.map((r, i) => (
            <RiskChip key={i} risk={r} />
          ))}
        </div>
      )}
      <h3>What changes</h3>
      <ul className="mig-changes">
        {plan.changes.map((c, i) => (
          <li key={i} data-change={c.kind}>
            <span className="mono">{c.table}</span>: {c.detail}
            {c.risks.map((r, j) => (
              <RiskChip key={j} risk={r} />
            ))}
          </li>
        ))}
      </ul>
      <h3>Steps</h3>
      <ol className="mig-steps">
        {plan.steps.map((s, i) => (
          <li key={i} data-step={s.kind}>
            <div className="mig-step-head">
              <span className="mig-step-kind">{STEP_LABEL[s.kind]}</span>
              <span>{s.description}</span>
              {s.rows > 0 && <span className="faint mig-step-rows">{n(s.rows)} rows</span>}
            </div>
            {s.risks.map((r, j) => (
              <RiskChip key={j} risk={r} />
            ))}
            {s.sql[engine].length > 0 && (
              <details className="mig-sql">
                <summary>
                  SQL of step {i + 1} for {ENGINE_LABEL[engine]} ({count(s.sql[engine].length)})
                </summary>
                <pre className="code-block">{s.sql[engine].join(';\n\n')};</pre>
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
