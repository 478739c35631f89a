import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { isAppError } from '../../../shared/errors';
import { rowsFromCsv, rowsFromJson } from '../../../shared/model/import-rows';
import { checkValue } from '../../../shared/model/value-rules';

/** One problem of a file, by its line (1-based; the CSV header is line 1). */
export interface LineError {
  line: number;
  message: string;
}

/** A file checked before import: its rows (for the preview) and every problem found. */
export interface ImportCheck {
  rows: Record<string, unknown>[];
  lines: number[];
  errors: LineError[];
}

/** How many problems are listed before "and N more". */
export const MAX_LISTED_ERRORS = 50;

/** `csv` for `.csv` files and text that does not start like JSON, else `json`. */
export function guessFormat(name: string, text: string): 'csv' | 'json' {
  if (/\.csv$/i.test(name)) return 'csv';
  if (/\.(json|jsonl|ndjson)$/i.test(name)) return 'json';
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

/**
 * Parses the file as the core will (shared/model/import-rows.ts) and checks every value with the
 * core's rules, so the preview lists each bad line before anything is written.
 */
export function checkImport(table: TableInfo, format: 'csv' | 'json', text: string): ImportCheck {
  let parsed: { rows: Record<string, unknown>[]; lines: number[] };
  try {
    parsed = format === 'csv' ? rowsFromCsv(table, text) : rowsFromJson(text);
  } catch (e) {
    const line = isAppError(e) && typeof e.details?.line === 'number' ? e.details.line : 1;
    return { rows: [], lines: [], errors: [{ line, message: (e as Error).message }] };
  }
  const errors: LineError[] = [];
  const byName = new Map(table.attributes.map((a) => [a.name, a]));
  parsed.rows.forEach((row, i) => {
    const line = parsed.lines[i] ?? i + 1;
    for (const name of Object.keys(row)) {
      if (!byName.has(name)) errors.push({ line, message: `"${name}" is not an attribute of ${table.full_name}` });
    }
    for (const a of table.attributes) {
      const v = row[a.name];
      if (v === undefined) {
        if (!a.nullable && a.default === null && !a.autoincrement && !a.hidden)
          errors.push({ line, message: `attribute "${a.name}" is required (not nullable)` });
        continue;
      }
      const c = checkValue(a, v);
      if (!c.ok) errors.push({ line, message: `attribute "${a.name}" ${c.reason}` });
    }
  });
  return { ...parsed, errors };
}
