import type { PopulateInput, PopulateSummary } from '../../../shared/api/schemas/jobs';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import type { StoreLookup } from '../data/external-read';
import type { BlobCodec } from '../data/values';
import type { EventBus } from '../events/event-bus';
import { LiveLogs } from '../jobs/live-log';
import { PopulateRun } from '../jobs/populate-run';
import type { JobRunner } from '../jobs/runner';
import { readTasksOf } from '../jobs/task-store';
import type { Logger } from '../log';
import type { InlineJobRunner } from '../worker/inline-runner';
import type { CallbackService } from './callback-service';
import type { ConnectionService } from './connection-service';
import type { PipelineService } from './pipeline-service';

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  events: EventBus;
  blobs: BlobCodec;
  stores: StoreLookup;
  log: Logger;
  callbacks: CallbackService;
  /** The runners this process offers; `inline` is also where tests and the CLI register functions. */
  runners: { inline: InlineJobRunner; process: JobRunner; docker?: JobRunner };
}

const KEEP_FINISHED_MS = 10 * 60_000;

/**
 * Populate runs with workers in this process (ARCHITECTURE §5): start, wait, stop, tally. A run
 * is woken when rows arrive upstream (inserted here or noticed by polling), so it need not wait
 * for its next scan.
 */
export class PopulateService {
  private readonly runs = new Map<string, { run: PopulateRun; connectionId: string }>();
  private readonly unsubscribe: () => void;
  /** Log tails of the jobs this process runs, followed live by the job monitor. */
  private readonly liveLogs: LiveLogs;

  constructor(private readonly deps: Deps) {
    this.liveLogs = new LiveLogs(deps.events);
    this.unsubscribe = deps.events.subscribe((event, data) => {
      if (event !== 'data.inserted') return;
      const { connectionId, table } = data as { connectionId: string; table: string };
      this.wake(connectionId, [table]);
    });
  }

  /** The in-process runner, where functions named by tasks' `inline` field are registered (a host hook). */
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
    const tasks = await readTasksOf(db, tables, input.schema);
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
        firer: this.deps.callbacks.firerFor(input.allow_command_callbacks),
        log: this.deps.log,
      },
      input,
    );
    this.runs.set(run.id, { run, connectionId: input.connectionId });
    void run.done
      .then((summary) => this.finished(input.connectionId, summary, tables))
      .catch((e: unknown) => this.deps.log.warn('could not announce new rows', { error: String(e) }));
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

  /** The log tail of a job running (or just finished) in this process. */
  liveLog(input: { connectionId: string; schema: string; table: string; key_hash: string }): {
    running: boolean;
    tail: string;
  } {
    this.deps.connections.driver(input.connectionId);
    return this.liveLogs.tail(`${input.schema}.${input.table}`, input.key_hash);
  }

  /** Tells the runs on a connection that these tables (`schema.table`) changed, so they look again now. */
  wake(connectionId: string, tables: readonly string[]): void {
    for (const { run, connectionId: c } of this.runs.values())
      if (c === connectionId) for (const t of tables) run.wake(t);
  }

  /** Stops every populate of this process, releasing its jobs. */
  async dispose(): Promise<void> {
    this.unsubscribe();
    for (const { run } of this.runs.values()) run.stop('release');
    await Promise.all([...this.runs.values()].map(({ run }) => run.done));
  }

  private run(id: string): PopulateRun {
    const r = this.runs.get(id);
    if (!r) throw appError('NOT_FOUND', `No populate with id ${id} in this process.`, { details: { populateId: id } });
    return r.run;
  }

  private finished(connectionId: string, summary: PopulateSummary, tables: readonly TableInfo[]): void {
    setTimeout(() => this.runs.delete(summary.populateId), KEEP_FINISHED_MS).unref();
    const grown = summary.tables.filter((t) => t.done > 0).map((t) => t.full_name);
    if (grown.length === 0) return;
    this.deps.events.emit('jobs.changed', { connectionId, tables: grown, source: 'jobs' });
    void this.deps.callbacks.announce(
      connectionId,
      tables.filter((t) => grown.includes(t.full_name)),
    );
  }
}
