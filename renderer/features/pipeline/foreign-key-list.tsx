import type { ForeignKeyInfo } from '../../../shared/api/schemas/pipeline';
import { renameLabel } from './graph-model';

/** `subject_id` or `animal -> subject_id` when the child renames the parent's attribute. */
function mapping(fk: ForeignKeyInfo): string {
  return Object.entries(fk.attr_map)
    .map(([child, parent]) => (child === parent ? child : `${child} → ${parent}`))
    .join(', ');
}

function ForeignKey({ fk, classOf }: { fk: ForeignKeyInfo; classOf: (key: string) => string | null }) {
  const parentClass = classOf(fk.parent);
  const rename = renameLabel(fk);
  return (
    <li className="fk">
      <span>
        <span className="fk-parent">→ {parentClass ?? fk.parent}</span>
        {parentClass && <span className="details-sub"> {fk.parent}</span>}
      </span>
      <span className="fk-map">{mapping(fk)}</span>
      <span className="flags">
        <span className="flag">{fk.primary ? 'in primary key' : 'secondary'}</span>
        {fk.nullable && <span className="flag">nullable</span>}
        {fk.unique && <span className="flag">unique</span>}
        {rename && (
          <span className="flag flag-renamed" title={`Renamed: ${rename}`}>
            renamed {rename}
          </span>
        )}
      </span>
    </li>
  );
}

/** The parents this table references (`-> Parent` lines of its definition). */
export function ForeignKeyList(props: {
  foreignKeys: readonly ForeignKeyInfo[];
  /** The class name of a `<schema>.<table_name>`, when the pipeline knows it. */
  classOf: (key: string) => string | null;
}) {
  const { foreignKeys, classOf } = props;
  if (foreignKeys.length === 0) return <p className="muted">None: this table depends on no other table.</p>;
  return (
    <ul className="fk-list">
      {foreignKeys.map((fk) => (
        <ForeignKey key={`${fk.parent}:${mapping(fk)}`} fk={fk} classOf={classOf} />
      ))}
    </ul>
  );
}
