import type { z } from 'zod';
import type {
  JobPlan,
  PlanInput,
  ProvenanceInfo,
  ProvenanceInput,
  RunInfo,
  RunsInput,
  StaleInput,
  StaleList,
} from '../../../shared/api/schemas/jobs';
import type { StoreLookup } from '../data/external-read';
import type { BlobCodec } from '../data/values';
import { findStale, readProvenance, readRuns } from '../jobs/history';
import { buildTableJobs } from '../jobs/job-context';
import { planJobs } from '../jobs/plan';
import { readTasksOf } from '../jobs/task-store';
import type { ConnectionService } from './connection-service';
import type { PipelineService } from './pipeline-service';

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  blobs: BlobCodec;
  stores: StoreLookup;
}

/** History and provenance of jobs: attempts, how keys were computed, what went stale, and plans of staged data. */
export class JobHistoryService {
  constructor(private readonly deps: Deps) {}

  /** Attempts of jobs, newest first. */
  async runs(input: z.infer<typeof RunsInput>): Promise<{ runs: RunInfo[] }> {
    const db = this.deps.connections.driver(input.connectionId);
    return {
      runs: await readRuns(db, input.schema, { table: input.table, keyHash: input.key_hash, limit: input.limit }),
    };
  }

  /** How a table's keys were computed. */
  async provenance(input: z.infer<typeof ProvenanceInput>): Promise<{ rows: ProvenanceInfo[] }> {
    const db = this.deps.connections.driver(input.connectionId);
    await this.deps.pipeline.table(input.connectionId, input.schema, input.table);
    return { rows: await readProvenance(db, input.schema, input.table, input.key_hashes, input.limit) };
  }

  /** Computed rows whose declared inputs (or task) changed since they were made. */
  async stale(input: z.infer<typeof StaleInput>): Promise<z.infer<typeof StaleList>> {
    const db = this.deps.connections.driver(input.connectionId);
    const tables = await this.deps.pipeline.tables(input.connectionId);
    const tasks = await readTasksOf(db, tables, input.schema);
    const { jobs } = buildTableJobs(db.dialect, tables, tasks, { schema: input.schema, table: input.table });
    const rows = [];
    for (const tj of jobs) rows.push(...(await findStale(db, tj, this.deps.blobs, this.deps.stores)));
    return { rows };
  }

  /** The DAG of jobs that would follow from staged rows of an upstream table. */
  async plan(input: z.infer<typeof PlanInput>): Promise<JobPlan> {
    const db = this.deps.connections.driver(input.connectionId);
    const staged = await this.deps.pipeline.table(input.connectionId, input.schema, input.table);
    return planJobs(db, await this.deps.pipeline.tables(input.connectionId), staged, input.restriction);
  }
}
