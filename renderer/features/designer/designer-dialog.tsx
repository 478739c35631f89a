import { useEffect, useRef, type ReactNode } from 'react';

/**
 * The designer's modal frame: a native modal <dialog>, so the page behind is inert and Tab stays
 * inside; Escape closes, focus starts at the first field and returns where it was on close.
 */
export function DesignerDialog({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement as HTMLElement | null;
    if (dialog && !dialog.open) dialog.showModal();
    dialog?.querySelector<HTMLElement>('input:not([disabled]):not([readonly]), select, textarea')?.focus();
    return () => {
      dialog?.close();
      before?.focus?.();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="designer card"
      aria-labelledby="designer-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="designer-head">
        <h2 id="designer-title">{title}</h2>
        <button type="button" className="btn btn-quiet btn-small" onClick={onClose} aria-label="Close the designer">
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}
