import type { DefinitionItem, ForeignKeyItem, TableDefinition } from './ast';
import { formatDefault } from './defaults';
import { formatDataType } from './types';

/**
 * Canonical text of a definition in the layout of DataJoint's `describe()` (table.py):
 * `name[=default]` padded to 20, ` : `, the type padded to 28, ` # comment`; foreign keys as
 * `-> [nullable, unique] Parent.proj(new="old")`; `INDEX (a, b)`. Trailing spaces are dropped.
 * Parsing the printed text gives back the same tree (positions aside).
 */
export function printDefinition(def: TableDefinition): string {
  const lines: string[] = [];
  if (def.comment) lines.push(`# ${def.comment}`);
  let inKey = true;
  for (const item of def.items) {
    if (inKey && !item.inKey) {
      lines.push('---');
      inKey = false;
    }
    lines.push(printItem(item));
  }
  return lines.map((l) => l.trimEnd()).join('\n') + '\n';
}

/** One item as one line. */
export function printItem(item: DefinitionItem): string {
  switch (item.kind) {
    case 'attribute': {
      const lhs = item.default ? `${item.name}=${formatDefault(item.default)}` : item.name;
      const line = `${lhs.padEnd(20)} : ${(item.marker ?? formatDataType(item.type)).padEnd(28)}`;
      return item.comment ? `${line} # ${item.comment}` : line;
    }
    case 'foreign_key':
      return withComment(printForeignKey(item), item.comment);
    case 'index':
      return withComment(`${item.unique ? 'UNIQUE ' : ''}INDEX (${item.attributes.join(', ')})`, item.comment);
    case 'comment':
      return `# ${item.text}`;
  }
}

function withComment(text: string, comment: string): string {
  return comment ? `${text}  # ${comment}` : text;
}

function printForeignKey(fk: ForeignKeyItem): string {
  const opts = [fk.nullable && 'nullable', fk.unique && 'unique'].filter(Boolean);
  const ref = fk.ref.schema ? `${fk.ref.schema}.${fk.ref.name}` : fk.ref.name;
  const proj = fk.renames ? `.proj(${fk.renames.map(([n, o]) => `${n}="${o}"`).join(',')})` : '';
  return `->${opts.length ? ` [${opts.join(', ')}]` : ''} ${ref}${proj}`;
}
