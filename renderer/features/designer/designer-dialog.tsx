import { useEffect, useRef, type ReactNode } from 'react';

/** The designer's modal frame: labelled, Escape closes, focus starts inside and returns on close. */
export function DesignerDialog({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>('input:not([disabled]), select, textarea')?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div className="designer-overlay">
      <div
        ref={ref}
        className="designer card"
        role="dialog"
        aria-modal="true"
        aria-labelledby="designer-title"
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
        }}
      >
        <div className="designer-head">
          <h2 id="designer-title">{title}</h2>
          <button type="button" className="btn btn-quiet btn-small" onClick={onClose} aria-label="Close the designer">
            ×
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
