import { AppError, appError } from '../errors';

/**
 * Errors of the query layer: always code VALIDATION, with `details.position` (offset into the text
 * the user typed) so the CLI and the UI can point at the problem; `withLocation` adds line and column
 * once the text is known.
 */

/** Extra facts a query error can carry. */
export interface QueryErrorInfo {
  pos?: number;
  expected?: string | readonly string[];
  attribute?: string;
  hint?: string;
  [key: string]: unknown;
}

/** A VALIDATION error about a query, with the position in the text when known. */
export function queryError(message: string, info: QueryErrorInfo = {}): AppError {
  const { pos, hint, expected, ...rest } = info;
  const details: Record<string, unknown> = { ...rest };
  if (pos !== undefined) details.position = pos;
  if (expected !== undefined) details.expected = typeof expected === 'string' ? expected : [...expected];
  for (const k of Object.keys(details)) if (details[k] === undefined) delete details[k];
  return appError('VALIDATION', message, { details, ...(hint ? { hint } : {}) });
}

/** 1-based line and column of an offset in `text`. */
export function locate(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(pos, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/**
 * Adds line, column and a caret excerpt to an error raised while parsing or checking `text`;
 * other errors pass through unchanged.
 */
export function withLocation(e: unknown, text: string): unknown {
  if (!(e instanceof AppError) || e.code !== 'VALIDATION') return e;
  const pos = e.details?.position;
  if (typeof pos !== 'number' || e.details?.line !== undefined) return e;
  const { line, column } = locate(text, pos);
  const lineText = text.split('\n')[line - 1] ?? '';
  const start = Math.max(0, column - 41);
  const excerpt = lineText.slice(start, start + 80);
  const caret = ' '.repeat(column - 1 - start) + '^';
  const message = `${e.message} (line ${line}, column ${column})`;
  return new AppError({
    code: 'VALIDATION',
    message,
    hint: [e.hint, excerpt, caret].filter((x) => x !== undefined).join('\n  '),
    details: { ...e.details, line, column, excerpt },
  });
}

/** The closest of `candidates` to `name` (edit distance at most 2), for "did you mean" hints. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = 3;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase(), bestDist);
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
