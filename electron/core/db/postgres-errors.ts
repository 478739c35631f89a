import { type AppError, appError, isAppError } from '../../../shared/errors';

/** The fields of a pg error this translation reads (SQLSTATE in `code`). */
interface PgError {
  code?: string;
  message?: string;
  detail?: string;
}

/** SQLSTATE -> the AppError code the MySQL and SQLite drivers give for the same failure. */
const BY_SQLSTATE: Record<string, 'CONFLICT' | 'CONSTRAINT' | 'NOT_FOUND' | 'DB_LOCKED'> = {
  '23505': 'CONFLICT', // unique_violation
  '23503': 'CONSTRAINT', // foreign_key_violation
  '23502': 'CONSTRAINT', // not_null_violation
  '23514': 'CONSTRAINT', // check_violation (Joinery's unsigned and range checks)
  '22001': 'CONSTRAINT', // string_data_right_truncation
  '22003': 'CONSTRAINT', // numeric_value_out_of_range
  '22007': 'CONSTRAINT', // invalid_datetime_format
  '22008': 'CONSTRAINT', // datetime_field_overflow
  '22P02': 'CONSTRAINT', // invalid_text_representation (a bad number or enum value)
  '42P01': 'NOT_FOUND', // undefined_table
  '40P01': 'DB_LOCKED', // deadlock_detected
  '55P03': 'DB_LOCKED', // lock_not_available
  '40001': 'DB_LOCKED', // serialization_failure
};

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Translates a node-postgres error; `where` names the server and database for connection errors. */
export function translatePostgresError(e: unknown, where: string): AppError {
  if (isAppError(e)) return e;
  const n: PgError = typeof e === 'object' && e !== null ? (e as PgError) : { message: String(e) };
  const text = [n.message ?? 'unknown error', n.detail].filter(Boolean).join(' — ');
  const details = { engine: 'postgres', engineCode: n.code, engineMessage: text };
  const code = n.code ?? '';
  if (code === '28P01' || code === '28000' || /password authentication/i.test(text)) {
    return appError(
      'DB_AUTH',
      `The server at ${where} refused the login: ${text}`,
      { hint: 'Check the user name and password (JOINERY_DB_PASSWORD).', details: { ...details, field: 'password' } },
      e,
    );
  }
  if (UNREACHABLE.has(code) || /timeout expired|Connection terminated/i.test(text)) {
    return appError(
      'DB_UNREACHABLE',
      `Cannot reach a PostgreSQL server at ${where} (${code || text}).`,
      {
        hint: 'Check the host name and port, and that the server is running and accepts TCP connections.',
        details: { ...details, field: 'host' },
      },
      e,
    );
  }
  if (code === '3D000' || code === '3F000') {
    return appError(
      'DB_NOT_FOUND',
      text,
      { hint: 'Create the database (or schema) first, or pick one that exists.', details },
      e,
    );
  }
  const mapped = BY_SQLSTATE[code];
  if (mapped === 'DB_LOCKED') {
    return appError('DB_LOCKED', text, { hint: 'Another client holds the rows; try again.', details }, e);
  }
  if (mapped) return appError(mapped, text, { details }, e);
  return appError('DB_QUERY', `The database reported an error: ${text}`, { details }, e);
}
