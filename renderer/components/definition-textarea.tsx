import { useRef, type ReactNode } from 'react';

/** A problem of the text, at a 1-based line:column when it has one. */
export interface TextProblem {
  line?: number;
  column?: number;
  message: string;
  hint?: string;
}

/** Offset of a 1-based line:column in `text`. */
function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let at = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) at += lines[i]!.length + 1;
  return at + Math.max(0, column - 1);
}

/**
 * A DataJoint definition edited as text: line numbers (lines with a problem marked), then either
 * its problems by line:column, each with a button that puts the caret on the spot, or `help`.
 * The list carries `data-definition-errors` and each item `data-line`/`data-column`.
 */
export function DefinitionTextarea({
  id,
  label,
  text,
  onChange,
  problems,
  help,
  readOnly,
  minRows,
  maxRows,
}: {
  /** Base of the element ids (useId of the caller). */
  id: string;
  label: ReactNode;
  text: string;
  onChange(text: string): void;
  problems: readonly TextProblem[];
  help: ReactNode;
  readOnly?: boolean;
  minRows: number;
  maxRows: number;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const lines = text.split('\n');
  const goTo = (p: TextProblem) => {
    const el = ref.current;
    if (!el || p.line === undefined) return;
    const at = offsetOf(el.value, p.line, p.column ?? 1);
    el.focus();
    el.setSelectionRange(at, Math.min(at + 1, el.value.length));
  };
  return (
    <>
      <label htmlFor={`${id}-text`} className="field-label">
        {label}
      </label>
      <div className="designer-text-wrap">
        <ol className="designer-gutter" aria-hidden="true">
          {lines.map((_, i) => (
            <li key={i} className={problems.some((p) => p.line === i + 1) ? 'designer-gutter-bad' : undefined}>
              {i + 1}
            </li>
          ))}
        </ol>
        <textarea
          ref={ref}
          id={`${id}-text`}
          className="input mono designer-text"
          value={text}
          rows={Math.max(minRows, Math.min(maxRows, lines.length + 1))}
          spellCheck={false}
          readOnly={readOnly}
          aria-invalid={problems.some((p) => p.line !== undefined) || undefined}
          aria-describedby={problems.length ? `${id}-problems` : `${id}-help`}
          onChange={(e) => onChange(e.target.value)}
        />
      </div>
      {problems.length > 0 ? (
        <ul id={`${id}-problems`} className="designer-problems" role="alert" data-definition-errors="">
          {problems.map((p, i) => (
            <li key={i} data-line={p.line} data-column={p.column}>
              <span>
                {p.line !== undefined && (
                  <strong>
                    Line {p.line}, column {p.column}:{' '}
                  </strong>
                )}
                {p.message}
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
          {help}
        </p>
      )}
    </>
  );
}
