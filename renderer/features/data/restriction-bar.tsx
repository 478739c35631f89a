import { useEffect, useState } from 'react';
import type { LocatedError } from './query-error';

interface RestrictionBarProps {
  applied: string;
  onApply: (text: string) => void;
  error: LocatedError | null;
}

/**
 * DataJoint's `&` operand for the shown rows: a condition (`weight > 20`, quoted or bare), a dict
 * (`{'sex': 'F'}`), a list (OR), another table, `Not(...)`. Enter applies; errors show their line:col.
 */
export function RestrictionBar({ applied, onApply, error }: RestrictionBarProps) {
  const [draft, setDraft] = useState(applied);
  useEffect(() => setDraft(applied), [applied]);
  const errorId = 'restriction-error';
  return (
    <form
      className="restriction-bar"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <label htmlFor="restriction" className="restriction-label">
        &amp;
      </label>
      <input
        id="restriction"
        className="input mono"
        aria-label="Restriction"
        placeholder="weight > 20   ·   {'sex': 'F'}   ·   Not(Session)"
        value={draft}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(e) => setDraft(e.target.value)}
      />
      <button type="submit" className="btn btn-small">
        Apply
      </button>
      {applied && (
        <button
          type="button"
          className="btn btn-small btn-quiet"
          onClick={() => {
            setDraft('');
            onApply('');
          }}
        >
          Clear
        </button>
      )}
      {error && (
        <div id={errorId} className="field-error restriction-error" role="alert">
          <span className="message-title">
            {error.line !== null ? `Line ${error.line}, column ${error.column}: ` : ''}
            {error.message}
          </span>
          {error.hint && <span className="hint">{error.hint}</span>}
        </div>
      )}
    </form>
  );
}
