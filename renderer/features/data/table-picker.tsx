import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { PipelineInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { TierBadge } from '../../components/tier-badge';

interface TablePickerProps {
  info: PipelineInfo;
  /** `<schema>.<table_name>` of the shown table. */
  current: string | null;
  onPick: (key: string) => void;
}

type Item = { kind: 'schema'; name: string } | { kind: 'table'; table: TableInfo };

const ITEM_HEIGHT = 30;

/** `<schema>.<table_name>`: the key the workbench slice and the diagram use for a table. */
export function tableKey(t: Pick<TableInfo, 'schema' | 'table_name'>): string {
  return `${t.schema}.${t.table_name}`;
}

function matches(t: TableInfo, needle: string): boolean {
  return !needle || t.class_name.toLowerCase().includes(needle) || t.table_name.toLowerCase().includes(needle);
}

function itemsOf(info: PipelineInfo, needle: string): Item[] {
  const out: Item[] = [];
  for (const s of Object.values(info.schemas)) {
    const tables = s.tables.filter((t) => matches(t, needle));
    if (tables.length === 0) continue;
    out.push({ kind: 'schema', name: s.database });
    for (const table of tables) out.push({ kind: 'table', table });
  }
  return out;
}

function TableItem({ table, current, onPick }: { table: TableInfo; current: boolean; onPick: () => void }) {
  return (
    <button
      type="button"
      className={current ? 'picker-item current' : 'picker-item'}
      aria-current={current ? 'true' : undefined}
      data-browse-table={tableKey(table)}
      title={tableKey(table)}
      onClick={onPick}
    >
      <span className={table.tier === 'Part' ? 'picker-name part' : 'picker-name'}>{table.class_name}</span>
      <TierBadge tier={table.tier} />
    </button>
  );
}

/**
 * The pipeline's tables grouped by schema, searchable by class or table name, with their tiers;
 * virtualized, so a pipeline of 500 tables draws only the few on screen.
 */
export function TablePicker({ info, current, onPick }: TablePickerProps) {
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const items = useMemo(() => itemsOf(info, needle), [info, needle]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ITEM_HEIGHT,
    overscan: 8,
  });
  return (
    <nav className="table-picker" aria-label="Tables">
      <input
        type="search"
        className="input"
        placeholder="Find a table…"
        aria-label="Find a table"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {items.length === 0 && <p className="muted small">No table matches “{search}”.</p>}
      <div className="picker-groups" ref={scrollRef}>
        <ul style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((v) => {
            const item = items[v.index]!;
            return (
              <li key={v.key} className="picker-slot" style={{ transform: `translateY(${v.start}px)` }}>
                {item.kind === 'schema' ? (
                  <h2 className="picker-schema">{item.name}</h2>
                ) : (
                  <TableItem
                    table={item.table}
                    current={tableKey(item.table) === current}
                    onPick={() => onPick(tableKey(item.table))}
                  />
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </nav>
  );
}
