import type { ForeignKeyItem } from './ast';
import { columnTypeOf, type ParentHeading, type ParentKeyAttribute, typeOfStoredColumn } from './heading';
import { fail, inheritedColumn, pushColumn, type ResolveState } from './resolve-state';

/**
 * One `-> Parent` line, as DataJoint's compile_foreign_key: every key attribute of the parent
 * (renamed by proj) not yet in the table is added where the arrow stands; attributes already
 * present are shared, provided their types agree (MySQL refuses foreign keys between different
 * types with an opaque errno 150).
 */
export function resolveForeignKey(st: ResolveState, item: ForeignKeyItem): void {
  const parent = findParent(st, item);
  const pairs = renamedKey(st, item, parent);
  const fkIndex = st.table.foreignKeys.length;
  for (const [child, attr] of pairs) {
    const existing = st.byName.get(child);
    if (existing) {
      checkShared(st, item, child, attr, existing.columnType);
      continue;
    }
    pushColumn(
      st,
      inheritedColumn(child, attr.sqlType, attr.comment, item, fkIndex, st.ctx.conventions),
      item.at?.line ?? 1,
    );
  }
  const columns = pairs.map(([child]) => child);
  st.table.foreignKeys.push({
    kind: 'parent',
    columns,
    refSchema: parent.schema,
    refTable: parent.tableName,
    refColumns: pairs.map(([, a]) => a.name),
    onUpdate: 'CASCADE',
    onDelete: 'RESTRICT',
    nullable: columns.some((c) => st.byName.get(c)!.nullable),
    unique: item.unique,
    primary: columns.every((c) => st.byName.get(c)!.inKey),
  });
  if (item.unique) st.table.indexes.push({ columns: [...columns], unique: true, origin: 'foreign_key' });
}

function refText(item: ForeignKeyItem): string {
  return `"${item.ref.schema ? `${item.ref.schema}.` : ''}${item.ref.name}"`;
}

function findParent(st: ResolveState, item: ForeignKeyItem): ParentHeading {
  let ref = item.ref;
  if (ref.name === 'master' && ref.schema === null) {
    if (!st.ctx.master)
      fail(st, item.refAt, 'a table class name', '"master"', '"-> master" is only valid in a part table');
    ref = { schema: null, name: st.ctx.master };
  }
  const parent = st.ctx.lookup(ref);
  if (!parent)
    fail(
      st,
      item.refAt,
      'a declared table class',
      refText(item),
      `the table ${refText(item)} is not known (declare it first)`,
    );
  if (parent.primaryKey.length === 0)
    fail(st, item.refAt, 'a table with a primary key', refText(item), `${refText(item)} has no primary key`);
  return parent;
}

/** [child name, parent attribute] for each parent key attribute, proj renames applied. */
function renamedKey(
  st: ResolveState,
  item: ForeignKeyItem,
  parent: ParentHeading,
): Array<[string, ParentKeyAttribute]> {
  const renames = new Map((item.renames ?? []).map(([n, o]) => [o, n]));
  const keyNames = parent.primaryKey.map((a) => a.name);
  for (const old of renames.keys()) {
    if (!keyNames.includes(old)) {
      fail(
        st,
        item.refAt,
        `a primary-key attribute of the parent (${keyNames.join(', ')})`,
        `"${old}"`,
        `proj renames "${old}", which is not in the primary key of ${refText(item)}`,
      );
    }
  }
  const pairs = parent.primaryKey.map((a): [string, ParentKeyAttribute] => [renames.get(a.name) ?? a.name, a]);
  const seen = new Set<string>();
  for (const [child] of pairs) {
    if (seen.has(child))
      fail(
        st,
        item.refAt,
        'distinct attribute names after proj',
        `"${child}"`,
        `proj makes two attributes named "${child}"`,
      );
    seen.add(child);
  }
  return pairs;
}

function checkShared(
  st: ResolveState,
  item: ForeignKeyItem,
  child: string,
  attr: ParentKeyAttribute,
  have: string,
): void {
  const want = columnTypeOf(typeOfStoredColumn(attr.sqlType, attr.comment).type);
  if (normalise(want) !== normalise(have)) {
    fail(
      st,
      item.refAt,
      `"${child}" of type ${want}`,
      `"${child}" of type ${have}`,
      `"${child}" is declared on line ${st.lineOf.get(child)} with another type than the parent's ${attr.name}`,
    );
  }
}

function normalise(columnType: string): string {
  return columnType.toLowerCase().replace(/\s+/g, ' ').trim();
}
