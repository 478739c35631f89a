import { useId, useMemo } from 'react';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { DefinitionTextarea } from '../../components/definition-textarea';
import type { MigrationDraftTable } from '../../stores/workbench-slice';
import { goneAttributes, newAttributes, parseDraftDefinition, type DraftProblem } from './change-model';

interface Props {
  entry: MigrationDraftTable;
  info: TableInfo;
  /** Problems of this table: the parser's, the draft's and the planner's. */
  problems: DraftProblem[];
  onChange(next: MigrationDraftTable): void;
  onRemove(): void;
}

/**
 * One table of the migration: its whole new definition as text (line numbers, problems at
 * line:column with a button to the spot), then the values new attributes get in the existing
 * rows and the renames of attributes that are gone — the `values` and `renames` of change.json.
 */
export function DefinitionEditor({ entry, info, problems, onChange, onRemove }: Props) {
  const id = useId();
  const parsed = useMemo(() => parseDraftDefinition(entry.definition), [entry.definition]);
  const added = parsed.definition ? newAttributes(parsed.definition, info, entry.renames) : [];
  const gone = parsed.definition ? goneAttributes(parsed.definition, info) : [];
  const renameTargets = parsed.definition ? newAttributes(parsed.definition, info, {}).map((a) => a.name) : [];
  const rows = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;

  return (
    <section className="card mig-table" aria-labelledby={`${id}-title`} data-migration-table={info.full_name}>
      <div className="mig-table-head">
        <div>
          <h3 id={`${id}-title`}>{info.class_name}</h3>
          <p className="faint mono">
            {info.full_name} · {info.tier ?? 'no tier'} · {rows(info.row_count)}
          </p>
        </div>
        <button type="button" className="btn btn-small btn-quiet" onClick={onRemove}>
          Remove {info.class_name} from the migration
        </button>
      </div>
      <DefinitionTextarea
        id={id}
        label={`New definition of ${info.class_name}`}
        text={entry.definition}
        onChange={(definition) => onChange({ ...entry, definition })}
        problems={problems}
        minRows={6}
        maxRows={20}
        help={`The whole definition as it should be after the migration. Tables that reference ${info.class_name} follow its new key by themselves.`}
      />
      {(added.length > 0 || gone.length > 0) && (
        <div className="mig-fields">
          {gone.map((name) => (
            <div className="field" key={`r-${name}`}>
              <label htmlFor={`${id}-rename-${name}`} className="field-label">
                {name} is gone: renamed to
              </label>
              <select
                id={`${id}-rename-${name}`}
                className="input"
                value={entry.renames[name] ?? ''}
                onChange={(e) => onChange({ ...entry, renames: { ...entry.renames, [name]: e.target.value } })}
              >
                <option value="">— not renamed: drop its values —</option>
                {renameTargets.map((to) => (
                  <option key={to} value={to}>
                    {to}
                  </option>
                ))}
              </select>
            </div>
          ))}
          {added.map((a) => (
            <div className="field" key={`v-${a.name}`}>
              <label htmlFor={`${id}-value-${a.name}`} className="field-label">
                Value of {a.name} in the existing rows
              </label>
              <input
                id={`${id}-value-${a.name}`}
                className="input mono"
                value={entry.values[a.name] ?? ''}
                placeholder={a.required ? 'required: it has no default' : 'optional: else its default'}
                aria-required={a.required || undefined}
                onChange={(e) => onChange({ ...entry, values: { ...entry.values, [a.name]: e.target.value } })}
              />
              <span className="field-help">
                {a.inKey ? 'New in the primary key: ' : 'New attribute: '}
                {info.row_count > 0 ? `every one of the ${rows(info.row_count)} gets this value` : 'no rows yet'}
                {a.inKey ? `; tables below ${info.class_name} take it over.` : '.'}
              </span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
