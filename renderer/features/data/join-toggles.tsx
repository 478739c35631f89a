import type { TableInfo } from '../../../shared/api/schemas/pipeline';

interface JoinTogglesProps {
  table: TableInfo;
  tables: readonly TableInfo[];
  joined: readonly string[];
  onChange: (joined: string[]) => void;
}

/** One toggle per parent table: ticked parents are joined (`Table * Parent`) to show their attributes. */
export function JoinToggles({ table, tables, joined, onChange }: JoinTogglesProps) {
  const parents = [...new Set(table.foreign_keys.map((f) => f.parent))];
  if (parents.length === 0) return null;
  const nameOf = (full: string) => tables.find((t) => t.full_name === full)?.class_name ?? full;
  return (
    <fieldset className="join-toggles">
      <legend>Show parents’ attributes</legend>
      {parents.map((parent) => (
        <label key={parent} className="check">
          <input
            type="checkbox"
            checked={joined.includes(parent)}
            onChange={(e) => onChange(e.target.checked ? [...joined, parent] : joined.filter((j) => j !== parent))}
          />
          {nameOf(parent)}
        </label>
      ))}
    </fieldset>
  );
}
