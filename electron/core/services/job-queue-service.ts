import type { z } from 'zod';
import type {
  ErrorGroup,
  ErrorGroupsInput,
  JobSelector,
  JobsListInput,
  JobsPendingInput,
  JobView,
  PriorityInput,
  TableJobs,
} from '../../../shared/api/schemas/jobs';
import type { Row } from '../db/driver';
import type { EventBus } from '../events/event-bus';
import { cancelJobs, ignoreJobs, prioritizeJobs, retryJobs, selectJobs } from '../jobs/job-actions';
import { newWorkerIdentity } from '../jobs/job-keys';
import { readLeaseRows } from '../jobs/job-state';
import { listJobsPage } from '../jobs/job-list-query';
import { readErrorGroups } from '../jobs/error-groups';
import { readTasks } from '../jobs/task-store';
import type { ConnectionService } from './connection-service';
import type { PipelineService } from './pipeline-service';

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  events: EventBus;
  /** Decodes a job queue's key blob. */
  decodeKey: (bytes: Buffer) => Row | null;
  /** DataJoint's error stack blob as text. */
  decodeStack?: (bytes: Buffer) => string | null;
}

/**
 * The job queue as people see and steer it: jobs of the shared queue and Joinery's leases,
 * pending work per table, and the actions retry, ignore, cancel and priority.
 */
export class JobQueueService {
  constructor(private readonly deps: Deps) {}

  /** One page of the jobs known to the job queue or to Joinery, filtered and sorted in the database, with the total. */
  async list(input: z.infer<typeof JobsListInput>): Promise<{ jobs: JobView[]; total: number }> {
    const db = this.deps.connections.driver(input.connectionId);
    const { connectionId: _c, schemas: _s, ...filters } = input;
    return listJobsPage(db, await this.schemasOf(input.connectionId, input.schemas), filters, {
      key: this.deps.decodeKey,
      stack: this.deps.decodeStack ?? (() => null),
    });
  }

  /** Failed jobs grouped by error signature; with a signature, that group with its keys. */
  async errorGroups(input: z.infer<typeof ErrorGroupsInput>): Promise<{ groups: ErrorGroup[] }> {
    const db = this.deps.connections.driver(input.connectionId);
    const schemas = await this.schemasOf(input.connectionId, input.schemas);
    return { groups: await readErrorGroups(db, schemas, input.signature) };
  }

  private async schemasOf(connectionId: string, schemas?: readonly string[]): Promise<string[]> {
    return schemas ? [...schemas] : [...new Set((await this.deps.pipeline.tables(connectionId)).map((t) => t.schema))];
  }

  /** Pending work of every auto-populated table, in dependency order, with DataJoint's counts. */
  async pending(input: z.infer<typeof JobsPendingInput>): Promise<{ tables: TableJobs[] }> {
    const db = this.deps.connections.driver(input.connectionId);
    const info = await this.deps.pipeline.inspect({ connectionId: input.connectionId, schemas: input.schemas });
    const out: TableJobs[] = [];
    for (const s of Object.values(info.schemas)) {
      const tasks = await readTasks(db, s.database);
      const leases = await readLeaseRows(db, s.database);
      for (const t of s.tables) {
        if (!t.populate || (t.tier !== 'Imported' && t.tier !== 'Computed')) continue;
        const mine = leases.filter((l) => l.table_name === t.table_name);
        const { key_source_attributes: _ks, ...counts } = t.populate;
        out.push({
          full_name: t.full_name,
          schema: t.schema,
          table_name: t.table_name,
          class_name: t.class_name,
          tier: t.tier,
          ...counts,
          running: mine.filter((l) => l.state === 'running' || l.state === 'cancel').length,
          waiting: mine.filter((l) => l.state === 'waiting').length,
          has_task: tasks.has(t.table_name),
        });
      }
    }
    return { tables: out };
  }

  /** Clears errors (and ignores) so the keys run again, with the retry budget restored. */
  async retry(input: JobSelector): Promise<{ count: number }> {
    const { db, targets } = await this.select(input);
    const count = await retryJobs(db, targets, input.status === 'reserved' || Boolean(input.key_hashes || input.keys));
    this.changed(input);
    return { count };
  }

  /** Marks keys as never to be computed (DataJoint's `ignore` status). */
  async ignore(input: JobSelector): Promise<{ count: number }> {
    const { db, targets } = await this.select(input);
    const count = await ignoreJobs(db, targets, newWorkerIdentity());
    this.changed(input);
    return { count };
  }

  /** Stops running Joinery jobs (at their worker's next heartbeat) and ends waiting ones in error. */
  async cancel(input: JobSelector): Promise<{ count: number }> {
    const { db, targets } = await this.select(input);
    const count = await cancelJobs(db, targets, newWorkerIdentity());
    this.changed(input);
    return { count };
  }

  /** Sets the priority of jobs (higher runs first). */
  async setPriority(input: z.infer<typeof PriorityInput>): Promise<{ count: number }> {
    const { db, targets } = await this.select(input);
    return { count: await prioritizeJobs(db, targets, input.priority) };
  }

  private async select(input: JobSelector) {
    const db = this.deps.connections.driver(input.connectionId);
    const tables = await this.deps.pipeline.tables(input.connectionId);
    return { db, targets: await selectJobs(db, tables, input, this.deps.decodeKey) };
  }

  private changed(ref: { connectionId: string; schema: string; table?: string }): void {
    this.deps.events.emit('jobs.changed', {
      connectionId: ref.connectionId,
      tables: ref.table ? [`${ref.schema}.${ref.table}`] : [],
      source: 'jobs',
    });
  }
}
