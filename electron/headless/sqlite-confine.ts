import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { appError, type AppError } from '../../shared/errors';
import { filePathOf } from '../core/db/url';

/** Where a browser may open or create SQLite files: one folder, plus files the server was started on. */
export interface SqlitePolicy {
  dir: string;
  files: readonly string[];
}

const OPENING = new Set(['connection.open', 'connection.test']);

/**
 * In web mode a browser names SQLite files on the server's disk, so they are confined to the data
 * folder (and the `--db` file the server was started with): `sqlite:/etc/x.db` is refused, and a
 * relative path is taken inside the data folder. Returns the input to dispatch (its URL made
 * absolute), or the error to answer. Other methods and MySQL URLs pass unchanged.
 */
export function confineSqlite(method: string, input: unknown, policy: SqlitePolicy): { input: unknown } | AppError {
  if (!OPENING.has(method) || !input || typeof input !== 'object') return { input };
  const url = (input as { url?: unknown }).url;
  if (typeof url !== 'string') return { input };
  let named: string | null;
  try {
    named = filePathOf(url, policy.dir);
  } catch {
    return { input }; // the core reports a malformed URL itself
  }
  if (named === null) return { input };
  const file = real(named);
  const dir = real(policy.dir);
  const inside = file.startsWith(dir + path.sep);
  if (!inside && !policy.files.some((f) => real(f) === file))
    return appError(
      'FORBIDDEN',
      `In web mode, SQLite files must be inside the data folder ${policy.dir}; ${named} is outside it.`,
      {
        hint: `Choose a file in ${policy.dir}, or start "joinery serve --db sqlite:${named}" on the server.`,
        details: { field: 'url', allowed: policy.dir },
      },
    );
  return { input: { ...input, url: `sqlite:${file}` } };
}

/** The path with symbolic links of its existing part resolved, so a link cannot lead outside. */
function real(p: string): string {
  const abs = path.resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = path.dirname(abs);
  return parent === abs ? abs : path.join(real(parent), path.basename(abs));
}
