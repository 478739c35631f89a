import { useMemo, useState } from 'react';
import type { PipelineInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { TierBadge } from '../../components/tier-badge';

interface TablePickerProps {
  info: PipelineInfo;
  /** `<schema>.<table_name>` of the shown table. */
  current: string | null;
  onPick: (key: string) => void;
}

/** `<schema>.<table_name>`: the key the workbench slice and the diagram use for a table. */
export function tableKey(t: Pick<TableInfo, 'schema' | 'table_name'>): string {
  return `${t.schema}.${t.table_name}`;
}

function matches(t: TableInfo, needle: string): boolean {
  return !needle || t.class_name.toLowerCase().includes(needle) || t.table_name.toLowerCase().includes(needle);
}

/** The pipeline's tables grouped by schema, searchable by class or table name, with their tiers. */
export function TablePicker({ info, current, onPick }: TablePickerProps) {
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const groups = useMemo(
    () =>
      Object.values(info.schemas)
        .map((s) => ({ schema: s.database, tables: s.tables.filter((t) => matches(t, needle)) }))
        .filter((g) => g.tables.length > 0),
    [info, needle],
  );
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
      {groups.length === 0 && <p className="muted small">No table matches “{search}”.</p>}
      <div className="picker-groups">
        {groups.map((g) => (
          <section key={g.schema} aria-label={`Schema ${g.schema}`}>
            <h2 className="picker-schema">{g.schema}</h2>
            <ul>
              {g.tables.map((t) => {
                const key = tableKey(t);
                return (
                  <li key={key}>
                    <button
                      type="button"
                      className={key === current ? 'picker-item current' : 'picker-item'}
                      aria-current={key === current ? 'true' : undefined}
                      data-browse-table={key}
                      onClick={() => onPick(key)}
                    >
                      <span className={t.tier === 'Part' ? 'picker-name part' : 'picker-name'}>{t.class_name}</span>
                      <TierBadge tier={t.tier} />
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
    </nav>
  );
}
