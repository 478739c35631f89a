import type { z } from 'zod';

/** One validation problem in words: where (`0.tier`, empty for the whole input) and what. */
export interface InputIssue {
  path: string;
  message: string;
}

type Issue = z.core.$ZodIssue;

/**
 * The most telling issue of a failed parse, in words that name the field, the allowed values
 * and the value given. A union (`[...] | {tables: [...]}`) reports the branch that got furthest
 * into the input, rather than zod's bare "Invalid input".
 */
export function firstIssue(error: z.ZodError, input: unknown): InputIssue {
  const issue = deepest(error.issues);
  const path = issue.path.map(String).join('.');
  return { path, message: describe(issue, valueAt(input, issue.path)) };
}

function deepest(issues: readonly Issue[]): Issue {
  let best = issues[0]!;
  for (const issue of issues) {
    const candidate =
      issue.code === 'invalid_union' && issue.errors.length
        ? deepest(
            issue.errors.map((branch) => deepest(branch)).map((i) => ({ ...i, path: [...issue.path, ...i.path] })),
          )
        : issue;
    if (candidate.path.length > best.path.length || best.code === 'invalid_union') best = candidate;
  }
  return best;
}

function describe(issue: Issue, given: unknown): string {
  const field = issue.path.length ? String(issue.path.at(-1)) : 'the input';
  if (issue.code === 'invalid_value' && issue.values.length)
    return `${field} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(given)}`;
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}
