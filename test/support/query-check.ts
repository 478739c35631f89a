import { expect } from 'vitest';
import { countQuery, fetchQuery } from '../../electron/core/data/query-exec';
import { AppError } from '../../shared/errors';
import type { QueryNode } from '../../shared/query/ast';
import { type ClassResolver, parseQueryExpression } from '../../shared/query/expression-parser';
import { printQuery } from '../../shared/query/print';
import { type HeadingLookup, orderItems, resolveQuery } from '../../shared/query/resolve';
import type { RQuery } from '../../shared/query/resolved';
import { compileSelect } from '../../shared/sql/dialects/query';
import { type QueryEngines, normalizeRows } from './query-engines';
import { evaluate, type MemoryDb } from './query-evaluator';

/**
 * Runs one query tree on every engine and through the reference evaluator and demands the same
 * rows, the same count and the same second page. Returns false when the resolver refused the
 * query, which must then be a VALIDATION AppError (raised before any SQL exists).
 */
/** Milliseconds spent per engine (and in the evaluator) by {@link checkEverywhere}, for the test's report. */
export const timings: Record<string, number> = {};

const timed = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
  const t0 = performance.now();
  try {
    return await work();
  } finally {
    timings[name] = (timings[name] ?? 0) + performance.now() - t0;
  }
};

export async function checkEverywhere(
  node: QueryNode,
  lookup: HeadingLookup,
  mem: MemoryDb,
  env: QueryEngines,
  where: string,
): Promise<boolean> {
  let r: RQuery;
  try {
    r = resolveQuery(node, lookup);
  } catch (e) {
    expect(e, `${where}: a refused query must be a VALIDATION AppError`).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('VALIDATION');
    return false;
  }
  const page = { order: orderItems([], r.heading), limit: 2, offset: 1 };
  const [expected, expectedPage] = await timed('evaluator', () => [
    normalizeRows(evaluate(r, mem), r.heading),
    normalizeRows(evaluate(r, mem, page), r.heading),
  ]);
  for (const { name, db } of env.engines) {
    const context = () => `${where} on ${name}\nquery: ${JSON.stringify(node)}\nsql: ${compileSelect(name, r).sql}`;
    const [rows, count, paged] = await timed(
      name,
      async () => [await fetchQuery(db, r), await countQuery(db, r), await fetchQuery(db, r, page)] as const,
    ).catch((e: unknown) => {
      throw new Error(`${context()}\n${String(e)}`);
    });
    expect(normalizeRows(rows, r.heading), context()).toEqual(expected);
    expect(count, context()).toBe(expected.length);
    expect(normalizeRows(paged, r.heading), `${context()} (paged)`).toEqual(expectedPage);
  }
  return true;
}

/**
 * The text path: the tree printed in DataJoint's Python syntax and parsed back must mean the
 * same query (same heading, same rows from the evaluator), or be refused just the same.
 */
export function checkRoundTrip(node: QueryNode, lookup: HeadingLookup, resolver: ClassResolver, mem: MemoryDb): void {
  const text = printQuery(node);
  const outcome = (n: () => QueryNode) => {
    try {
      const r = resolveQuery(n(), lookup);
      return { heading: r.heading, rows: normalizeRows(evaluate(r, mem), r.heading) };
    } catch (e) {
      expect(e, text).toBeInstanceOf(AppError);
      return { refused: (e as AppError).code };
    }
  };
  expect(
    outcome(() => parseQueryExpression(text, resolver)),
    text,
  ).toEqual(outcome(() => node));
}
