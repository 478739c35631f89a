import type { z } from 'zod';
import type { CreateSampleInput, SampleCreated } from '../../../shared/api/schemas/designer';
import { TaskSpec } from '../../../shared/api/schemas/task';
import { AppError, appError, isAppError } from '../../../shared/errors';
import { listSchemas } from '../db/catalog/read-catalog';
import { dropWholeSchema } from '../db/drop-schema';
import { forgetJobTables } from '../jobs/job-tables';
import { writeTask } from '../jobs/task-store';
import { dropTables } from '../schema/drop-tables';
import { SAMPLE_COMPUTED, SAMPLE_ROWS, SAMPLE_TASK, sampleTables } from '../schema/sample-pipeline';
import type { ConnectionService } from './connection-service';
import type { DataService } from './data-service';
import type { PipelineService } from './pipeline-service';
import type { SchemaService } from './schema-service';

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  schema: SchemaService;
  data: DataService;
}

/** Builds the first-run sample pipeline (see sample-pipeline.ts): tables, rows and the Computed table's task. */
export class SampleService {
  constructor(private readonly deps: Deps) {}

  /**
   * Declares the sample's tables (all or nothing), inserts its rows and stores its task. A later
   * step that fails drops what the earlier ones made, so the schema is either whole or absent.
   */
  async create(input: z.infer<typeof CreateSampleInput>): Promise<SampleCreated> {
    const db = this.deps.connections.driver(input.connectionId);
    if ((await listSchemas(db)).includes(input.schema)) {
      throw appError(
        'CONFLICT',
        `A schema named ${input.schema} already exists, so the sample pipeline was not created.`,
        {
          details: { field: 'schema', schema: input.schema },
          hint: `Open ${input.schema} on the Pipeline page, or drop its tables first to build the sample again.`,
        },
      );
    }
    const conventions = input.conventions ?? (await this.deps.pipeline.newSchemaConventions(input.connectionId));
    const { declared } = await this.deps.schema.declare({
      connectionId: input.connectionId,
      tables: sampleTables(input.schema, conventions),
      adapters: {},
      conventions,
      jobMetadata: false,
    });
    try {
      return { ...(await this.fill(input.connectionId, input.schema)), tables: declared };
    } catch (e) {
      await this.undo(input.connectionId, input.schema).catch(() => undefined);
      const data = isAppError(e) ? e.toData() : { code: 'INTERNAL' as const, message: String(e) };
      throw new AppError(
        {
          ...data,
          message: `The sample pipeline could not be filled (${data.message}); its tables were removed again.`,
          hint: data.hint ?? 'Nothing was left behind; try again, or look at the database log.',
        },
        { cause: e },
      );
    }
  }

  private async fill(connectionId: string, schema: string): Promise<Omit<SampleCreated, 'tables'>> {
    const tables = (await this.deps.pipeline.tables(connectionId)).filter((t) => t.schema === schema);
    const byClass = (name: string) => tables.find((t) => t.class_name === name)!;
    let rows = 0;
    for (const [cls, data] of SAMPLE_ROWS) {
      const r = await this.deps.data.insert({
        connectionId,
        schema,
        table: byClass(cls).table_name,
        rows: data,
        onDuplicate: 'error',
        allowDirectInsert: false,
      });
      rows += r.inserted;
    }
    const computed = byClass(SAMPLE_COMPUTED);
    await writeTask(this.deps.connections.driver(connectionId), computed, TaskSpec.parse(SAMPLE_TASK));
    return { schema, rows, computed: computed.full_name };
  }

  /** Drops the sample's tables again (children first). */
  private async undo(connectionId: string, schema: string): Promise<void> {
    const db = this.deps.connections.driver(connectionId);
    this.deps.pipeline.invalidate(connectionId);
    const order = (await this.deps.pipeline.tables(connectionId)).filter((t) => t.schema === schema).reverse();
    await dropTables(
      db,
      order,
      order.map((t) => t.full_name),
    );
    await dropWholeSchema(db, schema);
    forgetJobTables(db, schema);
    this.deps.pipeline.invalidate(connectionId);
  }
}
