import type { z } from 'zod';
import type {
  CreateSchemaInput,
  DeclareInput,
  DeclareResult,
  DropInput,
  DropPreview,
  TableAddress,
} from '../../../shared/api/schemas/schema';
import { SchemaName } from '../../../shared/api/schemas/schema';
import type { TablePreview, TablePreviewInput } from '../../../shared/api/schemas/designer';
import { appError } from '../../../shared/errors';
import { previewDeclare } from '../../../shared/model/declare-preview';
import { describeTable } from '../../../shared/model/describe';
import { createSchemaDdl } from '../../../shared/sql/ddl';
import { listSchemas } from '../db/catalog/read-catalog';
import type { StoreLookup } from '../data/external-read';
import type { Conventions } from '../../../shared/model/conventions';
import { conventionsBySchema, createLineageDdl } from '../schema/declare-conventions';
import type { EventBus } from '../events/event-bus';
import { declareTables } from '../schema/declare-tables';
import { dropOrder, dropPreview, dropTables } from '../schema/drop-tables';
import type { ConnectionService } from './connection-service';
import type { PipelineService } from './pipeline-service';

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  events: EventBus;
  /** Stores configured on this machine: a 2.x codec naming another store is refused at declare. */
  stores?: StoreLookup;
}

/** Schemas and tables: create, declare, describe, drop. */
export class SchemaService {
  constructor(private readonly deps: Deps) {}

  async createSchema(input: z.infer<typeof CreateSchemaInput>): Promise<{ done: true }> {
    const db = this.deps.connections.driver(input.connectionId);
    if ((await listSchemas(db)).includes(input.name)) {
      throw appError('CONFLICT', `A schema named ${input.name} already exists.`, {
        details: { field: 'name', schema: input.name },
      });
    }
    const conventions = input.conventions ?? (await this.deps.pipeline.newSchemaConventions(input.connectionId));
    // a 2.x schema starts with its `~lineage`, which is also what tells its conventions later
    const ddl = [
      ...createSchemaDdl(db.dialect, input.name),
      ...(conventions === '2' ? createLineageDdl(db, input.name) : []),
    ];
    if (db.dialect.capabilities.transactionalDdl) {
      await db.transaction(async (tx) => {
        for (const s of ddl) await tx.execute(s.sql, s.params);
      });
    } else {
      try {
        for (const s of ddl) await db.execute(s.sql, s.params);
      } catch (e) {
        const undo = db.dialect.ddl.dropSchema(input.name);
        if (undo) await db.execute(undo).catch(() => undefined);
        throw e;
      }
    }
    this.changed(input.connectionId, []);
    return { done: true };
  }

  async declare(input: z.infer<typeof DeclareInput>): Promise<DeclareResult> {
    const db = this.deps.connections.driver(input.connectionId);
    this.deps.pipeline.invalidate(input.connectionId);
    const existing = await this.deps.pipeline.tables(input.connectionId);
    try {
      return await declareTables(db, input.tables, existing, input.adapters, {
        conventions: input.conventions,
        newSchemaConventions: () => this.deps.pipeline.newSchemaConventions(input.connectionId),
        jobMetadata: input.jobMetadata,
        stores: this.deps.stores,
      });
    } finally {
      this.changed(
        input.connectionId,
        input.tables.map((t) => `${t.schema}.${t.class_name}`),
      );
    }
  }

  /** The DDL a declaration would run, or its problems by field and line:column; writes nothing. */
  async preview(input: z.infer<typeof TablePreviewInput>): Promise<TablePreview> {
    const db = this.deps.connections.driver(input.connectionId);
    // the cached catalog (Joinery's own DDL invalidates it at once): the designer calls this per keystroke
    const existing = await this.deps.pipeline.tables(input.connectionId);
    const schemas = new Set(existing.map((t) => t.schema));
    let conventions: Map<string, Conventions>;
    try {
      conventions = await conventionsBySchema(db, validSchemas(input.tables), schemas, input.conventions, () =>
        this.deps.pipeline.newSchemaConventions(input.connectionId),
      );
    } catch (e) {
      return previewDeclare(input.tables, existing, db.dialect.name, input.adapters, { failure: e });
    }
    return previewDeclare(input.tables, existing, db.dialect.name, input.adapters, {
      conventionsOf: (s) => conventions.get(s) ?? '0.14',
    });
  }

  async describe(input: z.infer<typeof TableAddress>): Promise<{ definition: string }> {
    const table = await this.deps.pipeline.table(input.connectionId, input.schema, input.table);
    return { definition: describeTable(table, await this.deps.pipeline.tables(input.connectionId)) };
  }

  async dropPreview(input: z.infer<typeof TableAddress>): Promise<DropPreview> {
    this.deps.pipeline.invalidate(input.connectionId);
    const table = await this.deps.pipeline.table(input.connectionId, input.schema, input.table);
    return dropPreview(dropOrder(await this.deps.pipeline.tables(input.connectionId), table));
  }

  async drop(input: z.infer<typeof DropInput>): Promise<{ done: true }> {
    const db = this.deps.connections.driver(input.connectionId);
    this.deps.pipeline.invalidate(input.connectionId);
    const table = await this.deps.pipeline.table(input.connectionId, input.schema, input.table);
    if (table.master && !input.forcePart) {
      throw appError(
        'VALIDATION',
        `${table.class_name} (${table.full_name}) is a part table of ${table.master}; parts are dropped with their master.`,
        {
          details: { table: table.full_name, master: table.master },
          hint: 'Drop the master table instead, or force dropping the part alone; nothing was dropped.',
        },
      );
    }
    const order = dropOrder(await this.deps.pipeline.tables(input.connectionId), table);
    try {
      await dropTables(db, order, input.confirm);
    } finally {
      this.changed(
        input.connectionId,
        order.map((t) => t.full_name),
      );
    }
    return { done: true };
  }

  private changed(connectionId: string, tables: string[]): void {
    this.deps.pipeline.invalidate(connectionId);
    this.deps.events.emit('pipeline.changed', { connectionId, tables });
  }
}

/** The designer's tables whose schema name is valid (the preview reports the others by field). */
function validSchemas<T extends { schema: string }>(tables: readonly T[]): T[] {
  return tables.filter((t) => SchemaName.safeParse(t.schema).success);
}
