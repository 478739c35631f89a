import type { AppErrorData } from '../../../shared/errors';
import { restrictionLocation, type GridQuery } from './grid-query';

/** A query error as the restriction bar shows it: where in the bar (if it is there) and what is wrong. */
export interface LocatedError {
  line: number | null;
  column: number | null;
  message: string;
  hint?: string;
}

/**
 * The core's error about the whole query text, placed in the restriction bar's own lines and
 * columns; its "(line 1, column 40)" suffix is about the whole text and is dropped.
 */
export function locateQueryError(error: AppErrorData, q: GridQuery): LocatedError {
  const position = error.details?.position;
  const message = error.message.replace(/\s*\(line \d+, column \d+\)$/, '');
  const where = typeof position === 'number' ? restrictionLocation(q, position) : null;
  // the hint's excerpt and caret point into the whole text; keep only the first (explanatory) line
  const hint = error.hint?.split('\n')[0]?.trim() || undefined;
  return { line: where?.line ?? null, column: where?.column ?? null, message, hint };
}
