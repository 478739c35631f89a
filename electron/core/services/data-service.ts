import type { z } from 'zod';
import type {
  CleanExternalInput,
  DeleteInput,
  DeletePreview,
  DeletePreviewInput,
  ExternalStoreRef,
  FetchInput,
  FetchResult,
  ImportInput,
  ImportResult,
  InsertInput,
  InsertResult,
  UnusedExternal,
  UpdateInput,
} from '../../../shared/api/schemas/data';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { StoreSpec } from '../../../shared/api/schemas/settings';
import { appError } from '../../../shared/errors';
import { deleteCascadeTables } from '../data/cascade-scope';
import { executeDelete, planDelete, previewDelete } from '../data/delete-cascade';
import { cleanUnused, findUnused } from '../data/external-gc';
import type { StoreLookup } from '../data/external-read';
import { fetchRows } from '../data/fetch';
import { importRows } from '../data/import-file';
import { insertRows } from '../data/insert';
import { updateRow } from '../data/update';
import type { BlobCodec } from '../data/values';
import type { EventBus } from '../events/event-bus';
import type { ConnectionService } from './connection-service';
import type { PipelineService } from './pipeline-service';

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  events: EventBus;
  blobs: BlobCodec;
  stores: StoreLookup;
}

/** Rows in and out of tables: insert (rows or a file), fetch, cascading delete with preview, update1. */
export class DataService {
  constructor(private readonly deps: Deps) {}

  async insert(input: z.infer<typeof InsertInput>): Promise<InsertResult> {
    const { db, table } = await this.target(input);
    refuseDirectInsert(table, input.allowDirectInsert);
    const result = await insertRows(db, table, input.rows, {
      onDuplicate: input.onDuplicate,
      blobs: this.deps.blobs,
      stores: this.deps.stores,
    });
    if (result.inserted > 0)
      this.deps.events.emit('data.inserted', {
        connectionId: input.connectionId,
        table: table.full_name,
        rows: result.inserted,
      });
    return result;
  }

  /** A CSV or JSON file's rows; `localFiles` says whether attachment paths may be read from this machine's disk. */
  async import(input: z.infer<typeof ImportInput>, localFiles: boolean): Promise<ImportResult> {
    const { db, table } = await this.target(input);
    refuseDirectInsert(table, input.allowDirectInsert);
    const baseDir = localFiles ? (input.baseDir ?? process.cwd()) : null;
    const result = await importRows(db, table, input.text, {
      format: input.format,
      onDuplicate: input.onDuplicate,
      blobs: this.deps.blobs,
      stores: this.deps.stores,
      baseDir,
    });
    if (result.inserted > 0)
      this.deps.events.emit('data.inserted', {
        connectionId: input.connectionId,
        table: table.full_name,
        rows: result.inserted,
      });
    return result;
  }

  async fetch(input: z.infer<typeof FetchInput>): Promise<FetchResult> {
    const { db, table } = await this.target(input);
    return fetchRows(db, table, { ...input, blobs: this.deps.blobs, stores: this.deps.stores });
  }

  async deletePreview(input: z.infer<typeof DeletePreviewInput>): Promise<DeletePreview> {
    const { db, table } = await this.target(input);
    const tables = await deleteCascadeTables(this.deps.pipeline, input.connectionId);
    return previewDelete(db, planDelete(db, tables, table, input.restriction));
  }

  async delete(input: z.infer<typeof DeleteInput>): Promise<DeletePreview> {
    const { db, table } = await this.target(input);
    const tables = await deleteCascadeTables(this.deps.pipeline, input.connectionId);
    const done = await executeDelete(
      db,
      (tx) => planDelete(tx, tables, table, input.restriction),
      input.expectedTotal,
      input.forceParts,
    );
    if (done.total > 0)
      this.deps.events.emit('data.deleted', { connectionId: input.connectionId, tables: done.tables });
    return done;
  }

  async update(input: z.infer<typeof UpdateInput>): Promise<{ done: true }> {
    const { db, table } = await this.target(input);
    await updateRow(db, table, input.key, input.values, this.deps.blobs, this.deps.stores);
    this.deps.events.emit('data.updated', { connectionId: input.connectionId, table: table.full_name });
    return { done: true };
  }

  /** Objects of an external store that no row references (DataJoint's `external[store].unused()`). */
  async unusedExternal(input: z.infer<typeof ExternalStoreRef>): Promise<UnusedExternal> {
    const db = this.deps.connections.driver(input.connectionId);
    const tables = await this.deps.pipeline.tables(input.connectionId);
    const objects = await findUnused(
      db,
      tables,
      input.schema,
      input.store,
      this.storeSpec(input.store)?.subfolding ?? [2, 2],
    );
    return { schema: input.schema, store: input.store, objects, total_bytes: objects.reduce((n, o) => n + o.size, 0) };
  }

  /** Removes what {@link unusedExternal} listed, if it still is the same number of objects. */
  async cleanExternal(input: z.infer<typeof CleanExternalInput>): Promise<UnusedExternal> {
    const db = this.deps.connections.driver(input.connectionId);
    const tables = await this.deps.pipeline.tables(input.connectionId);
    return cleanUnused(
      db,
      tables,
      input.schema,
      input.store,
      this.storeSpec(input.store),
      input.expectedCount,
      input.keepFiles,
    );
  }

  private storeSpec(name: string): StoreSpec | null {
    try {
      return this.deps.stores.store(name);
    } catch {
      return null;
    }
  }

  private async target(ref: { connectionId: string; schema: string; table: string }) {
    const db = this.deps.connections.driver(ref.connectionId);
    const table = await this.deps.pipeline.table(ref.connectionId, ref.schema, ref.table);
    return { db, table };
  }
}

/** DataJoint's rule: rows of auto-populated tables come from their make (here: their task) unless the caller insists. */
function refuseDirectInsert(table: TableInfo, allowed: boolean): void {
  if (allowed || (table.tier !== 'Imported' && table.tier !== 'Computed')) return;
  throw appError(
    'VALIDATION',
    `${table.class_name} (${table.full_name}) is ${table.tier === 'Imported' ? 'an' : 'a'} ${table.tier} table: its rows come from its task through populate.`,
    {
      details: { table: table.full_name, tier: table.tier },
      hint: 'Run populate for it, or allow a direct insert (CLI --allow-direct-insert; DataJoint: allow_direct_insert=True) if you really mean to write these rows by hand.',
    },
  );
}
