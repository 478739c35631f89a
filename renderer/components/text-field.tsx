import { useEffect, useId, useRef, type InputHTMLAttributes, type ReactNode } from 'react';
import type { AppErrorData } from '../../shared/errors';
import { FieldError } from './error-message';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className'> {
  label: string;
  help?: ReactNode;
  /** An error about this field: shown under it, announced, and the field gets the focus. */
  error?: AppErrorData | null;
  mono?: boolean;
  /** Changing this number moves the focus into the field (e.g. after filling the form). */
  focusKey?: number;
}

/** A labelled input with its help text and error linked through aria-describedby. */
export function TextField({ label, help, error, mono, focusKey, ...input }: TextFieldProps) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  const describedBy = [error ? errorId : null, help ? helpId : null].filter(Boolean).join(' ');

  useEffect(() => {
    if (error) ref.current?.focus();
  }, [error]);
  useEffect(() => {
    if (focusKey) ref.current?.focus();
  }, [focusKey]);

  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        {...input}
        ref={ref}
        id={id}
        className={mono ? 'input mono' : 'input'}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      {error && <FieldError id={errorId} error={error} />}
      {help && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
    </div>
  );
}
