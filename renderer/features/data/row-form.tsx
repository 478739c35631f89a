import { useState, type FormEvent } from 'react';
import type { AttributeInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { useApiMutation } from '../../api/hooks';
import { FieldInput } from './field-input';
import { FkPicker } from './fk-picker';
import { fieldErrorsFromCore, rawFromValue, rowFromForm, type FieldErrors, type RawRow } from './row-values';
import { keyOf } from './table-rights';

interface RowFormProps {
  connectionId: string;
  table: TableInfo;
  tables: readonly TableInfo[];
  allowDirectInsert: boolean;
  /** The row to edit (update its secondary attributes); absent: insert a new row. */
  editRow?: Record<string, unknown>;
  onClose: () => void;
}

function initialRaw(attrs: readonly AttributeInfo[], row: Record<string, unknown> | undefined): RawRow {
  return Object.fromEntries(attrs.map((a) => [a.name, row ? rawFromValue(row[a.name]) : '']));
}

/** Attributes grouped by the foreign key that fills them (first FK wins), then the rest. */
function groups(table: TableInfo, attrs: readonly AttributeInfo[]) {
  const taken = new Set<string>();
  const fkGroups = table.foreign_keys.map((fk) => {
    const names = Object.keys(fk.attr_map).filter((n) => !taken.has(n));
    names.forEach((n) => taken.add(n));
    return { fk, attrs: attrs.filter((a) => names.includes(a.name)) };
  });
  return { fkGroups, rest: attrs.filter((a) => !taken.has(a.name)) };
}

/**
 * Insert or edit one row of a table, one field per attribute of its heading. Values are checked
 * with the core's own rules before sending; the core's errors land next to the field they name.
 */
export function RowForm({ connectionId, table, tables, allowDirectInsert, editRow, onClose }: RowFormProps) {
  const attrs = table.attributes.filter((a) => !a.hidden);
  const isEdit = editRow !== undefined;
  const [raw, setRaw] = useState<RawRow>(() => initialRaw(attrs, editRow));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState<string | null>(null);
  const insert = useApiMutation('data.insert');
  const update = useApiMutation('data.update');
  const failure = insert.error ?? update.error;
  const busy = insert.isPending || update.isPending;
  const set = (values: Record<string, string | RawRow[string]>) => {
    setRaw((r) => ({ ...r, ...values }));
    setSaved(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    insert.reset();
    update.reset();
    const editable = isEdit ? attrs.filter((a) => !a.in_key) : attrs;
    const { row, errors: local } = rowFromForm(editable, raw, { emptyAsNull: isEdit });
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    const ref = { connectionId, schema: table.schema, table: table.table_name };
    try {
      if (isEdit) {
        await update.mutateAsync({ ...ref, key: keyOf(table, editRow), values: row });
        setSaved('Saved.');
      } else {
        await insert.mutateAsync({ ...ref, rows: [row], allowDirectInsert });
        setSaved('Inserted. The form keeps its values for the next row.');
      }
    } catch (err) {
      const data = (err as { data?: Parameters<typeof fieldErrorsFromCore>[0] }).data;
      if (data) setErrors(fieldErrorsFromCore(data, attrs));
    }
  };

  const { fkGroups, rest } = groups(table, attrs);
  const field = (a: AttributeInfo) => (
    <FieldInput
      key={a.name}
      attr={a}
      value={raw[a.name] ?? ''}
      error={errors[a.name]}
      readOnly={isEdit && a.in_key}
      onChange={(v) => set({ [a.name]: v })}
    />
  );
  const unplaced = failure && Object.keys(fieldErrorsFromCore(failure.data, attrs)).length === 0;

  return (
    <aside className="row-panel" aria-label={isEdit ? `Edit ${table.class_name} row` : `New ${table.class_name} row`}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="panel-head">
          <h3>{isEdit ? `Edit ${table.class_name} row` : `New ${table.class_name} row`}</h3>
          <button type="button" className="btn btn-small btn-quiet" onClick={onClose} aria-label="Close the form">
            ✕
          </button>
        </div>
        {isEdit && (
          <p className="muted small">
            The primary key cannot change here; DataJoint’s update1 changes secondary attributes.
          </p>
        )}
        {fkGroups.map(({ fk, attrs: fkAttrs }) => {
          const parent = tables.find((t) => t.full_name === fk.parent);
          if (fkAttrs.length === 0) return null;
          return (
            <fieldset key={fk.parent + fkAttrs.map((a) => a.name).join()} className="fk-group">
              <legend>→ {parent?.class_name ?? fk.parent}</legend>
              {parent && !(isEdit && fkAttrs.every((a) => a.in_key)) && (
                <FkPicker connectionId={connectionId} fk={fk} parent={parent} onPick={set} />
              )}
              {fkAttrs.map(field)}
            </fieldset>
          );
        })}
        {rest.map(field)}
        {failure && unplaced && <ErrorMessage error={failure.data} />}
        {saved && (
          <p className="message message-success" role="status">
            {saved}
          </p>
        )}
        <div className="panel-actions">
          <BusyButton type="submit" variant="primary" busy={busy} busyText={isEdit ? 'Saving…' : 'Inserting…'}>
            {isEdit ? 'Save changes' : 'Insert'}
          </BusyButton>
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </aside>
  );
}
