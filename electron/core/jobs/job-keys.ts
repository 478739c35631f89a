import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { encodeBlob, type BlobInput } from '../data/blob';
import { PyTimedelta } from '../data/python/datetime';
import { pyStr } from '../data/python/str';
import type { Row } from '../db/driver';
import { toPython } from './canonical-key-hash';

/** Who holds a reservation: written into `~jobs` (host, pid, user) and into Joinery's lease rows (id). */
export interface WorkerIdentity {
  /** Unique per worker loop: `host:pid:random`. */
  id: string;
  host: string;
  pid: number;
  /** OS user (SQLite); MySQL writes the server's `USER()` as DataJoint does. */
  user: string;
}

/** A fresh identity for one worker loop of this process. */
export function newWorkerIdentity(): WorkerIdentity {
  const host = os.hostname();
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (containers): keep the placeholder
  }
  return { id: `${host}:${process.pid}:${randomBytes(3).toString('hex')}`, host, pid: process.pid, user };
}

/**
 * The `key` blob of a `~jobs` row: DataJoint packs the key dict with the values pymysql fetched,
 * so ints stay ints, dates become datetime.date, and so on; DataJoint Python reads it back as a dict.
 */
export function keyBlob(key: Row, table: Pick<TableInfo, 'attributes'>): Buffer {
  const dict: Record<string, BlobInput> = {};
  for (const [name, value] of Object.entries(key)) {
    const attr = table.attributes.find((a) => a.name === name);
    const py = attr ? toPython(attr, value) : (value as BlobInput);
    // DataJoint 0.14 cannot pack a timedelta at all; its text is the closest readable form
    dict[name] = py instanceof PyTimedelta ? pyStr(py) : (py as BlobInput);
  }
  return Buffer.from(encodeBlob(dict));
}

/** A key as JSON text (big integers are already decimal strings in canonical form). */
export function keyJson(key: Row): string {
  return JSON.stringify(key, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Parses {@link keyJson}; an unreadable text gives an empty key rather than an exception. */
export function parseKeyJson(text: string | null | undefined): Row {
  try {
    const v = JSON.parse(text ?? '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Row) : {};
  } catch {
    return {};
  }
}

const ERROR_MESSAGE_LENGTH = 2047;
const TRUNCATION_APPENDIX = '...truncated';

/** DataJoint's `error_message`: cut to 2047 characters, ending in `...truncated` when cut. */
export function truncateErrorMessage(message: string): string {
  if (message.length <= ERROR_MESSAGE_LENGTH) return message;
  return message.slice(0, ERROR_MESSAGE_LENGTH - TRUNCATION_APPENDIX.length) + TRUNCATION_APPENDIX;
}

/** DataJoint's `error_stack`: the traceback text packed as a dj0 blob string (compressed like DataJoint). */
export function errorStackBlob(stack: string): Buffer {
  return Buffer.from(encodeBlob(stack));
}
