import { useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * A button whose action runs only after a second, explicit confirmation placed right under it:
 * what will happen, Cancel (focused, so Enter by habit does nothing harmful) and the action.
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  busy,
  danger,
  onConfirm,
}: {
  /** The first button's text, also the confirmation group's accessible name. */
  label: string;
  question: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  danger?: boolean;
  onConfirm(): void;
}) {
  const [open, setOpen] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) cancel.current?.focus();
  }, [open]);
  if (!open)
    return (
      <button
        type="button"
        className={`btn btn-small${danger ? ' btn-danger-quiet' : ''}`}
        onClick={() => setOpen(true)}
      >
        {label}
      </button>
    );
  return (
    <div
      className="mig-confirm"
      role="group"
      aria-label={label}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <p>{question}</p>
      <div className="mig-confirm-buttons">
        <button ref={cancel} type="button" className="btn btn-small" onClick={() => setOpen(false)}>
          Cancel
        </button>
        <button
          type="button"
          className={`btn btn-small ${danger ? 'btn-danger' : 'btn-primary'}`}
          aria-busy={busy || undefined}
          disabled={busy}
          onClick={() => {
            onConfirm();
            setOpen(false);
          }}
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          {confirmLabel}
        </button>
      </div>
    </div>
  );
}
