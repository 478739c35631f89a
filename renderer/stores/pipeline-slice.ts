import type { PipelineInfo } from '../../shared/api/schemas/pipeline';
import type { AppErrorData } from '../../shared/errors';
import { toErrorData } from '../lib/app-errors';
import type { SliceCreator } from './store-types';

export interface PipelineState {
  /** The connection `info` belongs to; a different current connection means "not loaded". */
  connectionId: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  info: PipelineInfo | null;
  error: AppErrorData | null;
  /** `<schema>.<table_name>` of the selected table. */
  selected: string | null;
}

export interface PipelineSlice {
  pipeline: PipelineState;
  /** pipeline.inspect for a connection; skipped when already loaded or loading unless `force`. */
  loadPipeline(connectionId: string, opts?: { force?: boolean }): Promise<void>;
  selectTable(key: string | null): void;
}

/** The key of a table in the pipeline screens and the `data-table` attribute. */
export function tableKey(schema: string, tableName: string): string {
  return `${schema}.${tableName}`;
}

export const createPipelineSlice: SliceCreator<PipelineSlice> = (set, get, { api }) => {
  let request = 0;
  const patch = (p: Partial<PipelineState>) => set((s) => ({ pipeline: { ...s.pipeline, ...p } }));

  return {
    pipeline: { connectionId: null, status: 'idle', info: null, error: null, selected: null },

    async loadPipeline(connectionId, opts = {}) {
      const current = get().pipeline;
      const same = current.connectionId === connectionId;
      if (same && !opts.force && (current.status === 'loading' || current.status === 'ready')) return;
      const mine = ++request;
      patch({
        connectionId,
        status: 'loading',
        error: null,
        // a refresh keeps the old picture and selection until the new one arrives
        ...(same ? {} : { info: null, selected: null }),
      });
      try {
        const info = await api.call('pipeline.inspect', { connectionId });
        if (mine !== request) return; // a newer load (another connection) won
        const selected = get().pipeline.selected;
        const stillThere =
          selected !== null &&
          Object.values(info.schemas).some((s) =>
            s.tables.some((t) => tableKey(s.database, t.table_name) === selected),
          );
        patch({ status: 'ready', info, selected: stillThere ? selected : null });
      } catch (e) {
        if (mine !== request) return;
        patch({ status: 'error', error: toErrorData(e) });
      }
    },

    selectTable(key) {
      patch({ selected: key });
    },
  };
};
