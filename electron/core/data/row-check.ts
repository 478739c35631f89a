import type { AttributeInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import { checkValue } from '../../../shared/model/value-rules';
import type { Row } from '../db/driver';

/** Says where a row came from in messages: "row 3" by default, "line 4" for a CSV file. */
export type RowLabel = (index: number) => string;
export const rowNumber: RowLabel = (i) => `row ${i + 1}`;

function rowError(table: TableInfo, where: string, attribute: string | null, reason: string, index: number) {
  const what = attribute ? `attribute "${attribute}" ${reason}` : reason;
  return appError('VALIDATION', `${table.full_name}, ${where}: ${what}.`, {
    details: { table: table.full_name, row: index + 1, attribute, reason },
    hint: 'Correct the value and insert again; nothing was written.',
  });
}

/**
 * Checks rows against the heading and returns them in canonical form with only known attributes.
 * Unknown attributes, missing key attributes, missing required values and values of the wrong
 * type are errors naming the table, the row and the attribute.
 */
export function checkRows(table: TableInfo, rows: readonly Row[], label: RowLabel = rowNumber): { attributes: AttributeInfo[]; rows: Row[] } {
  const known = new Map(table.attributes.map((a) => [a.name, a]));
  const present = new Set<string>();
  for (const [i, row] of rows.entries()) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw rowError(table, label(i), null, 'is not an object of attribute values', i);
    for (const name of Object.keys(row)) {
      if (!known.has(name)) {
        throw rowError(table, label(i), name, `is not an attribute of the table (attributes: ${[...known.keys()].join(', ')})`, i);
      }
      present.add(name);
    }
  }
  const attributes = table.attributes.filter((a) => present.has(a.name) || a.in_key || isRequired(a));
  const out = rows.map((row, i) => {
    const canonical: Row = {};
    for (const a of attributes) {
      const has = Object.hasOwn(row, a.name) && row[a.name] !== undefined;
      if (!has) {
        if (a.in_key && !a.autoincrement) throw rowError(table, label(i), a.name, 'is missing: it is part of the primary key', i);
        if (isRequired(a)) throw rowError(table, label(i), a.name, 'is missing and has no default', i);
        canonical[a.name] = undefined;
        continue;
      }
      const checked = checkValue(a, row[a.name]);
      if (!checked.ok) throw rowError(table, label(i), a.name, checked.reason, i);
      canonical[a.name] = checked.value;
    }
    return canonical;
  });
  return { attributes: attributes.filter((a) => present.has(a.name) || (a.in_key && !a.autoincrement)), rows: out };
}

/** A secondary attribute that must be given: not nullable, no default, not auto-filled. */
function isRequired(a: AttributeInfo): boolean {
  return !a.in_key && !a.nullable && a.default === null && !a.autoincrement;
}
