import { appError, type AppError } from '../errors';

/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF (a lone LF or CR is accepted too),
 * fields in double quotes may hold commas, line breaks and doubled quotes (`""`). A leading BOM is
 * skipped; wholly blank lines are skipped. Pure, so the UI can preview a file before importing it.
 */

/** One data record: the line it starts on (the header is line 1) and its fields. */
export interface CsvRecord {
  line: number;
  /** A field is null when it was empty and unquoted (meaning "no value"); `""` gives an empty string. */
  fields: (string | null)[];
}

/** A parsed file: the header's names and the records after it. */
export interface CsvTable {
  header: string[];
  records: CsvRecord[];
}

/** A CSV error at a line and column (both 1-based). */
export function csvError(message: string, line: number, column: number, hint?: string): AppError {
  return appError('VALIDATION', `CSV line ${line}, column ${column}: ${message}.`, { details: { line, column }, hint });
}

/**
 * Parses CSV text whose first record names the columns. Every record must have as many fields
 * as the header; errors name the line and column and what was expected there.
 */
export function parseCsv(text: string): CsvTable {
  const rows = parseRecords(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const head = rows.shift();
  if (!head) throw csvError('the file is empty; expected a header row of attribute names', 1, 1);
  const header = head.fields.map((f, i) => {
    const name = (f ?? '').trim();
    if (name === '')
      throw csvError(`header field ${i + 1} is empty; expected an attribute name`, head.line, head.columns[i]!);
    return name;
  });
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (seen.has(name)) throw csvError(`the header names "${name}" twice`, head.line, head.columns[i]!);
    seen.add(name);
  });
  const records = rows.map((r) => {
    if (r.fields.length !== header.length) {
      throw csvError(
        `expected ${header.length} fields as in the header, found ${r.fields.length}`,
        r.line,
        r.columns[Math.min(r.fields.length, header.length) - 1] ?? 1,
        'Quote fields that contain commas or line breaks: "a, b".',
      );
    }
    return { line: r.line, fields: r.fields };
  });
  return { header, records };
}

interface RawRecord {
  line: number;
  fields: (string | null)[];
  columns: number[];
}

/** The state machine of RFC 4180; `columns` keeps where each field starts, for messages. */
function parseRecords(text: string): RawRecord[] {
  const out: RawRecord[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const rec: RawRecord = { line, fields: [], columns: [] };
    let blank = true;
    for (;;) {
      rec.columns.push(i - lineStart + 1);
      let field: string | null;
      if (text[i] === '"') {
        const q = { line, column: i - lineStart + 1 };
        let value = '';
        let from = ++i;
        for (;;) {
          const close = text.indexOf('"', i);
          const stop = close < 0 ? n : close;
          for (let k = i; k < stop; k++) {
            const c = text.charCodeAt(k);
            if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) {
              line++;
              lineStart = k + 1;
            }
          }
          if (close < 0) throw csvError('a quoted field is never closed; expected a closing "', q.line, q.column);
          if (text[close + 1] === '"') {
            value += text.slice(from, close + 1);
            i = from = close + 2;
            continue;
          }
          value += text.slice(from, close);
          i = close + 1;
          break;
        }
        const next = text[i];
        if (i < n && next !== ',' && next !== '\n' && next !== '\r') {
          throw csvError(
            `unexpected ${JSON.stringify(next)} after a closing quote; expected a comma or the end of the line`,
            line,
            i - lineStart + 1,
            'Inside a quoted field, write a quote as two quotes: "say ""hi""".',
          );
        }
        field = value;
        blank = false;
      } else {
        let k = i;
        while (k < n) {
          const c = text.charCodeAt(k);
          if (c === 44 || c === 10 || c === 13) break;
          if (c === 34)
            throw csvError(
              'a quote inside an unquoted field; expected the whole field in quotes',
              line,
              k - lineStart + 1,
              'Write "a ""quoted"" word" to include quotes.',
            );
          k++;
        }
        field = k === i ? null : text.slice(i, k);
        if (k > i) blank = false;
        i = k;
      }
      rec.fields.push(field);
      if (text[i] === ',') {
        i++;
        blank = false;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    lineStart = i;
    if (!blank) out.push(rec);
  }
  return out;
}
