import type { LayoutStatus } from './use-layout';

/** Says while ELK arranges the tables (they are drawn already, in rows), or why it could not. */
export function LayoutStatusLine(props: { status: LayoutStatus; error: string | null; tables: number }) {
  if (props.status === 'done') return null;
  if (props.status === 'failed')
    return (
      <p className="diagram-status diagram-status-error" role="status">
        The automatic layout failed ({props.error}). The tables are shown in simple rows; drag them to arrange, or
        reload the page to try again.
      </p>
    );
  return (
    <p className="diagram-status" role="status">
      <span className="spinner" aria-hidden="true" /> Arranging {props.tables} {props.tables === 1 ? 'table' : 'tables'}
      …
      <progress aria-label="Layout in progress" />
    </p>
  );
}
