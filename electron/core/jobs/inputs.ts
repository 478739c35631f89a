import { createHash } from 'node:crypto';
import { decodeRow, type BlobCodec } from '../data/values';
import type { DbSession, Row } from '../db/driver';
import type { InputPlan } from './job-context';
import { columns, keysIn } from './job-sql';
import { stableJson } from './task-store';
import { NO_STORES, readExternalValues, type StoreLookup } from '../data/external-read';

/**
 * The declared inputs of one job: for each input, the rows of that table matching the job's key
 * on the attributes they share (the whole table when they share none, as for a lookup table),
 * blobs decoded to typed JSON, external values read from their stores: the container contract's inputs.json.
 */
export async function fetchInputs(
  db: DbSession,
  plans: readonly InputPlan[],
  key: Row,
  blobs: BlobCodec,
  stores?: StoreLookup,
): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const p of plans) {
    const cond = keysIn(db.dialect, p.shared, p.shared.length ? [key] : []);
    const where = p.shared.length ? ` WHERE ${cond.sql}` : '';
    const order = p.table.primary_key.length ? ` ORDER BY ${columns(db.dialect, p.table.primary_key)}` : '';
    const raw = await db.query(
      `SELECT ${columns(
        db.dialect,
        p.attrs.map((a) => a.name),
      )} FROM ${db.dialect.qualify(p.table.schema, p.table.table_name)}${where}${order}`,
      cond.params,
    );
    const rows = raw.map((r) => decodeRow(p.attrs, r, blobs));
    if (p.attrs.some((a) => a.is_external))
      await readExternalValues(db, p.table, p.attrs, rows, stores ?? NO_STORES, blobs);
    out[p.table.full_name] = rows;
  }
  return out;
}

/**
 * The input fingerprint recorded in provenance: md5 of everything a job receives from the
 * database (its key and its declared inputs), so equal fingerprints mean equal inputs. Task
 * version and parameters are recorded beside it.
 */
export function inputFingerprint(key: Row, inputs: Record<string, Row[]>): string {
  return createHash('md5').update(stableJson({ key, inputs })).digest('hex');
}
