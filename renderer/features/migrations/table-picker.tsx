import { useId, useState } from 'react';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';

/**
 * Picks a table of the pipeline to change: its declared definition (table.describe) becomes the
 * starting text of its editor. Tables already in the migration are not offered again.
 */
export function TablePicker({
  connectionId,
  tables,
  taken,
  onPicked,
}: {
  connectionId: string;
  tables: readonly TableInfo[];
  /** `<schema>.<table_name>` already in the migration. */
  taken: readonly string[];
  onPicked(table: string, definition: string): void;
}) {
  const id = useId();
  const offered = tables.filter((t) => !taken.includes(t.full_name));
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const chosen = offered.find((t) => t.full_name === choice) ?? offered[0];

  const add = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const out = await api.call('table.describe', { connectionId, schema: chosen.schema, table: chosen.table_name });
      onPicked(chosen.full_name, out.definition);
      setChoice('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (tables.length === 0)
    return (
      <p className="empty-note">
        This database has no tables yet: declare some on the Pipeline page first; migrations change tables that exist.
      </p>
    );
  return (
    <div className="mig-picker">
      <div className="field">
        <label htmlFor={id} className="field-label">
          Table to change
        </label>
        <select
          id={id}
          className="input"
          value={chosen?.full_name ?? ''}
          disabled={offered.length === 0}
          onChange={(e) => setChoice(e.target.value)}
        >
          {offered.length === 0 && <option value="">Every table is in the migration already</option>}
          {offered.map((t) => (
            <option key={t.full_name} value={t.full_name}>
              {t.class_name} · {t.schema} ({t.tier ?? 'no tier'}, {t.row_count.toLocaleString('en-US')} rows)
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        className="btn"
        disabled={!chosen || busy}
        aria-busy={busy || undefined}
        onClick={() => void add()}
      >
        {busy && <span className="spinner" aria-hidden="true" />}
        Add to the migration
      </button>
      {error !== null && <ErrorMessage error={toErrorData(error)} />}
    </div>
  );
}
