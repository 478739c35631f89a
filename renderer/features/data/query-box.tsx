import { useState } from 'react';

interface QueryBoxProps {
  current: string | null;
  onRun: (text: string | null) => void;
}

/** A query expression in DataJoint's syntax (`Subject * Session & 'weight > 20'`), shown in the grid. */
export function QueryBox({ current, onRun }: QueryBoxProps) {
  const [text, setText] = useState(current ?? '');
  return (
    <form
      className="query-box"
      onSubmit={(e) => {
        e.preventDefault();
        onRun(text.trim() ? text.trim() : null);
      }}
    >
      <label htmlFor="query-expression" className="field-label">
        Query expression
      </label>
      <textarea
        id="query-expression"
        className="input mono"
        rows={2}
        spellCheck={false}
        placeholder="Subject * Session & 'weight > 20'"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            onRun(text.trim() ? text.trim() : null);
          }
        }}
      />
      <button type="submit" className="btn btn-small">
        Run query
      </button>
    </form>
  );
}
