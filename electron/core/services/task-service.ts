import type { z } from 'zod';
import type {
  TaskAddress,
  TaskInfo,
  TaskList,
  TaskListInput,
  TaskSetInput,
  TaskTestInput,
  TaskValidateInput,
  TaskValidation,
} from '../../../shared/api/schemas/task';
import { appError } from '../../../shared/errors';
import { checkTask } from '../jobs/task-check';
import { deleteTask, readTasks, toTaskInfo, writeTask } from '../jobs/task-store';
import type { ConnectionService } from './connection-service';
import type { StoreLookup } from '../data/external-read';
import type { BlobCodec } from '../data/values';
import { trialRun, type TrialResult } from '../jobs/task-trial';
import type { JobRunner } from '../jobs/runner';
import type { PipelineService } from './pipeline-service';

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  blobs: BlobCodec;
  stores: StoreLookup;
  /** The runners a trial may use (the same as populate's). */
  runners: { process: JobRunner; docker?: JobRunner };
}

/** Tasks: how each auto-populated table computes a key, stored in the database and checked against the pipeline. */
export class TaskService {
  constructor(private readonly deps: Deps) {}

  /** Stores a task after checking it; its version goes up when the spec changed. */
  async set(input: z.infer<typeof TaskSetInput>): Promise<TaskInfo> {
    const table = await this.deps.pipeline.table(input.connectionId, input.schema, input.table);
    const problems = checkTask(input.spec, table, await this.deps.pipeline.tables(input.connectionId));
    if (problems.length) {
      const first = problems[0]!;
      throw appError(
        'VALIDATION',
        `The task of ${table.full_name} is not valid: ${first.path ? `${first.path}: ` : ''}${first.message}`,
        {
          details: { field: first.path ? `spec.${first.path}` : 'spec', problems },
          hint: problems.length > 1 ? `${problems.length - 1} more problem(s); see details.` : undefined,
        },
      );
    }
    const db = this.deps.connections.driver(input.connectionId);
    return toTaskInfo(await writeTask(db, table, input.spec), table);
  }

  /** The stored task of a table; NOT_FOUND when it has none. */
  async get(input: z.infer<typeof TaskAddress>): Promise<TaskInfo> {
    const table = await this.deps.pipeline.table(input.connectionId, input.schema, input.table);
    const task = (await readTasks(this.deps.connections.driver(input.connectionId), input.schema)).get(input.table);
    if (!task) {
      throw appError('NOT_FOUND', `${table.full_name} has no task.`, {
        hint: 'Set one with "joinery task set" (or task.set).',
        details: { table: table.full_name },
      });
    }
    return toTaskInfo(task, table);
  }

  /** Runs the given (or stored) task on one key as a worker would; nothing is written. */
  async test(input: z.infer<typeof TaskTestInput>): Promise<TrialResult> {
    const table = await this.deps.pipeline.table(input.connectionId, input.schema, input.table);
    const spec = input.spec ?? (await this.get(input)).spec;
    const kind = input.runner ?? (spec.image ? 'docker' : 'process');
    const runner = this.deps.runners[kind];
    if (!runner) throw appError('UNSUPPORTED', `The ${kind} runner is not available in this process.`);
    const tables = await this.deps.pipeline.tables(input.connectionId);
    const db = this.deps.connections.driver(input.connectionId);
    return trialRun({ db, tables, blobs: this.deps.blobs, stores: this.deps.stores, runner }, table, spec, input.key);
  }

  /** Every stored task, and the auto-populated tables without one. */
  async list(input: z.infer<typeof TaskListInput>): Promise<TaskList> {
    const db = this.deps.connections.driver(input.connectionId);
    const tables = (await this.deps.pipeline.tables(input.connectionId)).filter(
      (t) => !input.schemas || input.schemas.includes(t.schema),
    );
    const out: TaskList = { tasks: [], without_task: [] };
    for (const schema of new Set(tables.map((t) => t.schema))) {
      const tasks = await readTasks(db, schema);
      for (const t of tables.filter((x) => x.schema === schema && (x.tier === 'Imported' || x.tier === 'Computed'))) {
        const task = tasks.get(t.table_name);
        if (task) out.tasks.push(toTaskInfo(task, t));
        else out.without_task.push(t.full_name);
      }
    }
    return out;
  }

  /** Checks a task (the given spec, or the stored one) against the pipeline. */
  async validate(input: z.infer<typeof TaskValidateInput>): Promise<TaskValidation> {
    const spec = input.spec ?? (await this.get(input)).spec;
    const table = await this.deps.pipeline.table(input.connectionId, input.schema, input.table);
    const problems = checkTask(spec, table, await this.deps.pipeline.tables(input.connectionId));
    return { valid: problems.length === 0, problems };
  }

  /** Removes a table's task. */
  async remove(input: z.infer<typeof TaskAddress>): Promise<{ done: true }> {
    const table = await this.deps.pipeline.table(input.connectionId, input.schema, input.table);
    if (!(await deleteTask(this.deps.connections.driver(input.connectionId), table))) {
      throw appError('NOT_FOUND', `${table.full_name} has no task.`, { details: { table: table.full_name } });
    }
    return { done: true };
  }
}
