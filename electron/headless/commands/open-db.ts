import type { ConnectionSummary } from '../../../shared/api/schemas/connection';
import { AppError, appError } from '../../../shared/errors';
import type { Core } from '../../core/container';
import type { ParsedArgs } from '../args';
import { envPassword } from '../headless-core';
import { callOrThrow } from './call';

/** How a command may create a missing SQLite file. */
export interface CreateOption {
  /** Create it (declare and serve always do; other commands when given `--create`). */
  create?: boolean;
  /** The command has a `--create` flag, so the missing-file error suggests it. */
  offersFlag?: boolean;
}

/** The `--create` flag of a command that opens `--db`. */
export function createFlag(args: ParsedArgs): CreateOption {
  return { create: args.options.has('create'), offersFlag: true };
}

/**
 * Opens `--db` (or the default SQLite database) with the password from the environment, if any.
 * A SQLite file named by `--db` must exist unless the command creates databases (`declare`,
 * `serve`) or is given `--create`: a typo must not leave an empty database behind. The default
 * database is the app's own and is created on first use.
 */
export async function openDb(core: Core, url: string | undefined, opts: CreateOption = {}): Promise<ConnectionSummary> {
  const info = await callOrThrow(core, 'app.info', {});
  try {
    return await callOrThrow(core, 'connection.open', {
      url: url ?? info.defaultDbUrl,
      password: envPassword(),
      mustExist: url !== undefined && !opts.create,
      remember: false,
    });
  } catch (e) {
    if (e instanceof AppError && e.code === 'DB_NOT_FOUND' && /^There is no SQLite file/.test(e.message))
      throw appError('DB_NOT_FOUND', e.message, {
        hint: opts.offersFlag
          ? 'Check the path, or add --create to start an empty database there ("joinery declare --db sqlite:PATH --file defs.json" creates one with its tables).'
          : 'Check the path. "joinery declare --db sqlite:PATH --file defs.json" creates a database with its tables.',
        details: e.details,
      });
    throw e;
  }
}
