import { useMemo, useState } from 'react';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { useApiMutation } from '../../api/hooks';
import { GridCell } from './grid-cell';
import { checkImport, guessFormat, MAX_LISTED_ERRORS } from './import-check';

interface ImportDialogProps {
  connectionId: string;
  table: TableInfo;
  allowDirectInsert: boolean;
  onClose: () => void;
}

const PREVIEW_ROWS = 8;

/**
 * Bulk import of a CSV or JSON file: parsed and checked here with the core's rules, the first rows
 * and every bad line shown, then committed in one transaction (data.import): all rows or none.
 */
export function ImportDialog({ connectionId, table, allowDirectInsert, onClose }: ImportDialogProps) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const format = guessFormat(fileName, text);
  const check = useMemo(() => (text.trim() ? checkImport(table, format, text) : null), [table, format, text]);
  const imp = useApiMutation('data.import');
  const attrs = table.attributes.filter((a) => !a.hidden);
  const canCommit = check !== null && check.errors.length === 0 && check.rows.length > 0;

  return (
    <aside className="row-panel import-panel" aria-label={`Import rows into ${table.class_name}`}>
      <div className="panel-head">
        <h3>Import rows into {table.class_name}</h3>
        <button type="button" className="btn btn-small btn-quiet" onClick={onClose} aria-label="Close the import">
          ✕
        </button>
      </div>
      <p className="muted small">
        CSV with a header row of attribute names ({attrs.map((a) => a.name).join(', ')}), or JSON (an array of objects,
        or one object per line). All rows go in one transaction.
      </p>
      <input
        type="file"
        className="input"
        aria-label="File to import"
        accept=".csv,.json,.jsonl,.ndjson,text/csv,application/json"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (!f) return;
          setFileName(f.name);
          void f.text().then(setText);
          setDone(null);
          imp.reset();
        }}
      />
      <label className="field-label" htmlFor="import-text">
        …or paste the rows ({format.toUpperCase()})
      </label>
      <textarea
        id="import-text"
        className="input mono"
        rows={6}
        value={text}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          setDone(null);
          imp.reset();
        }}
      />
      {check && (
        <div className="import-preview">
          <p role="status">
            {check.rows.length.toLocaleString()} {check.rows.length === 1 ? 'row' : 'rows'} read
            {check.errors.length > 0
              ? `, ${check.errors.length} ${check.errors.length === 1 ? 'problem' : 'problems'}: fix the file, nothing is written until every line is right.`
              : ', all valid.'}
          </p>
          {check.errors.length > 0 && (
            <ul className="line-errors" aria-label="Problems by line">
              {check.errors.slice(0, MAX_LISTED_ERRORS).map((e, i) => (
                <li key={i} className="field-error">
                  Line {e.line}: {e.message}
                </li>
              ))}
              {check.errors.length > MAX_LISTED_ERRORS && <li>…and {check.errors.length - MAX_LISTED_ERRORS} more.</li>}
            </ul>
          )}
          {check.rows.length > 0 && (
            <div className="preview-scroll">
              <table className="preview-table" aria-label="First rows of the file">
                <thead>
                  <tr>
                    <th scope="col">line</th>
                    {attrs.map((a) => (
                      <th key={a.name} scope="col">
                        {a.name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {check.rows.slice(0, PREVIEW_ROWS).map((r, i) => (
                    <tr key={i}>
                      <td className="muted">{check.lines[i]}</td>
                      {attrs.map((a) => (
                        <td key={a.name}>
                          <GridCell value={r[a.name]} datajointType={a.datajoint_type} />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      {imp.error && <ErrorMessage error={imp.error.data} />}
      {done && (
        <p className="message message-success" role="status">
          {done}
        </p>
      )}
      <div className="panel-actions">
        <BusyButton
          variant="primary"
          busy={imp.isPending}
          busyText="Importing…"
          disabled={!canCommit}
          onClick={() =>
            imp.mutate(
              { connectionId, schema: table.schema, table: table.table_name, format, text, allowDirectInsert },
              { onSuccess: (r) => setDone(`Imported ${r.inserted.toLocaleString()} rows.`) },
            )
          }
        >
          Import {check?.rows.length ? check.rows.length.toLocaleString() : ''} rows
        </BusyButton>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </aside>
  );
}
