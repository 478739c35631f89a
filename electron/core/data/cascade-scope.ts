import type { TableInfo } from '../../../shared/api/schemas/pipeline';

/** Where headings come from (the pipeline service). */
export interface HeadingSource {
  tables(connectionId: string): Promise<TableInfo[]>;
  invalidate(connectionId: string): void;
}

/**
 * Every table of the connection, freshly read: a cascade must see children declared a moment ago
 * by another client, so the heading cache is not trusted for deletes.
 */
export async function deleteCascadeTables(source: HeadingSource, connectionId: string): Promise<TableInfo[]> {
  source.invalidate(connectionId);
  return source.tables(connectionId);
}
