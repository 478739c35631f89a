import type { AttributeInfo } from '../../../shared/api/schemas/pipeline';

function AttributeRow({ a }: { a: AttributeInfo }) {
  return (
    <tr>
      <td>
        <div className="attr-name">{a.name}</div>
        {a.comment && <div className="attr-comment">{a.comment}</div>}
      </td>
      <td>
        <div className="attr-type">{a.datajoint_type}</div>
        {a.nullable && <span className="flag">nullable</span>}
      </td>
      <td className="attr-default">
        {a.default ?? (
          <span className="faint" aria-label="none">
            —
          </span>
        )}
      </td>
    </tr>
  );
}

function Group({ title, attributes }: { title: string; attributes: readonly AttributeInfo[] }) {
  if (attributes.length === 0) return null;
  return (
    <tbody>
      <tr className="group-row">
        <th scope="colgroup" colSpan={3}>
          {title}
        </th>
      </tr>
      {attributes.map((a) => (
        <AttributeRow key={a.name} a={a} />
      ))}
    </tbody>
  );
}

/** The heading as DataJoint defines it: the primary key, then (after `---`) the secondary attributes. */
export function AttributeTable({ attributes }: { attributes: readonly AttributeInfo[] }) {
  const visible = attributes.filter((a) => !a.hidden);
  return (
    <table className="grid attr-table">
      <colgroup>
        <col className="col-attr" />
        <col className="col-type" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Attribute</th>
          <th scope="col">Type</th>
          <th scope="col">Default</th>
        </tr>
      </thead>
      <Group title="Primary key" attributes={visible.filter((a) => a.in_key)} />
      <Group title="Secondary attributes" attributes={visible.filter((a) => !a.in_key)} />
    </table>
  );
}
