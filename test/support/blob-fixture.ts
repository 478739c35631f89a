import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { externalObjectPath } from '../../electron/core/data/external-path';
import type { TypedJson } from '../../electron/core/data/blob';

/**
 * The DataJoint reference fixture for blob tests: expected.json, the raw cell bytes parsed straight
 * out of the mysqldump (so no database, and no race with other suites loading the same dump), and
 * the file store of external blobs. JOINERY_FIXTURES overrides the fixture folder.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE_DIR = process.env.JOINERY_FIXTURES ?? path.resolve(repoRoot, '../shared/fixtures');
export const STORE_DIR = path.join(FIXTURE_DIR, 'datajoint-reference-store');

export interface SerializedFacts {
  length: number;
  md5: string;
  compressed: boolean;
  protocol: 'mYm' | 'dj0';
  first_type_code: string;
  raw_hex?: string;
  uncompressed_length?: number;
}

export interface BlobSample {
  table: string;
  key: Record<string, number | string>;
  attribute: string;
  note: string;
  external_store?: string;
  stored_in_row?: { uuid: string };
  serialized: SerializedFacts;
  decoded: unknown;
}

export interface FixtureJob {
  table_name: string;
  key_hash: string;
  key_hash_recomputed: string;
  status: string;
  key: unknown;
  key_plain: Record<string, number | string>;
  key_blob: SerializedFacts;
  error_stack_blob: SerializedFacts | null;
  error_stack_first_line: string | null;
}

export interface ExpectedFixture {
  blob_samples: BlobSample[];
  schemas: Record<string, { jobs: FixtureJob[] | null }>;
}

let expected: ExpectedFixture | undefined;
/** datajoint-reference.expected.json, parsed once. */
export function loadExpected(): ExpectedFixture {
  expected ??= JSON.parse(
    readFileSync(path.join(FIXTURE_DIR, 'datajoint-reference.expected.json'), 'utf8'),
  ) as ExpectedFixture;
  return expected;
}

/** A dumped value: NULL, a quoted string, a number's text, or 0x-hex bytes. */
export type SqlValue = null | string | Uint8Array;

export interface DumpTable {
  columns: string[];
  rows: SqlValue[][];
}

/** Reads one quoted SQL string starting at `i` (the quote); returns the value and the index after it. */
function readQuoted(s: string, i: number): [string, number] {
  const escapes: Record<string, string> = { '0': '\0', n: '\n', r: '\r', t: '\t', b: '\b', Z: '\x1a' };
  let out = '';
  for (i++; s[i] !== "'"; i++) {
    if (s[i] === '\\') {
      i++;
      out += escapes[s[i]!] ?? s[i];
    } else out += s[i];
  }
  return [out, i + 1];
}

const TOKEN = /NULL|0x[0-9A-Fa-f]*|[-+0-9.eE]+/y;

/** Parses `(v, ...),(v, ...)` of an INSERT statement. */
function parseTuples(s: string): SqlValue[][] {
  const rows: SqlValue[][] = [];
  let row: SqlValue[] = [];
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '(') {
      row = [];
      i++;
    } else if (c === ')') {
      rows.push(row);
      i++;
    } else if (c === ',' || c === ';' || /\s/.test(c)) {
      i++;
    } else if (c === "'") {
      const [v, next] = readQuoted(s, i);
      row.push(v);
      i = next;
    } else {
      TOKEN.lastIndex = i;
      const token = TOKEN.exec(s)?.[0];
      if (!token) throw new Error(`dump parse error near ${s.slice(i, i + 40)}`);
      row.push(
        token === 'NULL' ? null : token.startsWith('0x') ? Uint8Array.from(Buffer.from(token.slice(2), 'hex')) : token,
      );
      i += token.length;
    }
  }
  return rows;
}

let dump: Map<string, DumpTable> | undefined;
/** Every table of the dump as `db.table` -> columns and rows. */
export function loadDump(): Map<string, DumpTable> {
  if (dump) return dump;
  dump = new Map();
  const lines = readFileSync(path.join(FIXTURE_DIR, 'datajoint-reference.sql'), 'utf8').split('\n');
  let db = '';
  let creating: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const use = /^USE `([^`]+)`;/.exec(line);
    if (use) db = use[1]!;
    const create = /^CREATE TABLE `([^`]+)`/.exec(line);
    if (create) {
      creating = [];
      dump.set(`${db}.${create[1]!}`, { columns: creating, rows: [] });
      continue;
    }
    if (creating) {
      const col = /^ {2}`([^`]+)` /.exec(line);
      if (col) creating.push(col[1]!);
      else if (line.startsWith(')')) creating = null;
    }
    const insert = /^INSERT INTO `([^`]+)` VALUES/.exec(line);
    if (insert) {
      let stmt = '';
      for (; i < lines.length; i++) {
        stmt += lines[i]! + '\n';
        if (/\);\s*$/.test(lines[i]!)) break;
      }
      dump.get(`${db}.${insert[1]!}`)!.rows.push(...parseTuples(stmt.slice(stmt.indexOf('VALUES') + 6)));
    }
  }
  return dump;
}

/** The raw value of one cell, found by primary-key values (compared as text). */
export function cell(table: string, key: Record<string, unknown>, attribute: string): SqlValue {
  const t = loadDump().get(table);
  if (!t) throw new Error(`no table ${table} in the dump`);
  const at = (name: string): number => {
    const i = t.columns.indexOf(name);
    if (i < 0) throw new Error(`no column ${name} in ${table}`);
    return i;
  };
  const row = t.rows.find((r) => Object.entries(key).every(([k, v]) => r[at(k)] === String(v)));
  if (!row) throw new Error(`no row ${JSON.stringify(key)} in ${table}`);
  return row[at(attribute)]!;
}

/** The stored blob bytes of a sample: the cell itself, or the external object its uuid names. */
export function sampleBytes(sample: BlobSample): Uint8Array {
  const value = cell(sample.table, sample.key, sample.attribute);
  if (!(value instanceof Uint8Array)) throw new Error(`cell of ${sample.table}.${sample.attribute} is not binary`);
  if (!sample.external_store) return value;
  const database = sample.table.split('.')[0]!;
  return Uint8Array.from(
    readFileSync(path.join(STORE_DIR, externalObjectPath(database, Buffer.from(value).toString('hex')))),
  );
}

/**
 * Maps Joinery's typed JSON onto the fixture's form, which shows what DataJoint's numpy decoding
 * yields: a MATLAB char vector becomes dtype "unicode", shape [1], the joined text (other char
 * arrays keep their shape as "unicode"), and a cell of char vectors becomes a cell of str (numpy
 * fuses them into one str array). Nothing else differs for the fixture's samples.
 */
export function toReferenceForm(j: TypedJson): unknown {
  switch (j.type) {
    case 'ndarray': {
      if (j.dtype !== 'char' || !('values' in j))
        return 'values' in j && j.dtype === 'object' ? { ...j, values: mapNested(j.values) } : j;
      const vector = j.shape.length === 1 || (j.shape.length === 2 && j.shape[0] === 1);
      if (!vector) return { ...j, dtype: 'unicode' };
      return { type: 'ndarray', dtype: 'unicode', shape: [1], values: [(j.values as string[][]).flat(2).join('')] };
    }
    case 'cell':
      return { ...j, items: j.items.map((x) => charVectorAsStr(x) ?? toReferenceForm(x)) };
    case 'struct':
      return {
        ...j,
        records: j.records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toReferenceForm(v)]))),
      };
    case 'recarray':
      return { ...j, fields: Object.fromEntries(Object.entries(j.fields).map(([k, v]) => [k, toReferenceForm(v)])) };
    case 'list':
    case 'tuple':
    case 'set':
      return { ...j, items: j.items.map(toReferenceForm) };
    case 'dict':
      return { ...j, items: j.items.map(([k, v]) => [toReferenceForm(k), toReferenceForm(v)]) };
    default:
      return j;
  }
}

function mapNested(v: unknown): unknown {
  return Array.isArray(v) ? v.map(mapNested) : toReferenceForm(v as TypedJson);
}

function charVectorAsStr(j: TypedJson): unknown {
  const ref = toReferenceForm(j) as { dtype?: string; shape?: number[]; values?: unknown };
  if (j.type !== 'ndarray' || ref.dtype !== 'unicode' || ref.shape?.length !== 1) return undefined;
  return { type: 'str', value: (ref.values as string[])[0] };
}

/**
 * The inverse of {@link toReferenceForm} for the fixture's values: a "unicode" vector becomes the
 * 1-d MATLAB char array numpy's `dtype='c'` arrays are, and a str inside a cell becomes one too
 * (mYm cells cannot hold str). Lets tests build each sample from its expected value alone.
 */
export function fromReferenceForm(j: unknown, inCell = false): unknown {
  if (Array.isArray(j)) return j.map((x) => fromReferenceForm(x));
  if (typeof j !== 'object' || j === null) return j;
  const o = j as Record<string, unknown>;
  const chars = (text: string): unknown => ({
    type: 'ndarray',
    dtype: 'char',
    shape: [text.length],
    values: [...text],
  });
  if (o.type === 'ndarray' && o.dtype === 'unicode') return chars((o.values as string[])[0]!);
  if (o.type === 'str' && inCell) return chars(o.value as string);
  if (o.type === 'cell') return { ...o, items: (o.items as unknown[]).map((x) => fromReferenceForm(x, true)) };
  if (o.type === 'ndarray' && o.dtype !== 'object') return o;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fromReferenceForm(v)]));
}
