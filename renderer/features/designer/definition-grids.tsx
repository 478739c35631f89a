import { AddButton, Check, Remove, RowProblem, Section, Text } from './grid-cells';
import {
  emptyAttribute,
  emptyForeignKey,
  emptyIndex,
  TYPE_CHOICES,
  TYPE_CHOICES_V2,
  type AttributeRow,
  type Draft,
  type ForeignKeyRow,
  type IndexRow,
} from './draft';
import type { Problem } from './use-designer';
import type { Conventions } from '../../../shared/api/schemas/pipeline';

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
  /** Whose type names the chooser offers (the schema's conventions). */
  conventions?: Conventions;
}

const TYPE_LIST_ID = 'designer-type-choices';

function patch<T extends { id: string }>(rows: T[], id: string, change: Partial<T>): T[] {
  return rows.map((r) => (r.id === id ? { ...r, ...change } : r));
}

function AttributeLine({
  a,
  n,
  readOnly,
  set,
  remove,
}: {
  a: AttributeRow;
  n: string;
  readOnly?: boolean;
  set(c: Partial<AttributeRow>): void;
  remove(): void;
}) {
  return (
    <tr className={a.inKey ? 'designer-key-row' : undefined}>
      <Check label={`${n} in primary key`} checked={a.inKey} readOnly={readOnly} onChange={(inKey) => set({ inKey })} />
      <Text
        label={`${n} name`}
        value={a.name}
        placeholder="name"
        readOnly={readOnly}
        onChange={(name) => set({ name })}
      />
      <Text
        label={`${n} type`}
        value={a.type}
        list={TYPE_LIST_ID}
        readOnly={readOnly}
        onChange={(type) => set({ type })}
      />
      <Check
        label={`${n} nullable`}
        checked={a.nullable}
        readOnly={readOnly}
        onChange={(nullable) => set({ nullable })}
      />
      <Text
        label={`${n} default`}
        value={a.nullable ? 'null' : a.default}
        disabled={a.nullable}
        placeholder="none"
        readOnly={readOnly}
        onChange={(v) => set({ default: v })}
      />
      <Text
        label={`${n} comment`}
        value={a.comment}
        mono={false}
        readOnly={readOnly}
        onChange={(comment) => set({ comment })}
      />
      <Remove label={`Remove ${n.toLowerCase()}${a.name ? ` (${a.name})` : ''}`} readOnly={readOnly} onClick={remove} />
    </tr>
  );
}

/** Attributes: name, type, nullable, default, comment, in primary key. */
export function AttributeGrid({ draft, onChange, problems, readOnly, conventions }: GridProps) {
  const rows = draft.attributes;
  const set = (id: string, change: Partial<AttributeRow>) =>
    onChange({ ...draft, attributes: patch(rows, id, change) });
  return (
    <Section
      title="Attributes"
      add={
        <AddButton
          label="Add attribute"
          hidden={readOnly}
          onClick={() => onChange({ ...draft, attributes: [...rows, emptyAttribute(false)] })}
        />
      }
    >
      <datalist id={TYPE_LIST_ID}>
        {(conventions === '2' ? TYPE_CHOICES_V2 : TYPE_CHOICES).map((t) => (
          <option key={t.type} value={t.type}>
            {t.what}
          </option>
        ))}
      </datalist>
      {rows.length === 0 ? (
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
            {rows.map((a, i) => [
              <AttributeLine
                key={a.id}
                a={a}
                n={`Attribute ${i + 1}`}
                readOnly={readOnly}
                set={(c) => set(a.id, c)}
                remove={() => onChange({ ...draft, attributes: rows.filter((x) => x.id !== a.id) })}
              />,
              <RowProblem key={`${a.id}-p`} problems={problems} line={a.line} span={7} />,
            ])}
          </tbody>
        </table>
      )}
    </Section>
  );
}

function ForeignKeyLine({
  f,
  n,
  parents,
  readOnly,
  set,
  remove,
}: {
  f: ForeignKeyRow;
  n: string;
  parents: ParentChoice[];
  readOnly?: boolean;
  set(c: Partial<ForeignKeyRow>): void;
  remove(): void;
}) {
  const known = parents.some((p) => p.ref === f.parent);
  return (
    <tr className={f.inKey ? 'designer-key-row' : undefined}>
      <Check label={`${n} in primary key`} checked={f.inKey} readOnly={readOnly} onChange={(inKey) => set({ inKey })} />
      <td>
        <select
          className="input"
          aria-label={`${n} parent`}
          value={f.parent}
          disabled={readOnly}
          onChange={(e) => set({ parent: e.target.value })}
        >
          {!known && <option value={f.parent}>{f.parent || 'choose a parent'} (not in the pipeline)</option>}
          {parents.map((p) => (
            <option key={p.ref} value={p.ref}>
              {p.label}
            </option>
          ))}
        </select>
      </td>
      <Check
        label={`${n} nullable`}
        checked={f.nullable}
        readOnly={readOnly}
        onChange={(nullable) => set({ nullable })}
      />
      <Check label={`${n} unique`} checked={f.unique} readOnly={readOnly} onChange={(unique) => set({ unique })} />
      <Text
        label={`${n} renames`}
        value={f.renames}
        placeholder="new=old"
        readOnly={readOnly}
        onChange={(renames) => set({ renames })}
      />
      <Remove label={`Remove ${n.toLowerCase()} (${f.parent})`} readOnly={readOnly} onClick={remove} />
    </tr>
  );
}

/** Foreign keys: parent, primary or secondary, nullable, unique, renamed with .proj(new=old). */
export function ForeignKeyGrid({ draft, onChange, problems, parents, readOnly }: GridProps) {
  const rows = draft.foreignKeys;
  const set = (id: string, change: Partial<ForeignKeyRow>) =>
    onChange({ ...draft, foreignKeys: patch(rows, id, change) });
  return (
    <Section
      title="Foreign keys"
      add={
        <AddButton
          label="Add foreign key"
          hidden={readOnly}
          disabledWhy={parents.length === 0 ? 'The pipeline has no tables to reference yet' : undefined}
          onClick={() => onChange({ ...draft, foreignKeys: [...rows, emptyForeignKey(parents[0]?.ref ?? '', true)] })}
        />
      }
    >
      {rows.length === 0 ? (
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
            {rows.map((f, i) => [
              <ForeignKeyLine
                key={f.id}
                f={f}
                n={`Foreign key ${i + 1}`}
                parents={parents}
                readOnly={readOnly}
                set={(c) => set(f.id, c)}
                remove={() => onChange({ ...draft, foreignKeys: rows.filter((x) => x.id !== f.id) })}
              />,
              <RowProblem key={`${f.id}-p`} problems={problems} line={f.line} span={6} />,
            ])}
          </tbody>
        </table>
      )}
    </Section>
  );
}

/** Secondary indexes: index (a, b) or unique index (a, b). */
export function IndexGrid({ draft, onChange, problems, readOnly }: GridProps) {
  const rows = draft.indexes;
  const set = (id: string, change: Partial<IndexRow>) => onChange({ ...draft, indexes: patch(rows, id, change) });
  return (
    <Section
      title="Indexes"
      add={
        <AddButton
          label="Add index"
          hidden={readOnly}
          onClick={() => onChange({ ...draft, indexes: [...rows, emptyIndex()] })}
        />
      }
    >
      {rows.length === 0 ? (
        <p className="faint">None besides the primary key and foreign keys.</p>
      ) : (
        <table className="designer-grid">
          <thead>
            <tr>
              <th>Unique</th>
              <th className="designer-wide">Attributes</th>
              <th>
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((ix, i) => {
              const n = `Index ${i + 1}`;
              return [
                <tr key={ix.id}>
                  <Check
                    label={`${n} unique`}
                    checked={ix.unique}
                    readOnly={readOnly}
                    onChange={(unique) => set(ix.id, { unique })}
                  />
                  <Text
                    label={`${n} attributes`}
                    value={ix.attributes}
                    placeholder="attribute, attribute"
                    readOnly={readOnly}
                    onChange={(attributes) => set(ix.id, { attributes })}
                  />
                  <Remove
                    label={`Remove ${n.toLowerCase()}`}
                    readOnly={readOnly}
                    onClick={() => onChange({ ...draft, indexes: rows.filter((x) => x.id !== ix.id) })}
                  />
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
