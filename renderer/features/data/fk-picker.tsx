import { useId, useState } from 'react';
import type { ForeignKeyInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { useApiQuery } from '../../api/hooks';
import { childValues, parentSearchQuery } from './fk-search';

interface FkPickerProps {
  connectionId: string;
  fk: ForeignKeyInfo;
  parent: TableInfo;
  onPick: (values: Record<string, string>) => void;
}

const SHOWN = 20;

/** Searches the parent's keys (query.fetch with a text restriction) and fills the child's FK attributes. */
export function FkPicker({ connectionId, fk, parent, onPick }: FkPickerProps) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const label = `Find ${parent.class_name}`;
  const found = useApiQuery(
    'query.fetch',
    { connectionId, query: parentSearchQuery(parent, text), limit: SHOWN, offset: 0 },
    { enabled: open, retry: false, placeholderData: (prev) => prev },
  );
  const rows = found.data?.rows ?? [];
  const describe = (r: Record<string, unknown>) => parent.primary_key.map((k) => `${k}=${String(r[k])}`).join(', ');
  const extra = (r: Record<string, unknown>) =>
    parent.secondary_attributes
      .slice(0, 2)
      .map((a) => r[a])
      .filter((v) => typeof v === 'string' || typeof v === 'number')
      .join(' · ');
  const choose = (r: Record<string, unknown>) => {
    onPick(childValues(fk, r));
    setText(describe(r));
    setOpen(false);
  };

  return (
    <div className="fk-picker">
      <input
        className="input"
        role="combobox"
        aria-label={label}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        placeholder={`${label}: type part of its key…`}
        value={text}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((i) => Math.min(rows.length - 1, i + 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
          else if (e.key === 'Enter' && open && rows[active]) {
            e.preventDefault();
            choose(rows[active]!);
          } else if (e.key === 'Escape') setOpen(false);
          else return;
          e.preventDefault();
        }}
      />
      {open && (
        <ul id={listId} role="listbox" aria-label={`${parent.class_name} rows`} className="fk-options">
          {found.isPending && <li className="muted small">Searching…</li>}
          {found.error && <li className="field-error">{found.error.message}</li>}
          {found.isSuccess && rows.length === 0 && (
            <li className="muted small">No {parent.class_name} row matches; insert it there first.</li>
          )}
          {rows.map((r, i) => (
            <li
              key={describe(r)}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'fk-option active' : 'fk-option'}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(r);
              }}
            >
              <span className="mono">{describe(r)}</span>
              <span className="muted small">{extra(r)}</span>
            </li>
          ))}
          {found.data?.has_more && <li className="muted small">More rows match: type more of the key.</li>}
        </ul>
      )}
    </div>
  );
}
