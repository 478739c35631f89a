import type { ReactNode } from 'react';
import {
  emptyAttribute,
  emptyForeignKey,
  emptyIndex,
  TYPE_CHOICES,
  type AttributeRow,
  type Draft,
  type ForeignKeyRow,
  type IndexRow,
} from './draft';
import type { Problem } from './use-designer';

/** A table the parent picker offers: what to write after `->` and how to show it. */
export interface ParentChoice {
  ref: string;
  label: string;
}

interface GridProps {
  draft: Draft;
  onChange(next: Draft): void;
  problems: Problem[];
  parents: ParentChoice[];
  readOnly?: boolean;
}

const TYPE_LIST_ID = 'designer-type-choices';

/** The problem of the definition line a row was written on, shown right under the row. */
function RowProblem({ problems, line, span }: { problems: Problem[]; line?: number; span: number }) {
  const p = problems.find((x) => x.field === 'definition' && line !== undefined && x.line === line);
  if (!p) return null;
  return (
    <tr className="designer-row-problem">
      <td colSpan={span} role="alert">
        Line {p.line}, column {p.column}: {p.message.replace(/^Definition error at [^:]*: /, '')}
      </td>
    </tr>
  );
}

function Section({ title, add, children }: { title: string; add?: ReactNode; children: ReactNode }) {
  return (
    <section className="designer-section" aria-label={title}>
      <div className="designer-section-head">
        <h3>{title}</h3>
        {add}
      </div>
      {children}
    </section>
  );
}

function patch<T extends { id: string }>(rows: T[], id: string, change: Partial<T>): T[] {
  return rows.map((r) => (r.id === id ? { ...r, ...change } : r));
}

/** Attributes: name, type, nullable, default, comment, in primary key. */
export function AttributeGrid({ draft, onChange, problems, readOnly }: GridProps) {
  const set = (id: string, change: Partial<AttributeRow>) =>
    onChange({ ...draft, attributes: patch(draft.attributes, id, change) });
  return (
    <Section
      title="Attributes"
      add={
        !readOnly && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onChange({ ...draft, attributes: [...draft.attributes, emptyAttribute(false)] })}
          >
            Add attribute
          </button>
        )
      }
    >
      <datalist id={TYPE_LIST_ID}>
        {TYPE_CHOICES.map((t) => (
          <option key={t.type} value={t.type}>
            {t.what}
          </option>
        ))}
      </datalist>
      {draft.attributes.length === 0 ? (
        <p className="faint">No attributes of its own: the key comes from the foreign keys alone.</p>
      ) : (
        <table className="designer-grid">
          <thead>
            <tr>
              <th title="In the primary key">Key</th>
              <th>Name</th>
              <th>Type</th>
              <th title="May be empty (default null)">Null</th>
              <th>Default</th>
              <th>Comment</th>
              <th>
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.attributes.map((a, i) => {
              const n = `Attribute ${i + 1}`;
              return [
                <tr key={a.id} className={a.inKey ? 'designer-key-row' : undefined}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${n} in primary key`}
                      checked={a.inKey}
                      disabled={readOnly}
                      onChange={(e) => set(a.id, { inKey: e.target.checked })}
                    />
                  </td>
                  <td>
                    <input
                      className="input mono"
                      aria-label={`${n} name`}
                      value={a.name}
                      placeholder="name"
                      readOnly={readOnly}
                      onChange={(e) => set(a.id, { name: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      className="input mono"
                      aria-label={`${n} type`}
                      list={TYPE_LIST_ID}
                      value={a.type}
                      readOnly={readOnly}
                      onChange={(e) => set(a.id, { type: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${n} nullable`}
                      checked={a.nullable}
                      disabled={readOnly}
                      onChange={(e) => set(a.id, { nullable: e.target.checked })}
                    />
                  </td>
                  <td>
                    <input
                      className="input mono"
                      aria-label={`${n} default`}
                      value={a.nullable ? 'null' : a.default}
                      disabled={a.nullable}
                      placeholder="none"
                      readOnly={readOnly}
                      onChange={(e) => set(a.id, { default: e.target.value })}
                    />
                  </td>
                  <td>
                    <input
                      className="input"
                      aria-label={`${n} comment`}
                      value={a.comment}
                      readOnly={readOnly}
                      onChange={(e) => set(a.id, { comment: e.target.value })}
                    />
                  </td>
                  <td>
                    {!readOnly && (
                      <button
                        type="button"
                        className="btn btn-quiet btn-small"
                        aria-label={`Remove ${n.toLowerCase()}${a.name ? ` (${a.name})` : ''}`}
                        onClick={() =>
                          onChange({ ...draft, attributes: draft.attributes.filter((x) => x.id !== a.id) })
                        }
                      >
                        ×
                      </button>
                    )}
                  </td>
                </tr>,
                <RowProblem key={`${a.id}-p`} problems={problems} line={a.line} span={7} />,
              ];
            })}
          </tbody>
        </table>
      )}
    </Section>
  );
}

/** Foreign keys: parent, primary or secondary, nullable, unique, renamed with .proj(new=old). */
export function ForeignKeyGrid({ draft, onChange, problems, parents, readOnly }: GridProps) {
  const set = (id: string, change: Partial<ForeignKeyRow>) =>
    onChange({ ...draft, foreignKeys: patch(draft.foreignKeys, id, change) });
  return (
    <Section
      title="Foreign keys"
      add={
        !readOnly && (
          <button
            type="button"
            className="btn btn-small"
            disabled={parents.length === 0}
            title={parents.length === 0 ? 'The pipeline has no tables to reference yet' : undefined}
            onClick={() =>
              onChange({ ...draft, foreignKeys: [...draft.foreignKeys, emptyForeignKey(parents[0]?.ref ?? '', true)] })
            }
          >
            Add foreign key
          </button>
        )
      }
    >
      {draft.foreignKeys.length === 0 ? (
        <p className="faint">
          {parents.length
            ? 'None: add one to make this table depend on a parent.'
            : 'None (no tables to point at yet).'}
        </p>
      ) : (
        <table className="designer-grid">
          <thead>
            <tr>
              <th title="Part of the primary key (solid edge in the diagram)">Key</th>
              <th>Parent</th>
              <th>Nullable</th>
              <th>Unique</th>
              <th title="Rename the parent's key attributes: new=old, ...">Renames (.proj)</th>
              <th>
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.foreignKeys.map((f, i) => {
              const n = `Foreign key ${i + 1}`;
              const known = parents.some((p) => p.ref === f.parent);
              return [
                <tr key={f.id} className={f.inKey ? 'designer-key-row' : undefined}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${n} in primary key`}
                      checked={f.inKey}
                      disabled={readOnly}
                      onChange={(e) => set(f.id, { inKey: e.target.checked })}
                    />
                  </td>
                  <td>
                    <select
                      className="input"
                      aria-label={`${n} parent`}
                      value={f.parent}
                      disabled={readOnly}
                      onChange={(e) => set(f.id, { parent: e.target.value })}
                    >
                      {!known && (
                        <option value={f.parent}>{f.parent || 'choose a parent'} (not in the pipeline)</option>
                      )}
                      {parents.map((p) => (
                        <option key={p.ref} value={p.ref}>
                          {p.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${n} nullable`}
                      checked={f.nullable}
                      disabled={readOnly}
                      onChange={(e) => set(f.id, { nullable: e.target.checked })}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${n} unique`}
                      checked={f.unique}
                      disabled={readOnly}
                      onChange={(e) => set(f.id, { unique: e.target.checked })}
                    />
                  </td>
                  <td>
                    <input
                      className="input mono"
                      aria-label={`${n} renames`}
                      placeholder="new=old"
                      value={f.renames}
                      readOnly={readOnly}
                      onChange={(e) => set(f.id, { renames: e.target.value })}
                    />
                  </td>
                  <td>
                    {!readOnly && (
                      <button
                        type="button"
                        className="btn btn-quiet btn-small"
                        aria-label={`Remove ${n.toLowerCase()} (${f.parent})`}
                        onClick={() =>
                          onChange({ ...draft, foreignKeys: draft.foreignKeys.filter((x) => x.id !== f.id) })
                        }
                      >
                        ×
                      </button>
                    )}
                  </td>
                </tr>,
                <RowProblem key={`${f.id}-p`} problems={problems} line={f.line} span={6} />,
              ];
            })}
          </tbody>
        </table>
      )}
    </Section>
  );
}

/** Secondary indexes: index (a, b) or unique index (a, b). */
export function IndexGrid({ draft, onChange, problems, readOnly }: GridProps) {
  const set = (id: string, change: Partial<IndexRow>) =>
    onChange({ ...draft, indexes: patch(draft.indexes, id, change) });
  return (
    <Section
      title="Indexes"
      add={
        !readOnly && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onChange({ ...draft, indexes: [...draft.indexes, emptyIndex()] })}
          >
            Add index
          </button>
        )
      }
    >
      {draft.indexes.length === 0 ? (
        <p className="faint">None besides the primary key and foreign keys.</p>
      ) : (
        <table className="designer-grid">
          <tbody>
            {draft.indexes.map((ix, i) => {
              const n = `Index ${i + 1}`;
              return [
                <tr key={ix.id}>
                  <td>
                    <label className="designer-inline">
                      <input
                        type="checkbox"
                        checked={ix.unique}
                        disabled={readOnly}
                        onChange={(e) => set(ix.id, { unique: e.target.checked })}
                      />
                      unique
                    </label>
                  </td>
                  <td className="designer-wide">
                    <input
                      className="input mono"
                      aria-label={`${n} attributes`}
                      placeholder="attribute, attribute"
                      value={ix.attributes}
                      readOnly={readOnly}
                      onChange={(e) => set(ix.id, { attributes: e.target.value })}
                    />
                  </td>
                  <td>
                    {!readOnly && (
                      <button
                        type="button"
                        className="btn btn-quiet btn-small"
                        aria-label={`Remove ${n.toLowerCase()}`}
                        onClick={() => onChange({ ...draft, indexes: draft.indexes.filter((x) => x.id !== ix.id) })}
                      >
                        ×
                      </button>
                    )}
                  </td>
                </tr>,
                <RowProblem key={`${ix.id}-p`} problems={problems} line={ix.line} span={3} />,
              ];
            })}
          </tbody>
        </table>
      )}
    </Section>
  );
}
