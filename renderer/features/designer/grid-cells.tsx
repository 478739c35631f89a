import type { ReactNode } from 'react';
import type { Problem } from './use-designer';

/** Cells and frames shared by the designer's grids (attributes, foreign keys, indexes). */

/** The problem of the definition line a row was written on, shown right under the row. */
export function RowProblem({ problems, line, span }: { problems: Problem[]; line?: number; span: number }) {
  const p = problems.find((x) => x.field === 'definition' && line !== undefined && x.line === line);
  if (!p) return null;
  return (
    <tr className="designer-row-problem">
      <td colSpan={span} role="alert">
        Line {p.line}, column {p.column}: {p.message.replace(/^Definition error at [^:]*: /, '')}
      </td>
    </tr>
  );
}

export function Section({ title, add, children }: { title: string; add?: ReactNode; children: ReactNode }) {
  return (
    <section className="designer-section" aria-label={title}>
      <div className="designer-section-head">
        <h3>{title}</h3>
        {add}
      </div>
      {children}
    </section>
  );
}

export function AddButton({
  label,
  onClick,
  hidden,
  disabledWhy,
}: {
  label: string;
  onClick(): void;
  hidden?: boolean;
  disabledWhy?: string;
}) {
  if (hidden) return null;
  return (
    <button type="button" className="btn btn-small" disabled={!!disabledWhy} title={disabledWhy} onClick={onClick}>
      {label}
    </button>
  );
}

export function Check({
  label,
  checked,
  readOnly,
  onChange,
}: {
  label: string;
  checked: boolean;
  readOnly?: boolean;
  onChange(v: boolean): void;
}) {
  return (
    <td>
      <input
        type="checkbox"
        aria-label={label}
        checked={checked}
        disabled={readOnly}
        onChange={(e) => onChange(e.target.checked)}
      />
    </td>
  );
}

export function Text({
  label,
  value,
  onChange,
  mono = true,
  ...rest
}: {
  label: string;
  value: string;
  onChange(v: string): void;
  mono?: boolean;
  placeholder?: string;
  list?: string;
  disabled?: boolean;
  readOnly?: boolean;
}) {
  return (
    <td>
      <input
        {...rest}
        className={mono ? 'input mono' : 'input'}
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </td>
  );
}

export function Remove({ label, readOnly, onClick }: { label: string; readOnly?: boolean; onClick(): void }) {
  return (
    <td>
      {!readOnly && (
        <button type="button" className="btn btn-quiet btn-small" aria-label={label} onClick={onClick}>
          ×
        </button>
      )}
    </td>
  );
}
