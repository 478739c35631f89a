/** Parses the restriction box: empty, a JSON object, or a JSON list of objects. */
export function parseRestriction(text: string): {
  value?: Record<string, unknown> | Record<string, unknown>[];
  error?: string;
} {
  if (!text.trim()) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { error: `The restriction is not JSON: ${(e as Error).message}. Write it like {"subject_id": 1}.` };
  }
  const isDict = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isDict(v)) return { value: v as Record<string, unknown> };
  if (Array.isArray(v) && v.every(isDict)) return { value: v as Record<string, unknown>[] };
  return { error: 'The restriction is a JSON object of attribute values, or a list of such objects.' };
}
