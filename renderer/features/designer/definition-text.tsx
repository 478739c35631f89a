import { useId, useRef } from 'react';
import type { Problem } from './use-designer';

/** Offset of a 1-based line:column in `text`. */
function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let at = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) at += lines[i]!.length + 1;
  return at + Math.max(0, column - 1);
}

/**
 * The definition as text, edited freely; its problems are listed under it by line:column, each
 * with a button that puts the caret on the spot.
 */
export function DefinitionText({
  text,
  onChange,
  problems,
  readOnly,
}: {
  text: string;
  onChange(text: string): void;
  problems: Problem[];
  readOnly?: boolean;
}) {
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const defProblems = problems.filter((p) => p.field === 'definition');
  const goTo = (p: Problem) => {
    const el = ref.current;
    if (!el || p.line === undefined) return;
    const at = offsetOf(el.value, p.line, p.column ?? 1);
    el.focus();
    el.setSelectionRange(at, Math.min(at + 1, el.value.length));
  };
  const rows = Math.max(8, Math.min(24, text.split('\n').length + 1));
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        Definition
      </label>
      <div className="designer-text-wrap">
        <ol className="designer-gutter" aria-hidden="true">
          {text.split('\n').map((_, i) => (
            <li key={i} className={defProblems.some((p) => p.line === i + 1) ? 'designer-gutter-bad' : undefined}>
              {i + 1}
            </li>
          ))}
        </ol>
        <textarea
          ref={ref}
          id={id}
          className="input mono designer-text"
          value={text}
          rows={rows}
          spellCheck={false}
          readOnly={readOnly}
          aria-invalid={defProblems.length ? true : undefined}
          aria-describedby={defProblems.length ? `${id}-problems` : `${id}-help`}
          onChange={(e) => onChange(e.target.value)}
        />
      </div>
      {defProblems.length > 0 ? (
        <ul id={`${id}-problems`} className="designer-problems" role="alert" data-definition-errors="">
          {defProblems.map((p, i) => (
            <li key={i} data-line={p.line} data-column={p.column}>
              <span>
                {p.line !== undefined && (
                  <strong>
                    Line {p.line}, column {p.column}:{' '}
                  </strong>
                )}
                {p.message.replace(/^Definition error at [^:]*: /, '')}
                {p.hint && <span className="hint"> {p.hint}</span>}
              </span>
              {p.line !== undefined && !readOnly && (
                <button type="button" className="btn btn-quiet btn-small" onClick={() => goTo(p)}>
                  Show in text
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p id={`${id}-help`} className="field-help">
          DataJoint syntax: <code>name = default : type # comment</code>, <code>---</code> ends the primary key,{' '}
          <code>-&gt; Parent</code> adds a foreign key. The grid follows what you type.
        </p>
      )}
    </div>
  );
}
