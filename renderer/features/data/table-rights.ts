import type { TableInfo } from '../../../shared/api/schemas/pipeline';

/**
 * Who fills a table, as DataJoint has it: Manual and Lookup rows are entered by people; Imported
 * and Computed rows come from populate, so writing them by hand needs `allow_direct_insert`. A
 * part table follows its master.
 */
export function isAutoPopulated(table: Pick<TableInfo, 'tier' | 'master'>, tables: readonly TableInfo[]): boolean {
  const tier = table.tier === 'Part' ? (tables.find((t) => t.full_name === table.master)?.tier ?? null) : table.tier;
  return tier === 'Imported' || tier === 'Computed';
}

/** The primary key of a fetched row (the values that find it for update and delete). */
export function keyOf(table: Pick<TableInfo, 'primary_key'>, row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(table.primary_key.map((k) => [k, row[k] ?? null]));
}
