/**
 * What "Export" writes: the rows shown (the current restriction, every page of it) as CSV or JSON.
 * Values keep the core's canonical form, so a file exported here imports back unchanged
 * (`joinery insert`, the import dialog): decimals and dates as text, NULL as an empty CSV field,
 * blobs, attachments and json as their JSON text in CSV.
 */

/** One CSV field, quoted when it holds a comma, quote, or line break (RFC 4180). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // an empty unquoted field means "no value" (NULL) to the importer; an empty string is quoted
  if (text === '') return '""';
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row of attribute names, then one line per row; lines end with CRLF, as RFC 4180 says. */
export function toCsv(attributes: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [attributes.map(csvField).join(',')];
  for (const row of rows) lines.push(attributes.map((a) => csvField(row[a])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** A JSON array of row objects with the attributes in heading order. */
export function toJson(attributes: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const ordered = rows.map((row) => Object.fromEntries(attributes.map((a) => [a, row[a] ?? null])));
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** A file name for an export: `lab.subject.csv`, with characters file systems dislike replaced. */
export function exportFileName(label: string, format: 'csv' | 'json'): string {
  const safe = label.replace(/[^A-Za-z0-9_.#-]+/g, '_').replace(/^_+|_+$/g, '') || 'rows';
  return `${safe.slice(0, 120)}.${format}`;
}
