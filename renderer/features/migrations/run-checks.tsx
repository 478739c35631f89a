import type { RunProgress } from './use-migration-progress';

/** What the executor recorded: verification of the copies, foreign-key proofs, job records moved. */
export interface VerifyChecks {
  verify?: { tables?: Record<string, { source: number; copied: number; checksum: string }>; orphans?: number };
  foreignKeys?: Record<string, string>;
  jobs?: { rewritten: number; dropped: number };
}

const n = (x: number) => x.toLocaleString('en-US');

/** The executor's proof of one table's foreign key, in words. */
function foreignKeyText(proof: string | undefined): string {
  if (proof === undefined) return 'no parent table';
  return proof === 'rejected orphan' ? 'enforced: an orphan insert was rejected' : proof;
}

/** Rows copied per table, from progress events while running, from the verification once done. */
export function TableProgress({
  tables,
  progress,
  checks,
}: {
  tables: string[];
  progress?: RunProgress;
  checks: VerifyChecks;
}) {
  return (
    <ul className="mig-progress" aria-label="Progress per table">
      {tables.map((t) => {
        const verified = checks.verify?.tables?.[t];
        const p = verified ? { rows: verified.copied, total: verified.source } : progress?.tables[t];
        const pct = p ? (p.total > 0 ? Math.min(100, Math.round((100 * p.rows) / p.total)) : 100) : 0;
        return (
          <li key={t} data-migration-progress={t} data-rows={p?.rows ?? 0}>
            <span className="mono">{t}</span>
            <progress max={100} value={pct} aria-label={`${t} copied`} />
            <span className="faint">{p ? `${n(p.rows)} of ${n(p.total)} rows` : 'waiting'}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** What the executor proved: counts and checksums equal, no orphans, foreign keys enforcing. */
export function Verification({ checks }: { checks: VerifyChecks }) {
  const tables = Object.entries(checks.verify?.tables ?? {});
  if (tables.length === 0) return null;
  return (
    <section className="mig-verify" aria-label="Verification" data-verified="">
      <h3>Verification</h3>
      <table className="mig-table-list">
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col">Rows before</th>
            <th scope="col">Rows after</th>
            <th scope="col">Checksum of carried columns</th>
            <th scope="col">Foreign key</th>
          </tr>
        </thead>
        <tbody>
          {tables.map(([t, v]) => (
            <tr key={t} data-verify-table={t}>
              <td className="mono">{t}</td>
              <td className="num">{n(v.source)}</td>
              <td className="num">{n(v.copied)}</td>
              <td className="mono" title={`checksum ${v.checksum}`}>
                {v.source === v.copied ? 'equal' : 'differs'}
              </td>
              <td>{foreignKeyText(checks.foreignKeys?.[t])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        {checks.verify?.orphans === 0 ? 'No row lost its parent. ' : ''}
        {checks.jobs?.rewritten ? `${n(checks.jobs.rewritten)} job records moved to the new keys.` : ''}
      </p>
    </section>
  );
}
