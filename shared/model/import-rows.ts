import type { TableInfo } from '../api/schemas/pipeline';
import { appError } from '../errors';
import { attributeKind } from './attribute-kind';
import { csvError, parseCsv } from './csv';

/**
 * Rows of a CSV or JSON file for one table, each with the file line it came from, so that an
 * insert error can say "line 1234" instead of "row 1233". Values stay as the file gave them
 * (the insert checks and converts them); only what CSV cannot express is interpreted here.
 */
export interface FileRows {
  rows: Record<string, unknown>[];
  /** The 1-based line on which each row starts. */
  lines: number[];
}

/**
 * CSV with a header row of attribute names. An empty unquoted field leaves the attribute out
 * (its default, or null); `""` is an empty string. Blob and attach cells may hold JSON text
 * (`[1, 2, 3]`, `{"filename": ..., "base64": ...}`); other cells are text for the insert to check.
 */
export function rowsFromCsv(table: TableInfo, text: string): FileRows {
  const { header, records } = parseCsv(text);
  const attrs = header.map((name, i) => {
    const a = table.attributes.find((x) => x.name === name);
    if (!a)
      throw csvError(
        `"${name}" is not an attribute of ${table.full_name} (attributes: ${table.attributes.map((x) => x.name).join(', ')})`,
        1,
        i + 1,
      );
    return a;
  });
  const jsonCell = attrs.map((a) => {
    const k = attributeKind(a);
    return k === 'blob' || k === 'attach';
  });
  const rows = records.map((r) => {
    const row: Record<string, unknown> = {};
    r.fields.forEach((f, i) => {
      if (f === null) return;
      row[header[i]!] = jsonCell[i] ? jsonOrText(f) : f;
    });
    return row;
  });
  return { rows, lines: records.map((r) => r.line) };
}

function jsonOrText(text: string): unknown {
  const t = text.trim();
  if (!/^[[{"\d-]|^(true|false|null)$/.test(t)) return text;
  try {
    return JSON.parse(t);
  } catch {
    return text;
  }
}

/** A JSON array of row objects, or JSON Lines (one object per line). */
export function rowsFromJson(text: string): FileRows {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trimStart().startsWith('[')) {
    const rows = parseJsonAt(body, 1);
    if (!Array.isArray(rows)) throw jsonError('expected an array of row objects', 1);
    const lines = elementLines(body);
    rows.forEach((r, i) => {
      if (!isObject(r)) throw jsonError(`element ${i + 1} is not an object of attribute values`, lines[i] ?? 1);
    });
    return { rows, lines };
  }
  const rows: Record<string, unknown>[] = [];
  const lines: number[] = [];
  body.split(/\r?\n/).forEach((l, i) => {
    if (!l.trim()) return;
    const row = parseJsonAt(l, i + 1);
    if (!isObject(row))
      throw jsonError('expected an object of attribute values (JSON Lines), or a whole file that is one array', i + 1);
    rows.push(row);
    lines.push(i + 1);
  });
  if (rows.length === 0) throw jsonError('the file holds no rows', 1);
  return { rows, lines };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonError(message: string, line: number, column?: number) {
  return appError('VALIDATION', `JSON line ${line}${column ? `, column ${column}` : ''}: ${message}.`, {
    details: { line, column },
  });
}

/** JSON.parse with the error's position turned into a line and column of the file. */
function parseJsonAt(text: string, firstLine: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    if (!pos) throw jsonError(message, firstLine);
    const before = text.slice(0, Number(pos[1]));
    const nl = before.lastIndexOf('\n');
    throw jsonError(
      message.replace(/ in JSON at position \d+.*$/, ''),
      firstLine + (before.match(/\n/g)?.length ?? 0),
      before.length - nl,
    );
  }
}

/** The line on which each element of a top-level JSON array starts (the text is valid JSON). */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') continue;
    if (depth === 1 && expectElement && c !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expectElement = true;
      continue;
    }
    if (c === ']' || c === '}') {
      depth--;
      continue;
    }
    if (c === ',' && depth === 1) expectElement = true;
  }
  return lines;
}
