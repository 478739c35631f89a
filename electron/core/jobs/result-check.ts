import { JobResult } from '../../../shared/api/schemas/jobs';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import { checkValue } from '../../../shared/model/value-rules';
import { classNameOf } from '../../../shared/model/naming';
import type { Row } from '../db/driver';
import type { TableJob } from './job-context';
import { keyJson } from './job-keys';

/** A result checked against the headings: complete rows (key filled in) ready to insert. */
export interface CheckedResult {
  rows: Row[];
  parts: { table: TableInfo; rows: Row[] }[];
}

function resultError(tj: TableJob, key: Row, message: string, details: Record<string, unknown> = {}) {
  return appError('VALIDATION', `result for ${tj.table.full_name} ${keyJson(key)}: ${message}`, {
    details: { table: tj.table.full_name, key, ...details },
    hint: "Nothing was written; fix the job's result.json.",
  });
}

/**
 * Validates a job's result (result.json content) against the table's and its parts' headings
 * before anything is written: an unknown attribute, a missing required value, a value of the
 * wrong type, a key attribute that contradicts the job's key, an unknown part: each is an error
 * naming it. Rows get the job's key attributes filled in.
 */
export function checkResult(tj: TableJob, key: Row, raw: unknown): CheckedResult {
  const parsed = JobResult.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw resultError(
      tj,
      key,
      `result.json ${issue.path.length ? `at ${issue.path.join('.')}` : ''}: ${issue.message} (expected {"rows": [...], "parts": {"PartName": [...]}})`,
    );
  }
  const rows = withKey(tj, tj.table, key, parsed.data.rows, 'rows');
  if (rows.length === 0)
    throw resultError(tj, key, 'result.json has no rows; a job must make at least one row of its table.');
  if (tj.oneRowPerKey && rows.length > 1)
    throw resultError(
      tj,
      key,
      `result.json has ${rows.length} rows, but one key makes exactly one row of ${tj.table.class_name}.`,
    );
  const parts = Object.entries(parsed.data.parts).map(([name, partRows]) => {
    const part = findPart(tj, name);
    if (!part) {
      const known = tj.parts.map((p) => classNameOf(p.table_name).split('.').pop()!).join(', ') || 'none';
      throw resultError(
        tj,
        key,
        `result.json names a part "${name}" that ${tj.table.class_name} does not have (parts: ${known}).`,
        { part: name },
      );
    }
    return { table: part, rows: withKey(tj, part, key, partRows, `parts.${name}`) };
  });
  return { rows, parts };
}

/** Fills in the key, refuses contradicting key values, and checks each row against `table`'s heading. */
function withKey(tj: TableJob, table: TableInfo, key: Row, rows: readonly Row[], where: string): Row[] {
  return rows.map((row, i) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row))
      throw resultError(tj, key, `result.json ${where}[${i}] is not an object of attribute values.`);
    for (const [name, value] of Object.entries(key)) {
      if (Object.hasOwn(row, name) && row[name] !== undefined && String(row[name]) !== String(value)) {
        throw resultError(
          tj,
          key,
          `result.json ${where}[${i}] sets key attribute "${name}" to ${JSON.stringify(row[name])}, but the job's key has ${JSON.stringify(value)}.`,
          { attribute: name },
        );
      }
    }
    const full = { ...row, ...key };
    checkRow(tj, table, key, full, `${where}[${i}]`);
    return full;
  });
}

/**
 * The checks an insert makes, done before the transaction so that a bad result fails only its
 * own job: unknown attributes, missing key or required attributes, values of the wrong type.
 */
function checkRow(tj: TableJob, table: TableInfo, key: Row, row: Row, where: string): void {
  const known = new Map(table.attributes.map((a) => [a.name, a]));
  for (const name of Object.keys(row)) {
    if (!known.has(name)) {
      throw resultError(
        tj,
        key,
        `result.json ${where}: "${name}" is not an attribute of ${table.full_name} (attributes: ${[...known.keys()].join(', ')}).`,
        { attribute: name, part: table.full_name },
      );
    }
  }
  for (const a of table.attributes) {
    const value = row[a.name];
    if (value === undefined) {
      const required =
        (a.in_key && !a.autoincrement) || (!a.in_key && !a.nullable && a.default === null && !a.autoincrement);
      if (required)
        throw resultError(
          tj,
          key,
          `result.json ${where}: attribute "${a.name}" of ${table.full_name} is missing and has no default.`,
          { attribute: a.name },
        );
      continue;
    }
    const checked = checkValue(a, value);
    if (!checked.ok)
      throw resultError(
        tj,
        key,
        `result.json ${where}: attribute "${a.name}" of ${table.full_name} ${checked.reason}.`,
        { attribute: a.name },
      );
  }
}

/** A part by class name (`Unit`, `SpikeDetection.Unit`) or table name (`__spike_detection__unit`, `unit`). */
function findPart(tj: TableJob, name: string): TableInfo | undefined {
  return tj.parts.find((p) => {
    const cls = classNameOf(p.table_name);
    const suffix = p.table_name.slice(p.table_name.lastIndexOf('__') + 2);
    return name === cls || name === cls.split('.').pop() || name === p.table_name || name === suffix;
  });
}
