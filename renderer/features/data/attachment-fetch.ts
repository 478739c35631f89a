import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { api } from '../../api/client';
import type { AttachmentFetcher } from './grid-cell';
import { keyOf } from './table-rights';

/**
 * Downloads of a table's attachments: the grid's query only summarizes them (`{kind, bytes}`),
 * data.fetch of the one row and attribute returns the file (inline up to 16 MiB; external ones
 * from the store's folder on this machine).
 */
export function attachmentFetcherFor(connectionId: string, table: TableInfo) {
  const attachments = new Set(table.attributes.filter((a) => a.is_attachment).map((a) => a.name));
  return (attribute: string, row: Record<string, unknown>): AttachmentFetcher | undefined => {
    if (!attachments.has(attribute)) return undefined;
    return async () => {
      const page = await api.call('data.fetch', {
        connectionId,
        schema: table.schema,
        table: table.table_name,
        restriction: keyOf(table, row),
        attributes: [attribute],
        limit: 1,
      });
      const v = page.rows[0]?.[attribute] as { filename?: string; base64?: string | null; note?: string } | undefined;
      if (!v?.filename) throw new Error('the row or its attachment is gone');
      return { filename: v.filename, base64: v.base64 ?? null, note: v.note };
    };
  };
}
