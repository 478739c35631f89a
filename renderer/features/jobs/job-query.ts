import type { RawIn } from '../../../shared/api/contract';
import type { JobFilters } from './jobs-store';

/** Rows per page fetched from the server; only the pages on screen are fetched (and refetched by events). */
export const PAGE_SIZE = 100;

/** The jobs.list input of the filters (everything but the page). */
export function listInput(connectionId: string, f: JobFilters): Omit<RawIn<'jobs.list'>, 'offset' | 'limit'> {
  const [schema, table] = splitTable(f.table);
  return {
    connectionId,
    ...(schema ? { schemas: [schema], table } : {}),
    ...(f.statuses.length ? { statuses: f.statuses } : {}),
    ...(f.worker.trim() ? { worker: f.worker.trim() } : {}),
    ...(f.errorText.trim() ? { error_text: f.errorText.trim() } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    sort: f.sort,
  };
}

/** `schema.table_name` into its two parts ('' gives none). */
export function splitTable(full: string): [string, string] | [] {
  const i = full.indexOf('.');
  return i > 0 ? [full.slice(0, i), full.slice(i + 1)] : [];
}

/** The longest plain fragment of an error signature: text to filter the list by to show one group. */
export function signatureFragment(signature: string): string {
  const parts = signature.split(/<n>|<path>|<hash>|<id>|'…'|\{…\}/).map((p) => p.trim());
  return parts.reduce((best, p) => (p.length > best.length ? p : best), '');
}

/** Jobs to act on, grouped as the selectors want them: one schema and table, with key hashes. */
export interface JobTarget {
  schema: string;
  table: string;
  key_hashes: string[];
}

/** `<schema>.<table_name>:<key_hash>` ids into one target per table. */
export function targetsOf(ids: Iterable<string>): JobTarget[] {
  const byTable = new Map<string, JobTarget>();
  for (const id of ids) {
    const colon = id.lastIndexOf(':');
    const full = id.slice(0, colon);
    const dot = full.indexOf('.');
    let t = byTable.get(full);
    if (!t) byTable.set(full, (t = { schema: full.slice(0, dot), table: full.slice(dot + 1), key_hashes: [] }));
    t.key_hashes.push(id.slice(colon + 1));
  }
  return [...byTable.values()];
}
