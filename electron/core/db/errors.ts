import { type AppError, appError, isAppError } from '../../../shared/errors';

/**
 * Driver-native errors -> AppError, once, in the adapter that caught them. Messages say what
 * happened in the user's terms; `details` keeps the engine's code and message for the log.
 */

interface NativeError {
  code?: string;
  errno?: number;
  sqlMessage?: string;
  message?: string;
}

const native = (e: unknown): NativeError =>
  typeof e === 'object' && e !== null ? (e as NativeError) : { message: String(e) };

/** Translates a mysql2 error; `where` names the server for connection errors. */
export function translateMysqlError(e: unknown, where: string): AppError {
  if (isAppError(e)) return e;
  const n = native(e);
  const text = n.sqlMessage ?? n.message ?? 'unknown error';
  const details = { engine: 'mysql', engineCode: n.code, engineMessage: text };
  switch (n.code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_NOT_SUPPORTED_AUTH_MODE':
      return appError(
        'DB_AUTH',
        `The server at ${where} refused the login: ${text}`,
        {
          hint: 'Check the user name and password.',
          details: { ...details, field: 'password' },
        },
        e,
      );
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
    case 'PROTOCOL_CONNECTION_LOST':
      return appError(
        'DB_UNREACHABLE',
        `Cannot reach a MySQL server at ${where} (${n.code}).`,
        {
          hint: 'Check the host name and port, and that the server is running and accepts TCP connections.',
          details: { ...details, field: 'host' },
        },
        e,
      );
    case 'ER_BAD_DB_ERROR':
      return appError('DB_NOT_FOUND', text, { hint: 'Create the schema first, or pick one that exists.', details }, e);
    case 'ER_NO_SUCH_TABLE':
      return appError('NOT_FOUND', text, { details }, e);
    case 'ER_DUP_ENTRY':
      return appError('CONFLICT', text, { details }, e);
    case 'ER_NO_REFERENCED_ROW':
    case 'ER_NO_REFERENCED_ROW_2':
    case 'ER_ROW_IS_REFERENCED':
    case 'ER_ROW_IS_REFERENCED_2':
    case 'ER_BAD_NULL_ERROR':
    case 'ER_NO_DEFAULT_FOR_FIELD':
    case 'ER_DATA_TOO_LONG':
    case 'ER_TRUNCATED_WRONG_VALUE':
    case 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD':
    case 'WARN_DATA_TRUNCATED':
    case 'ER_WARN_DATA_OUT_OF_RANGE':
    case 'ER_CONSTRAINT_FAILED':
      return appError('CONSTRAINT', text, { details }, e);
    case 'ER_LOCK_DEADLOCK':
    case 'ER_LOCK_WAIT_TIMEOUT':
      return appError('DB_LOCKED', text, { hint: 'Another client holds the rows; try again.', details }, e);
    default:
      return appError('DB_QUERY', `The database reported an error: ${text}`, { details }, e);
  }
}

/** Translates a better-sqlite3 error. */
export function translateSqliteError(e: unknown, where: string): AppError {
  if (isAppError(e)) return e;
  const n = native(e);
  const text = n.message ?? 'unknown error';
  const code = n.code ?? '';
  const details = { engine: 'sqlite', engineCode: code, engineMessage: text };
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return appError('CONFLICT', text, { details }, e);
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) return appError('CONSTRAINT', text, { details }, e);
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_LOCKED') || code.startsWith('SQLITE_BUSY')) {
    return appError(
      'DB_LOCKED',
      `The SQLite file ${where} is locked by another writer.`,
      {
        hint: 'Wait for the other program to finish, or close it, then try again.',
        details,
      },
      e,
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return appError(
      'DB_NOT_FOUND',
      `Cannot open the SQLite file ${where}.`,
      {
        hint: 'Check that the folder exists and that you may write to it.',
        details: { ...details, field: 'url' },
      },
      e,
    );
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return appError(
      'DB_NOT_FOUND',
      `${where} is not a SQLite database (or it is damaged).`,
      {
        hint: 'Choose a .db file made by Joinery or SQLite, or a new file name to create one.',
        details: { ...details, field: 'url' },
      },
      e,
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) {
    return appError(
      'FORBIDDEN',
      `The SQLite file ${where} is read-only.`,
      { hint: 'Check the file permissions.', details },
      e,
    );
  }
  if (/no such table/i.test(text)) return appError('NOT_FOUND', text, { details }, e);
  return appError('DB_QUERY', `The database reported an error: ${text}`, { details }, e);
}
