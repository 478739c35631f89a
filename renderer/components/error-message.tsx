import type { ReactNode } from 'react';
import type { AppErrorData } from '../../shared/errors';

interface ErrorMessageProps {
  error: AppErrorData;
  id?: string;
  /** A button or link that does the next step (Retry, Reload...). */
  action?: ReactNode;
}

/** An error for a whole form or screen: what went wrong, then what to do next. */
export function ErrorMessage({ error, id, action }: ErrorMessageProps) {
  return (
    <div id={id} className="message message-error" role="alert">
      <span className="message-title">{error.message}</span>
      {error.hint && <span>{error.hint}</span>}
      {action && <div className="message-action">{action}</div>}
    </div>
  );
}

/** An error about one input, placed right under it and linked by aria-describedby. */
export function FieldError({ error, id }: { error: AppErrorData; id: string }) {
  return (
    <div id={id} className="field-error" role="alert">
      <span className="message-title">{error.message}</span>
      {error.hint && <span className="hint">{error.hint}</span>}
    </div>
  );
}
