import type { AttributeInfo, TableInfo } from '../api/schemas/pipeline';
import type { DefaultValue, DefinitionItem, TableDefinition } from './definition/ast';
import { printDefinition } from './definition/print';
import { dataTypeFromText } from './definition/types';

/**
 * A definition reconstructed from the database, as DataJoint's `describe()` does: attributes in
 * heading order, each foreign key as one `->` line where its first attribute stands, indexes that
 * a foreign key does not already imply. The text declares the same table again.
 */
export function describeTable(table: TableInfo, all: readonly TableInfo[]): string {
  return printDefinition(describeDefinition(table, all));
}

/** The definition tree behind {@link describeTable}. */
export function describeDefinition(table: TableInfo, all: readonly TableInfo[]): TableDefinition {
  const items: DefinitionItem[] = [];
  const seen = new Set<string>();
  const printed = new Set<number>();
  // as DataJoint's describe(): a foreign key is written once all its attributes have appeared,
  // and attributes that come from a foreign key are not written on their own
  for (const attr of table.attributes.filter((a) => !a.hidden)) {
    seen.add(attr.name);
    let fromForeignKey = false;
    table.foreign_keys.forEach((fk, i) => {
      const cols = Object.keys(fk.attr_map);
      if (!cols.includes(attr.name)) return;
      fromForeignKey = true;
      if (printed.has(i) || !cols.every((c) => seen.has(c))) return;
      printed.add(i);
      const renames = fk.aliased ? Object.entries(fk.attr_map).filter(([c, p]) => c !== p) : [];
      items.push({
        kind: 'foreign_key',
        inKey: attr.in_key,
        ref: parentRef(fk.parent, table, all),
        nullable: fk.nullable,
        unique: fk.unique,
        renames: renames.length ? renames : null,
        comment: '',
      });
    });
    if (!fromForeignKey) {
      items.push({
        kind: 'attribute',
        inKey: attr.in_key,
        name: attr.name,
        type: dataTypeFromText(typeText(attr), { sqlFallback: true }),
        default: defaultOf(attr),
        comment: attr.comment,
      });
    }
  }
  for (const ix of table.indexes) {
    const impliedByFk = table.foreign_keys.some((f) => sameColumns(Object.keys(f.attr_map), ix.columns));
    const external = ix.columns.length === 1 && table.attributes.find((a) => a.name === ix.columns[0])?.is_external;
    if (impliedByFk || external) continue;
    items.push({ kind: 'index', inKey: false, unique: ix.unique, attributes: ix.columns, comment: '' });
  }
  return { comment: table.table_comment, items };
}

/**
 * `json` for MariaDB's longtext json columns and `bool` for `tinyint(1)`, so the described text
 * declares the same column again (DataJoint 0.14 prints `tinyint`, which declares `tinyint(4)`).
 */
function typeText(a: AttributeInfo): string {
  // a 2.x codec (`<blob@store>`) keeps its JSON metadata in a json column: the codec is its type
  if (a.codec) return a.datajoint_type;
  if (a.json_text) return 'json';
  if (/^tinyint\(1\)$/i.test(a.sql_type)) return 'bool';
  return a.datajoint_type;
}

/** DataJoint's quoted default text back to a default value. */
function defaultOf(a: AttributeInfo): DefaultValue | null {
  const d = a.default;
  if (d === null) return null;
  if (d === 'null') return { kind: 'null' };
  const quoted = /^"(.*)"$/s.exec(d);
  const text = quoted ? quoted[1]! : d;
  if (/^current_timestamp(\(\d*\))?$/i.test(text)) return { kind: 'current_timestamp', precision: null };
  return quoted ? { kind: 'string', value: text } : { kind: 'number', text };
}

/** The parent's class name, qualified with its schema only where the name alone is ambiguous. */
function parentRef(parentFullName: string, table: TableInfo, all: readonly TableInfo[]) {
  const parent = all.find((t) => t.full_name === parentFullName);
  if (!parent) return { schema: parentFullName.split('.')[0]!, name: parentFullName.split('.').slice(1).join('.') };
  const sameName = all.filter((t) => t.class_name === parent.class_name);
  const local = sameName.filter((t) => t.schema === table.schema);
  const unique = parent.schema === table.schema ? local.length === 1 : local.length === 0 && sameName.length === 1;
  return { schema: unique ? null : parent.schema, name: parent.class_name };
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
