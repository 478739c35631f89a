import type { AttributeInfo, TableInfo } from '../api/schemas/pipeline';
import type { ResolvedTable } from './definition';
import { stripDisplayWidth } from './table-info';

/**
 * How a table that exists differs from the file's definition of it, in words (empty when they
 * agree): attributes missing on either side, moved in or out of the primary key, of another type
 * or nullability, and parents added or dropped. Declaring again never alters an existing table,
 * so these are reported for the user to act on.
 */
export function definitionDifferences(file: ResolvedTable, db: TableInfo): string[] {
  const out: string[] = [];
  const dbAttrs = new Map(db.attributes.filter((a) => !a.hidden).map((a) => [a.name, a]));
  const fileNames = new Set(file.columns.map((c) => c.name));
  for (const c of file.columns) {
    const a = dbAttrs.get(c.name);
    if (!a) {
      out.push(`${c.name} is in the file but not in the database`);
      continue;
    }
    if (a.in_key !== c.inKey)
      out.push(`${c.name} is ${role(c.inKey)} in the file but ${role(a.in_key)} in the database`);
    if (typeText(dbType(a)) !== typeText(c.datajointType))
      out.push(`${c.name} is ${c.datajointType} in the file but ${dbType(a)} in the database`);
    else if (a.nullable !== c.nullable && !c.inKey)
      out.push(
        `${c.name} is ${c.nullable ? '' : 'not '}nullable in the file but ${a.nullable ? '' : 'not '}in the database`,
      );
  }
  for (const name of dbAttrs.keys())
    if (!fileNames.has(name)) out.push(`${name} is in the database but not in the file`);
  const fileParents = new Set(
    file.foreignKeys.filter((f) => f.kind === 'parent').map((f) => `${f.refSchema}.${f.refTable}`),
  );
  const dbParents = new Set(db.foreign_keys.map((f) => f.parent));
  for (const p of fileParents) if (!dbParents.has(p)) out.push(`the file refers to ${p}, the database does not`);
  for (const p of dbParents) if (!fileParents.has(p)) out.push(`the database refers to ${p}, the file does not`);
  return out;
}

/** MariaDB keeps `json` as longtext, which DataJoint reports as such; Joinery marks the ones it declared. */
function dbType(a: AttributeInfo): string {
  return a.json_text ? 'json' : a.datajoint_type;
}

function role(inKey: boolean): string {
  return inKey ? 'a primary attribute' : 'a secondary attribute';
}

/** Types compared as DataJoint reports them: case, spacing and integer display widths aside. */
function typeText(t: string): string {
  return stripDisplayWidth(
    t
      .trim()
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .replace(/\s*,\s*/g, ','),
  );
}
