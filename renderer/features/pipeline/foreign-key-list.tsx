import type { ForeignKeyInfo } from '../../../shared/api/schemas/pipeline';
import { useAppStore } from '../../stores/use-app-store';

/** `subject_id` or `animal -> subject_id` when the child renames the parent's attribute. */
function mapping(fk: ForeignKeyInfo): string {
  return Object.entries(fk.attr_map)
    .map(([child, parent]) => (child === parent ? child : `${child} → ${parent}`))
    .join(', ');
}

function ForeignKey({ fk }: { fk: ForeignKeyInfo }) {
  const parentClass = useAppStore((s) => {
    for (const schema of Object.values(s.pipeline.info?.schemas ?? {})) {
      const t = schema.tables.find((x) => `${schema.database}.${x.table_name}` === fk.parent);
      if (t) return t.class_name;
    }
    return null;
  });
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
        {fk.aliased && <span className="flag">renamed</span>}
      </span>
    </li>
  );
}

/** The parents this table references (`-> Parent` lines of its definition). */
export function ForeignKeyList({ foreignKeys }: { foreignKeys: readonly ForeignKeyInfo[] }) {
  if (foreignKeys.length === 0) return <p className="muted">None: this table depends on no other table.</p>;
  return (
    <ul className="fk-list">
      {foreignKeys.map((fk) => (
        <ForeignKey key={`${fk.parent}:${mapping(fk)}`} fk={fk} />
      ))}
    </ul>
  );
}
