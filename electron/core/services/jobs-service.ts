import type { z } from 'zod';
import type {
  AddCallbackInput,
  CallbackInfo,
  JobPlan,
  JobSelector,
  JobsListInput,
  JobsPendingInput,
  ErrorGroup,
  ErrorGroupsInput,
  JobView,
  ListCallbacksInput,
  LiveLogInput,
  PlanInput,
  PopulateInput,
  PopulateSummary,
  PriorityInput,
  ProvenanceInfo,
  ProvenanceInput,
  RemoveCallbackInput,
  RunInfo,
  RunsInput,
  StaleInput,
  StaleList,
  TableJobs,
  WatchInput,
} from '../../../shared/api/schemas/jobs';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import type { BlobCodec } from '../data/values';
import type { Row } from '../db/driver';
import type { EventBus } from '../events/event-bus';
import { addCallback, announceInserts, CallbackFirer, listCallbacks, removeCallback } from '../jobs/callbacks';
import { buildTableJobs } from '../jobs/job-context';
import { cancelJobs, ignoreJobs, prioritizeJobs, retryJobs, selectJobs } from '../jobs/job-actions';
import { newWorkerIdentity } from '../jobs/job-keys';
import { readLeaseRows } from '../jobs/job-state';
import { listJobsPage, type JobBlobDecoders } from '../jobs/job-list-query';
import { readErrorGroups } from '../jobs/error-groups';
import { LiveLogs } from '../jobs/live-log';
import { findStale, readProvenance, readRuns } from '../jobs/history';
import { planJobs } from '../jobs/plan';
import { PopulateRun } from '../jobs/populate-run';
import { readTasks, type StoredTask } from '../jobs/task-store';
import { CountWatcher } from '../jobs/watcher';
import type { Logger } from '../log';
import type { InlineJobRunner } from '../worker/inline-runner';
import type { JobRunner } from '../worker/runner';
import type { ConnectionService } from './connection-service';
import type { PipelineService } from './pipeline-service';
import type { StoreLookup } from '../data/external-read';

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  events: EventBus;
  blobs: BlobCodec;
  stores: StoreLookup;
  log: Logger;
  decodeKey: (bytes: Buffer) => Row | null;
  /** DataJoint's error stack blob as text. */
  decodeStack?: (bytes: Buffer) => string | null;
  /** The runners this process offers; `inline` is also where tests and the CLI register functions. */
  runners: { inline: InlineJobRunner; process: JobRunner; docker?: JobRunner };
  /** Shell-command callbacks run in this process only when allowed (by the user, not by a database row). */
  allowCommandCallbacks: boolean;
}

const KEEP_FINISHED_MS = 10 * 60_000;

/**
 * Jobs of the pipeline (ARCHITECTURE §5): populate with workers in this process, list and act on
 * jobs (retry, ignore, cancel, priority), runs, provenance, staleness, plans of staged data,
 * callbacks, and noticing other clients' writes by polling cheap counts.
 */
export class JobsService {
  private readonly runs = new Map<string, { run: PopulateRun; connectionId: string }>();
  private readonly watchers = new Map<string, CountWatcher>();
  private readonly firer: CallbackFirer;
  private readonly unsubscribe: () => void;
  /** Insert announcements in flight (awaited by callbacksIdle). */
  private readonly announcing = new Set<Promise<void>>();
  private readonly liveLogs: LiveLogs;

  constructor(private readonly deps: Deps) {
    this.firer = new CallbackFirer({ allowCommands: deps.allowCommandCallbacks, log: deps.log });
    this.liveLogs = new LiveLogs(deps.events);
    this.unsubscribe = deps.events.subscribe((event, data) => {
      if (event === 'data.inserted') this.track(this.onInserted(data as { connectionId: string; table: string }));
    });
  }

  /** The in-process runner, where functions named by tasks' `inline` field are registered. */
  get inline(): InlineJobRunner {
    return this.deps.runners.inline;
  }

  /** Starts a populate (workers in this process) and returns its id; progress comes as events. */
  async populate(input: PopulateInput): Promise<{ populateId: string }> {
    const db = this.deps.connections.driver(input.connectionId);
    const runner = this.deps.runners[input.runner];
    if (!runner) {
      throw appError('UNSUPPORTED', `The ${input.runner} runner is not available in this process.`, {
        hint: 'Use --runner inline or --runner process; the Docker runner comes with Joinery workers.',
        details: { field: 'runner' },
      });
    }
    this.deps.pipeline.invalidate(input.connectionId);
    const tables = await this.deps.pipeline.tables(input.connectionId);
    const tasks = await this.tasksOf(input.connectionId, tables, input.schema);
    const firer =
      input.allow_command_callbacks && !this.deps.allowCommandCallbacks
        ? new CallbackFirer({ allowCommands: true, log: this.deps.log })
        : this.firer;
    const run = new PopulateRun(
      {
        db,
        connectionId: input.connectionId,
        tables,
        tasks,
        runner: this.liveLogs.wrap(runner, input.connectionId),
        blobs: this.deps.blobs,
        stores: this.deps.stores,
        events: this.deps.events,
        firer,
        log: this.deps.log,
      },
      input,
    );
    this.runs.set(run.id, { run, connectionId: input.connectionId });
    this.track(run.done.then((summary) => this.finished(input.connectionId, summary, tables)));
    return { populateId: run.id };
  }

  /** Resolves with the final summary of a populate started in this process. */
  wait(populateId: string): Promise<PopulateSummary> {
    return this.run(populateId).done;
  }

  /** Stops a populate: finish running jobs, or release them at once. */
  stop(input: { populateId: string; mode: 'finish' | 'release' }): { done: true } {
    this.run(input.populateId).stop(input.mode);
    return { done: true };
  }

  /** Tallies of a populate started in this process. */
  status(input: { populateId: string }): PopulateSummary {
    return this.run(input.populateId).status();
  }

  /** One page of the jobs known to `~jobs` or to Joinery, filtered and sorted in the database, with the total. */
  async list(input: z.infer<typeof JobsListInput>): Promise<{ jobs: JobView[]; total: number }> {
    const db = this.deps.connections.driver(input.connectionId);
    const { connectionId: _c, schemas: _s, ...filters } = input;
    const decoders: JobBlobDecoders = {
      key: this.deps.decodeKey,
      stack: this.deps.decodeStack ?? (() => null),
    };
    return listJobsPage(db, await this.schemasOf(input.connectionId, input.schemas), filters, decoders);
  }

  /** Failed jobs grouped by error signature; with a signature, that group with its keys. */
  async errorGroups(input: z.infer<typeof ErrorGroupsInput>): Promise<{ groups: ErrorGroup[] }> {
    const db = this.deps.connections.driver(input.connectionId);
    return {
      groups: await readErrorGroups(db, await this.schemasOf(input.connectionId, input.schemas), input.signature),
    };
  }

  /** The log tail of a job running (or just finished) in this process. */
  liveLog(input: z.infer<typeof LiveLogInput>): { running: boolean; tail: string } {
    this.deps.connections.driver(input.connectionId);
    return this.liveLogs.tail(`${input.schema}.${input.table}`, input.key_hash);
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
    this.changed(input, 'jobs');
    return { count };
  }

  /** Marks keys as never to be computed (DataJoint's `ignore` status). */
  async ignore(input: JobSelector): Promise<{ count: number }> {
    const { db, targets } = await this.select(input);
    const count = await ignoreJobs(db, targets, newWorkerIdentity());
    this.changed(input, 'jobs');
    return { count };
  }

  /** Stops running Joinery jobs (at their worker's next heartbeat) and ends waiting ones in error. */
  async cancel(input: JobSelector): Promise<{ count: number }> {
    const { db, targets } = await this.select(input);
    const count = await cancelJobs(db, targets, newWorkerIdentity());
    this.changed(input, 'jobs');
    return { count };
  }

  /** Sets the priority of jobs (higher runs first). */
  async setPriority(input: z.infer<typeof PriorityInput>): Promise<{ count: number }> {
    const { db, targets } = await this.select(input);
    return { count: await prioritizeJobs(db, targets, input.priority) };
  }

  /** Attempts of jobs, newest first. */
  async runsOf(input: z.infer<typeof RunsInput>): Promise<{ runs: RunInfo[] }> {
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
    const tasks = await this.tasksOf(input.connectionId, tables, input.schema);
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

  async addCallback(input: z.infer<typeof AddCallbackInput>): Promise<CallbackInfo> {
    const db = this.deps.connections.driver(input.connectionId);
    const table = await this.deps.pipeline.table(input.connectionId, input.schema, input.table);
    return addCallback(db, table, input);
  }

  async listCallbacks(input: z.infer<typeof ListCallbacksInput>): Promise<{ callbacks: CallbackInfo[] }> {
    const db = this.deps.connections.driver(input.connectionId);
    return { callbacks: (await listCallbacks(db, input.schema, input.table)).map(({ seen_rows: _s, ...c }) => c) };
  }

  async removeCallback(input: z.infer<typeof RemoveCallbackInput>): Promise<{ done: true }> {
    await removeCallback(this.deps.connections.driver(input.connectionId), input.schema, input.callback_id);
    return { done: true };
  }

  /** Polls cheap counts of a connection every `interval_ms` (0 stops) to notice other clients' writes. */
  async watch(input: z.infer<typeof WatchInput>): Promise<{ done: true }> {
    let w = this.watchers.get(input.connectionId);
    if (!w && input.interval_ms > 0) {
      w = new CountWatcher({
        db: this.deps.connections.driver(input.connectionId),
        schemas: input.schemas,
        log: this.deps.log,
        tables: () => this.deps.pipeline.tables(input.connectionId),
        onChange: (tables) => this.onPolled(input.connectionId, tables),
      });
      this.watchers.set(input.connectionId, w);
    }
    await w?.setInterval(input.interval_ms);
    if (w && input.interval_ms === 0) this.watchers.delete(input.connectionId);
    return { done: true };
  }

  /** One poll of a connection's watcher now (tests, and the UI's refresh button). */
  async pollNow(connectionId: string): Promise<string[]> {
    return (await this.watchers.get(connectionId)?.tick()) ?? [];
  }

  /** Waits for insert announcements and callback deliveries in flight. */
  async callbacksIdle(): Promise<void> {
    while (this.announcing.size) await Promise.allSettled([...this.announcing]);
    await this.firer.idle();
  }

  /** Stops every populate (releasing its jobs) and watcher of this process. */
  async dispose(): Promise<void> {
    this.unsubscribe();
    for (const w of this.watchers.values()) w.stop();
    this.watchers.clear();
    for (const { run } of this.runs.values()) run.stop('release');
    await Promise.all([...this.runs.values()].map(({ run }) => run.done));
    await this.callbacksIdle();
  }

  /** Keeps background work (announcing inserts) awaitable, and its failures logged rather than thrown. */
  private track(work: Promise<void>): void {
    const p: Promise<void> = work
      .catch((e: unknown) => this.deps.log.warn('could not announce new rows', { error: String(e) }))
      .finally(() => this.announcing.delete(p));
    this.announcing.add(p);
  }

  private run(id: string): PopulateRun {
    const r = this.runs.get(id);
    if (!r) throw appError('NOT_FOUND', `No populate with id ${id} in this process.`, { details: { populateId: id } });
    return r.run;
  }

  private async schemasOf(connectionId: string, schemas?: readonly string[]): Promise<string[]> {
    return schemas ? [...schemas] : [...new Set((await this.deps.pipeline.tables(connectionId)).map((t) => t.schema))];
  }

  private async tasksOf(
    connectionId: string,
    tables: readonly TableInfo[],
    schema?: string,
  ): Promise<Map<string, StoredTask>> {
    const db = this.deps.connections.driver(connectionId);
    const out = new Map<string, StoredTask>();
    for (const s of new Set(tables.filter((t) => !schema || t.schema === schema).map((t) => t.schema))) {
      for (const task of (await readTasks(db, s)).values()) out.set(`${s}.${task.table}`, task);
    }
    return out;
  }

  private async select(input: JobSelector) {
    const db = this.deps.connections.driver(input.connectionId);
    const tables = await this.deps.pipeline.tables(input.connectionId);
    return { db, targets: await selectJobs(db, tables, input, this.deps.decodeKey) };
  }

  private changed(
    ref: { connectionId: string; schema: string; table?: string },
    source: 'insert' | 'poll' | 'jobs',
  ): void {
    this.deps.events.emit('jobs.changed', {
      connectionId: ref.connectionId,
      tables: ref.table ? [`${ref.schema}.${ref.table}`] : [],
      source,
    });
  }

  private async finished(connectionId: string, summary: PopulateSummary, tables: readonly TableInfo[]): Promise<void> {
    setTimeout(() => this.runs.delete(summary.populateId), KEEP_FINISHED_MS).unref();
    const grown = summary.tables.filter((t) => t.done > 0).map((t) => t.full_name);
    if (grown.length === 0) return;
    this.deps.events.emit('jobs.changed', { connectionId, tables: grown, source: 'jobs' });
    await this.announce(
      connectionId,
      tables.filter((t) => grown.includes(t.full_name)),
    );
  }

  private async onInserted(data: { connectionId: string; table: string }): Promise<void> {
    for (const { run, connectionId } of this.runs.values())
      if (connectionId === data.connectionId) run.wake(data.table);
    try {
      const tables = await this.deps.pipeline.tables(data.connectionId);
      const downstream = tables
        .filter((t) => t.foreign_keys.some((fk) => fk.parent === data.table))
        .map((t) => t.full_name);
      this.deps.events.emit('jobs.changed', {
        connectionId: data.connectionId,
        tables: [data.table, ...downstream],
        source: 'insert',
      });
      await this.announce(
        data.connectionId,
        tables.filter((t) => t.full_name === data.table),
      );
    } catch (e) {
      this.deps.log.warn('could not announce an insert', { table: data.table, error: String(e) });
    }
  }

  private async onPolled(connectionId: string, changed: string[]): Promise<void> {
    for (const { run, connectionId: c } of this.runs.values())
      if (c === connectionId) for (const t of changed) run.wake(t);
    this.deps.events.emit('jobs.changed', { connectionId, tables: changed, source: 'poll' });
    const tables = await this.deps.pipeline.tables(connectionId);
    await this.announce(
      connectionId,
      tables.filter((t) => changed.includes(t.full_name)),
    );
  }

  private async announce(connectionId: string, tables: readonly TableInfo[]): Promise<void> {
    const db = this.deps.connections.driver(connectionId);
    for (const t of tables) await announceInserts(db, t, this.firer);
  }
}
