import type { AttributeInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { type AppError, appError, type AppErrorCode, isAppError } from '../../../shared/errors';
import { attributeKind, decimalShape, isBoolAttribute } from '../../../shared/model/attribute-kind';
import { type AttachmentInput, type ValueCheck, valueChecker } from '../../../shared/model/value-rules';
import type { SqlDialect } from '../../../shared/sql/dialect';
import type { Row } from '../db/driver';
import { ExternalValueError, type ExternalWrites } from './external-write';
import { dbEncoder, engineLimit, type BlobCodec } from './values';

/** Says where a row came from in messages: "row 3" by default, "line 4" for a CSV file. */
export type RowLabel = (index: number) => string;
export const rowNumber: RowLabel = (i) => `row ${i + 1}`;

/** How rows are prepared: for which engine, with which blob codec, labelled how. */
export interface PrepareOptions {
  dialect: SqlDialect;
  blobs?: BlobCodec;
  label?: RowLabel;
  /** Where external values go; without it they are refused. */
  external?: ExternalWrites;
}

/** Rows ready to bind: only the attributes given (or needed), values in the engine's form. */
export interface PreparedRows {
  attributes: AttributeInfo[];
  /**
   * All values, row after row (row i, attribute k at `i * attributes.length + k`), so a batch of
   * complete rows is one slice; `undefined` means "not given, use the default".
   */
  values: unknown[];
  /** True when every row gives every attribute. */
  complete: boolean;
}

function rowError(
  table: TableInfo,
  label: RowLabel,
  index: number,
  attribute: string | null,
  reason: string,
  code: AppErrorCode = 'VALIDATION',
): AppError {
  const what = attribute ? `attribute "${attribute}" ${reason}` : reason;
  return appError(code, `${table.full_name}, ${label(index)}: ${what}.`, {
    details: { table: table.full_name, row: index + 1, where: label(index), attribute, reason },
    hint:
      code === 'UNSUPPORTED'
        ? 'Leave the attribute out (or null); nothing was written.'
        : code === 'NOT_FOUND'
          ? 'Configure what is missing, then insert again; nothing was written.'
          : 'Correct the value and insert again; nothing was written.',
  });
}

/** A value that cannot be converted (a plain object, not an Error: no stack is captured per bad value). */
interface Refusal {
  refused: true;
  reason: string;
  code: AppErrorCode;
}
const isRefusal = (e: unknown): e is Refusal => typeof e === 'object' && e !== null && (e as Refusal).refused === true;

/**
 * Checks rows against the heading and converts them to what the engine binds, before anything is
 * sent. Unknown attributes, missing key attributes, missing required values, values of the wrong
 * type or out of range, and values the engine cannot hold are errors naming the table, the row
 * and the attribute. Blobs are encoded here, so a bad blob value is named like any other.
 */
export function prepareRows(table: TableInfo, rows: readonly Row[], opts: PrepareOptions): PreparedRows {
  const label = opts.label ?? rowNumber;
  const present = presentAttributes(table, rows, label);
  // a hidden key (2.x's `_singleton`) takes its default, as an auto_increment key does
  const keyToGive = (a: AttributeInfo) => a.in_key && !a.autoincrement && !a.hidden;
  const attributes = table.attributes.filter((a) => present.has(a.name) || keyToGive(a) || isRequired(a));
  const names = attributes.map((a) => a.name);
  const converters = attributes.map((a) => valueConverter(a, opts));
  const needed = attributes.map((a) =>
    keyToGive(a) ? 'is missing: it is part of the primary key' : isRequired(a) ? 'is missing and has no default' : null,
  );
  const width = names.length;
  const out: unknown[] = new Array(rows.length * width);
  let complete = true;
  for (let i = 0, p = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let k = 0; k < width; k++, p++) {
      const value = row[names[k]!];
      if (value === undefined) {
        if (needed[k]) throw rowError(table, label, i, names[k]!, needed[k]!);
        complete = false;
        continue;
      }
      try {
        out[p] = converters[k]!(value);
      } catch (e) {
        if (!isRefusal(e)) throw e;
        throw rowError(table, label, i, names[k]!, e.reason, e.code);
      }
    }
  }
  return { attributes, values: out, complete };
}

/** Names given by any row; throws on a row that is not an object or names an unknown attribute. */
function presentAttributes(table: TableInfo, rows: readonly Row[], label: RowLabel): Set<string> {
  const known = new Set(table.attributes.map((a) => a.name));
  const present = new Set<string>();
  let previous: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (typeof row !== 'object' || row === null || Array.isArray(row))
      throw rowError(table, label, i, null, 'is not an object of attribute values');
    // rows usually share their attributes: compare with the previous row's names before looking each up
    let j = 0;
    let same = true;
    for (const name in row)
      if (name !== previous[j++]) {
        same = false;
        break;
      }
    if (same && j === previous.length) continue;
    previous = Object.keys(row);
    for (const name of previous) {
      if (present.has(name)) continue;
      if (!known.has(name))
        throw rowError(
          table,
          label,
          i,
          name,
          `is not an attribute of the table (attributes: ${[...known].join(', ')})`,
        );
      present.add(name);
    }
  }
  return present;
}

/** What {@link convertValue} gives: the bound value, or why not. */
export type Converted = { ok: true; value: unknown } | { ok: false; reason: string; code: AppErrorCode };

/** One given value -> the value bound for the engine, or why not (UNSUPPORTED for types Joinery cannot write). */
export function convertValue(a: AttributeInfo, value: unknown, opts: PrepareOptions): Converted {
  try {
    return { ok: true, value: valueConverter(a, opts)(value) };
  } catch (e) {
    if (!isRefusal(e)) throw e;
    return { ok: false, reason: e.reason, code: e.code };
  }
}

/** The attribute's check and encoding worked out once; a bad value throws a {@link Refusal}. */
function valueConverter(a: AttributeInfo, opts: PrepareOptions): (value: unknown) => unknown {
  const kind = attributeKind(a);
  const refuse = (reason: string, code: AppErrorCode = 'VALIDATION'): Refusal => ({ refused: true, reason, code });
  if (kind === 'unsupported') {
    return (value) => {
      if (value === null) return null;
      throw refuse(`has type ${a.datajoint_type}; Joinery cannot write such values yet`, 'UNSUPPORTED');
    };
  }
  const check = valueChecker(a);
  if (kind === 'external') return externalConverter(a, check, opts, refuse);
  const encode = dbEncoder(a, opts.dialect, opts.blobs);
  // only bigint unsigned and long decimals can exceed what an engine such as SQLite holds exactly
  const { maxInteger, decimalDigits } = opts.dialect.values;
  const limited =
    (maxInteger !== null && kind === 'integer' && /^bigint.*unsigned/i.test(a.sql_type)) ||
    (decimalDigits !== null && kind === 'decimal' && decimalShape(a.sql_type).precision > decimalDigits);
  const boolean = opts.dialect.values.booleanColumns && isBoolAttribute(a);
  return (value) => {
    const checked = check(value);
    if (!checked.ok) throw refuse(checked.reason);
    if (checked.value === null) return null;
    if (boolean && checked.value !== 0 && checked.value !== 1)
      throw refuse(
        `is a bool, which ${opts.dialect.label} stores as a boolean: give 0 or 1 (true or false), not ${String(checked.value)}`,
      );
    const limit = limited ? engineLimit(a, checked.value, opts.dialect) : null;
    if (limit) throw refuse(limit);
    try {
      return encode(checked.value);
    } catch (e) {
      if (!isAppError(e)) throw e;
      throw refuse(`cannot be stored: ${e.message}`);
    }
  };
}

/** `blob@store`, `attach@store`, `filepath@store`: the value goes to the store, its hash into the cell. */
function externalConverter(
  a: AttributeInfo,
  check: ValueCheck,
  opts: PrepareOptions,
  refuse: (reason: string, code?: AppErrorCode) => Refusal,
): (value: unknown) => unknown {
  const store = a.store ?? '';
  const boolean = opts.dialect.values.booleanColumns && isBoolAttribute(a);
  return (value) => {
    const checked = check(value);
    if (!checked.ok) throw refuse(checked.reason);
    if (checked.value === null) return null;
    if (boolean && checked.value !== 0 && checked.value !== 1)
      throw refuse(
        `is a bool, which ${opts.dialect.label} stores as a boolean: give 0 or 1 (true or false), not ${String(checked.value)}`,
      );
    if (!opts.external)
      throw refuse(`is kept in the external store "${store}", which cannot be written from here`, 'UNSUPPORTED');
    try {
      if (a.is_attachment) {
        const v = checked.value as AttachmentInput;
        return opts.external.attachment(store, v.filename, Buffer.from(v.base64, 'base64'));
      }
      if (a.is_filepath) return opts.external.filepath(store, checked.value as string);
      if (Buffer.isBuffer(checked.value)) return opts.external.blob(store, checked.value);
      if (!opts.blobs) throw refuse('is a blob, but no blob codec was given', 'INTERNAL');
      return opts.external.blob(store, opts.blobs.encode(checked.value));
    } catch (e) {
      if (e instanceof ExternalValueError) throw refuse(e.reason, e.code);
      if (isAppError(e)) throw refuse(`cannot be stored: ${e.message}`);
      throw e;
    }
  };
}

/** A secondary attribute that must be given: not nullable, no default, not auto-filled. */
function isRequired(a: AttributeInfo): boolean {
  return !a.in_key && !a.nullable && a.default === null && !a.autoincrement;
}
