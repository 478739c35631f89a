import { useState } from 'react';
import { formatCell, type CellView } from './cell-format';
import { saveBase64 } from './save-file';

function AttachmentCell({ view }: { view: Extract<CellView, { kind: 'attachment' }> }) {
  if (view.base64 === null)
    return (
      <span className="cell-attach" title={view.detail}>
        {view.text}
      </span>
    );
  const base64 = view.base64;
  return (
    <button
      type="button"
      className="cell-attach link-button"
      title={`Download ${view.filename}`}
      onClick={(e) => {
        e.stopPropagation();
        saveBase64(view.filename, base64);
      }}
    >
      ⤓ {view.text}
    </button>
  );
}

/** Fetches a stored attachment's contents (the grid's query only summarizes it) and returns it. */
export type AttachmentFetcher = () => Promise<{ filename: string; base64: string | null; note?: string }>;

function StoredAttachment({ text, fetchAttachment }: { text: string; fetchAttachment: AttachmentFetcher }) {
  const [state, setState] = useState<string | null>(null);
  return (
    <span className="cell-attach">
      <button
        type="button"
        className="link-button"
        title="Download the attachment"
        onClick={(e) => {
          e.stopPropagation();
          setState('Downloading…');
          fetchAttachment()
            .then((a) => {
              if (a.base64 === null) throw new Error(a.note ?? 'the file is too large to send');
              saveBase64(a.filename, a.base64);
              setState(null);
            })
            .catch((err: Error) => setState(`Cannot download: ${err.message}`));
        }}
      >
        ⤓ {text}
      </button>
      {state && (
        <span className="muted small" role="status">
          {' '}
          {state}
        </span>
      )}
    </span>
  );
}

interface GridCellProps {
  value: unknown;
  datajointType: string;
  /** Where the row's attachment can be fetched from (table mode), for a download button. */
  fetchAttachment?: AttachmentFetcher;
}

/** One value of the grid, drawn by its kind: NULL greyed, numbers right-aligned, blobs summarized. */
export function GridCell({ value, datajointType, fetchAttachment }: GridCellProps) {
  const view = formatCell(value, datajointType);
  if (view.kind === 'attachment') return <AttachmentCell view={view} />;
  if (view.kind === 'stored' && view.storedKind === 'attach' && fetchAttachment)
    return <StoredAttachment text={view.text} fetchAttachment={fetchAttachment} />;
  return (
    <span className={`cell-${view.kind}`} title={view.kind === 'null' ? 'NULL (no value)' : view.detail}>
      {view.text}
    </span>
  );
}
