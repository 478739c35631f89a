import type { DryRunResult } from '../../../shared/api/schemas/migration';

/** What the dry run on copies found: rows each copy got and the checks it passed; nothing was changed. */
export function DryRunView({ result }: { result: DryRunResult }) {
  const ok = result.checks.every((c) => c.ok);
  return (
    <section className="mig-dry" aria-label="Dry run result" data-dry-run={ok ? 'ok' : 'failed'}>
      <p className={`message ${ok ? 'message-success' : 'message-error'}`} role="status">
        <span className="message-title">
          {ok
            ? `Dry run passed: ${result.checks.length} ${result.checks.length === 1 ? 'table' : 'tables'} copied and checked.`
            : 'The dry run found a problem: see the failed check below.'}
        </span>
        <span>Nothing was changed: the copies were dropped again, and the tables in use were not touched.</span>
      </p>
      <table className="mig-table-list">
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col">Rows copied</th>
            <th scope="col">Checks</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {result.checks.map((c) => (
            <tr key={c.table} data-dry-table={c.table}>
              <td className="mono">{c.table}</td>
              <td className="num">{(result.counts[c.table] ?? 0).toLocaleString('en-US')}</td>
              <td>{c.check.replaceAll('+', ', ')}</td>
              <td className={c.ok ? 'mig-ok' : 'mig-bad'} title={c.detail}>
                {c.ok ? '✓ passed' : `✗ failed: ${c.detail}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
