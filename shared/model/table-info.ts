import type { AttributeInfo, ForeignKeyInfo, IndexInfo, TableInfo } from '../api/schemas/pipeline';
import type { CatalogColumn, CatalogTable } from './catalog';
import { classNameOf, masterOf, tierOf } from './naming';
import type { Conventions } from './conventions';
import { toAttributeV2 } from './attribute-v2';
import { BLOB, NUMERIC, splitTypeComment, stripDisplayWidth } from './column-type';

/**
 * DataJoint's reading of a stored table (heading.py, dependencies.py of DataJoint 0.14): the
 * DataJoint type from the `:type:` comment prefix, display widths dropped, defaults quoted the way
 * `describe()` prints them, foreign keys as child->parent attribute maps.
 */

export { NUMERIC, splitTypeComment, stripDisplayWidth } from './column-type';

/** One stored column read as a DataJoint attribute, by the conventions of its schema. */
export function toAttribute(c: CatalogColumn, conventions: Conventions = '0.14'): AttributeInfo {
  if (conventions === '2') return toAttributeV2(c);
  const { special, comment } = splitTypeComment(c.comment);
  const datajointType = special ?? stripDisplayWidth(c.sqlType);
  const store = special && /@/.test(special) ? special.split('@')[1]! : null;
  const adapter = special && /^<.+>$/.test(special) ? special.slice(1, -1) : null;
  const isAttachment = special !== null && /^attach(@|$)/.test(special);
  const isFilepath = special !== null && special.startsWith('filepath@');
  const isBlob = BLOB.test(datajointType) || (special !== null && special.startsWith('blob@'));
  return {
    name: c.name,
    in_key: c.inKey,
    datajoint_type: datajointType,
    sql_type: c.sqlType,
    nullable: c.nullable,
    default: describeDefault(c, special),
    comment,
    sql_comment: c.comment,
    autoincrement: c.autoIncrement,
    is_blob: isBlob,
    is_external: store !== null,
    store,
    is_attachment: isAttachment,
    is_filepath: isFilepath,
    uuid: special === 'uuid',
    json: /^json$/i.test(c.sqlType),
    adapter,
    hidden: c.name.startsWith('_'),
    ...(c.jsonChecked ? { json_text: true as const } : {}),
  };
}

/** The default as DataJoint prints it: `null` for nullable columns, strings and dates in quotes. */
export function describeDefault(c: CatalogColumn, special: string | null): string | null {
  if (c.nullable) return 'null';
  if (c.default === null) return null;
  if (special === null && NUMERIC.test(c.sqlType)) return c.default;
  return `"${c.default}"`;
}

/** The whole table as DataJoint reads it; `tables` resolves unique foreign keys' indexes. */
export function toTableInfo(t: CatalogTable, conventions: Conventions = '0.14'): TableInfo {
  const attributes = t.columns.map((c) => toAttribute(c, conventions));
  const byName = new Map(attributes.map((a) => [a.name, a]));
  const foreignKeys: ForeignKeyInfo[] = t.foreignKeys
    .filter((fk) => !fk.refTable.startsWith('~'))
    .map((fk) => {
      const attrMap = Object.fromEntries(fk.columns.map((c, i) => [c, fk.refColumns[i]!]));
      return {
        parent: `${fk.refSchema}.${fk.refTable}`,
        attr_map: attrMap,
        primary: fk.columns.every((c) => byName.get(c)?.in_key),
        aliased: fk.columns.some((c, i) => c !== fk.refColumns[i]),
        nullable: fk.columns.some((c) => byName.get(c)?.nullable),
        unique: t.indexes.some((ix) => ix.unique && sameSet(ix.columns, fk.columns)),
      };
    });
  // DataJoint 2.3 lists indexes by name; 0.14 in the server's SHOW KEYS order
  const nameOf = (ix: (typeof t.indexes)[number]) => ix.serverName ?? ix.name;
  const ordered = conventions === '2' ? [...t.indexes].sort((a, b) => nameOf(a).localeCompare(nameOf(b))) : t.indexes;
  const indexes: IndexInfo[] = ordered.map((ix) => ({
    columns: ix.columns,
    unique: ix.unique,
    // DataJoint 2.3 reports every index as not nullable (the fixture's ground truth); 0.14 asks its columns
    nullable: conventions === '2' ? false : ix.columns.some((c) => byName.get(c)?.nullable ?? false),
  }));
  return {
    full_name: `${t.schema}.${t.name}`,
    schema: t.schema,
    table_name: t.name,
    class_name: classNameOf(t.name),
    tier: tierOf(t.name),
    master: masterOf(t.name) === null ? null : `${t.schema}.${masterOf(t.name)}`,
    table_comment: t.comment,
    // 2.x's hidden `_singleton` key is not shown as the key (DataJoint: primary_key is [])
    primary_key: attributes.filter((a) => a.in_key && !a.hidden).map((a) => a.name),
    secondary_attributes: attributes.filter((a) => !a.in_key && !a.hidden).map((a) => a.name),
    hidden_attributes: attributes.filter((a) => a.hidden).map((a) => a.name),
    attributes,
    foreign_keys: foreignKeys,
    indexes,
    row_count: t.rowCount,
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
