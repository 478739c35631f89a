/**
 * The signature of a job's error message: the message with what varies from key to key masked
 * (numbers, paths, hashes, quoted values, key dicts), so that failures with one cause fall into
 * one group and one fix can be retried in bulk.
 */

const MAX_SIGNATURE = 4096;

// order matters: larger shapes first, so a path's digits or a dict's values are not masked piecemeal
const MASKS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\{[^{}]*\}/g, '{…}'], // key dicts, JSON objects
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  [/(?:[A-Za-z]:\\|~\/|\.{0,2}\/)(?:[^\s'":,;()]+)/g, '<path>'], // /abs, ./rel, ../rel, ~/home, C:\win
  [/\b[0-9a-f]{8,}\b/gi, '<hash>'],
  [/'[^'\n]*'|"[^"\n]*"/g, "'…'"], // quoted values (keys, file names)
  [/[-+]?\b\d+(?:[.,]\d+)*(?:e[-+]?\d+)?\b/gi, '<n>'],
];

/** The error signature of `message`: varying parts masked, whitespace collapsed. */
export function errorSignature(message: string): string {
  let s = message;
  for (const [pattern, mask] of MASKS) s = s.replace(pattern, mask);
  return s.replace(/\s+/g, ' ').trim().slice(0, MAX_SIGNATURE);
}
