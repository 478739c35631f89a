import { z } from 'zod';
import { ClusterJob, ClusterJobsInput, ClusterPopulateInput, ClusterPopulateSummary } from './schemas/cluster';
import { AppInfo } from './schemas/app';
import { NoInput, Done } from './schemas/common';
import {
  ConnectionTarget,
  ConnectionProbe,
  ConnectionSummary,
  ConnectionList,
  ConnectionRef,
} from './schemas/connection';
import { PipelineInfo, InspectInput } from './schemas/pipeline';
import {
  DonationPolicy,
  HardwareProfile,
  LoadSample,
  WorkerInfo,
  WorkerLimits,
  WorkerSettings,
  WorkerStartInput,
  WorkerStatus,
} from './schemas/worker';
import {
  CreateSchemaInput,
  DeclareInput,
  DeclareResult,
  DescribeResult,
  DropInput,
  DropPreview,
  TableAddress,
} from './schemas/schema';
import {
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
} from './schemas/data';
import { CreateSampleInput, SampleCreated, TablePreview, TablePreviewInput } from './schemas/designer';
import { Preferences, SetPreferencesInput, SetStoreInput, StoreList } from './schemas/settings';
import {
  ActiveMigration,
  DryRunResult,
  MigrationApplyInput,
  MigrationFinishedEvent,
  MigrationHistoryInput,
  MigrationPlanInput,
  MigrationPlanView,
  MigrationProgressEvent,
  MigrationRecord,
  MigrationRef,
  MigrationStarted,
} from './schemas/migration';
import { QueryCount, QueryFetchInput, QueryInput, QueryPage, QueryPreview } from './schemas/query';
import {
  AddCallbackInput,
  CallbackInfo,
  CallbackList,
  JobPlan,
  JobSelector,
  JobsChanged,
  JobsChangedEvent,
  JobsFailedEvent,
  JobsFinishedEvent,
  JobsList,
  JobsListInput,
  ErrorGroups,
  ErrorGroupsInput,
  LiveLog,
  LiveLogInput,
  RunsLogEvent,
  JobsPending,
  JobsPendingInput,
  JobsProgressEvent,
  ListCallbacksInput,
  PlanInput,
  PopulateInput,
  PopulateRef,
  PopulateStarted,
  PopulateSummary,
  PriorityInput,
  ProvenanceInput,
  ProvenanceList,
  RemoveCallbackInput,
  RunList,
  RunsInput,
  StaleInput,
  StaleList,
  StopInput,
  WatchInput,
} from './schemas/jobs';
import {
  TaskAddress,
  TaskInfo,
  TaskList,
  TaskListInput,
  TaskSetInput,
  TaskValidateInput,
  TaskValidation,
  TaskTestInput,
  TaskTestResult,
} from './schemas/task';

/** A method's input and output schemas plus a one-line description (shown by tooling and docs). */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  summary: string;
}

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): MethodSpec<I, O> => ({
  input,
  output,
  summary,
});

/**
 * THE contract: every operation the UI (desktop or browser) and the CLI may ask of the core.
 * Add a method here first; the compiler then demands its handler (see {@link Handlers}), and both
 * transports and the typed client pick it up with no new channel names.
 */
export const methods = {
  'app.info': method(NoInput, AppInfo, 'Version, host kind and capabilities of the running core'),
  'connection.test': method(ConnectionTarget, ConnectionProbe, 'Connect, ask the server version, disconnect'),
  'connection.open': method(ConnectionTarget, ConnectionSummary, 'Open a database and keep it open'),
  'connection.close': method(ConnectionRef, Done, 'Close an open connection'),
  'connection.list': method(NoInput, ConnectionList, 'Open connections and recently used ones'),
  'pipeline.inspect': method(InspectInput, PipelineInfo, 'Schemas and tables of an open connection'),
  'schema.create': method(CreateSchemaInput, Done, 'Create a schema (a MySQL database; a name prefix on SQLite)'),
  'table.declare': method(
    DeclareInput,
    DeclareResult,
    'Declare tables from DataJoint definitions, parents first, all or nothing',
  ),
  'table.preview': method(
    TablePreviewInput,
    TablePreview,
    'Check definitions and show the DDL a declare would run on this engine; problems by field and line:column, nothing written',
  ),
  'pipeline.createSample': method(
    CreateSampleInput,
    SampleCreated,
    'Build the first-run sample pipeline (Subject, Rig, Session, a Computed table with a Docker task, rows)',
  ),
  'table.describe': method(TableAddress, DescribeResult, 'The definition of a table, reconstructed from the database'),
  'table.dropPreview': method(TableAddress, DropPreview, 'The table and every table depending on it, with row counts'),
  'table.drop': method(DropInput, Done, 'Drop a table and its dependents, as confirmed from the preview'),
  'data.insert': method(InsertInput, InsertResult, 'Insert rows into one table, all in one transaction'),
  'data.fetch': method(FetchInput, FetchResult, 'Rows of one table as typed values, paged'),
  'data.deletePreview': method(
    DeletePreviewInput,
    DeletePreview,
    'Rows a delete would remove, per table, cascade included',
  ),
  'data.delete': method(DeleteInput, DeletePreview, 'Delete rows and everything that depends on them, after a preview'),
  'data.update': method(UpdateInput, Done, 'Change secondary attributes of one row (DataJoint update1)'),
  'data.import': method(
    ImportInput,
    ImportResult,
    'Insert the rows of a CSV or JSON file, all in one transaction; errors name the file line',
  ),
  'data.unusedExternal': method(
    ExternalStoreRef,
    UnusedExternal,
    'Objects of an external store that no row references any more',
  ),
  'data.cleanExternal': method(
    CleanExternalInput,
    UnusedExternal,
    'Remove unreferenced objects of an external store (tracking rows and files), after a preview',
  ),
  'settings.stores': method(
    NoInput,
    StoreList,
    'External stores configured on this machine (settings file and environment)',
  ),
  'settings.setStore': method(SetStoreInput, StoreList, 'Set or remove the local location of an external store'),
  'settings.preferences': method(NoInput, Preferences, "This user's notification and desktop preferences"),
  'settings.setPreferences': method(
    SetPreferencesInput,
    Preferences,
    'Change notification or desktop preferences; announced as settings.changed',
  ),
  'query.preview': method(
    QueryInput,
    QueryPreview,
    'Check a query (DataJoint syntax or tree); its heading and SQL on each engine',
  ),
  'query.fetch': method(QueryFetchInput, QueryPage, 'Rows of a query as typed values, one page in a stable order'),
  'query.count': method(QueryInput, QueryCount, 'Number of rows of a query'),
  'task.set': method(
    TaskSetInput,
    TaskInfo,
    'Store the task of an Imported/Computed table (checked against the pipeline; version bumped on change)',
  ),
  'task.get': method(TaskAddress, TaskInfo, 'The stored task of a table'),
  'task.list': method(TaskListInput, TaskList, 'Stored tasks, and the auto-populated tables without one'),
  'task.validate': method(TaskValidateInput, TaskValidation, 'Check a task (given or stored) against the pipeline'),
  'task.test': method(
    TaskTestInput,
    TaskTestResult,
    'Run a task on one key as a worker would and show the checked result; nothing is written',
  ),
  'task.delete': method(TaskAddress, Done, 'Remove the task of a table'),
  'jobs.pending': method(
    JobsPendingInput,
    JobsPending,
    'Pending work of every auto-populated table, in dependency order',
  ),
  'jobs.list': method(
    JobsListInput,
    JobsList,
    "One page of the jobs in ~jobs and Joinery's lease table, filtered and sorted, with the total",
  ),
  'jobs.errorGroups': method(
    ErrorGroupsInput,
    ErrorGroups,
    'Failed jobs grouped by error signature (numbers, paths and keys masked), largest first',
  ),
  'jobs.liveLog': method(LiveLogInput, LiveLog, 'The log tail of a job running in this process'),
  'jobs.populate': method(
    PopulateInput,
    PopulateStarted,
    'Start populating (workers in this process); progress comes as jobs.progress events',
  ),
  'jobs.stop': method(StopInput, Done, 'Stop a populate: finish the running jobs, or release them at once'),
  'jobs.populateStatus': method(PopulateRef, PopulateSummary, 'Tallies of a populate started in this process'),
  'jobs.retry': method(
    JobSelector,
    JobsChanged,
    'Clear errors (and ignores) so the keys run again, with the retry budget restored',
  ),
  'jobs.ignore': method(JobSelector, JobsChanged, "Mark keys as never to be computed (DataJoint's ignore)"),
  'jobs.cancel': method(JobSelector, JobsChanged, 'Stop running Joinery jobs; end jobs waiting for a retry'),
  'jobs.setPriority': method(PriorityInput, JobsChanged, 'Set the priority of jobs (higher runs first)'),
  'jobs.runs': method(RunsInput, RunList, 'Attempts of jobs, newest first'),
  'jobs.provenance': method(ProvenanceInput, ProvenanceList, 'How the keys of a table were computed'),
  'jobs.stale': method(
    StaleInput,
    StaleList,
    'Computed rows whose declared inputs or task changed since they were made',
  ),
  'jobs.plan': method(PlanInput, JobPlan, 'The DAG of jobs that would follow from staged rows of an upstream table'),
  'jobs.addCallback': method(
    AddCallbackInput,
    CallbackInfo,
    'Call a webhook or a command on inserts into a table, or when its jobs succeed or fail',
  ),
  'jobs.listCallbacks': method(ListCallbacksInput, CallbackList, 'Callbacks of a schema'),
  'jobs.removeCallback': method(RemoveCallbackInput, Done, 'Remove a callback'),
  'jobs.watch': method(WatchInput, Done, "Poll cheap counts to notice other clients' writes (interval in ms; 0 stops)"),
  'cluster.populate': method(
    ClusterPopulateInput,
    z.object({ runId: z.string() }),
    'Populate through the cluster scheduler (Slurm): keys as job arrays of joinery run-job; progress as cluster.progress events',
  ),
  'cluster.status': method(
    z.object({ runId: z.string().min(1) }).strict(),
    ClusterPopulateSummary,
    'Tallies of a cluster populate started in this process',
  ),
  'cluster.jobs': method(
    ClusterJobsInput,
    z.object({ jobs: z.array(ClusterJob) }),
    'Keys handed to the cluster scheduler, with its current state',
  ),
  'workers.probe': method(NoInput, HardwareProfile, 'What this machine has: CPU, memory, GPUs, Docker'),
  'workers.list': method(
    z.object({ connectionId: z.string().min(1) }).strict(),
    z.object({ workers: z.array(WorkerInfo) }),
    'Every registered worker of the lab, online or not',
  ),
  'workers.load': method(NoInput, LoadSample, "This machine's use now: CPU, available memory, the owner's idle time"),
  'workers.status': method(NoInput, WorkerStatus, "What this machine's worker does now, and why, in one line"),
  'workers.settings': method(NoInput, WorkerSettings, "This machine's donation policy and limits"),
  'workers.start': method(WorkerStartInput, WorkerStatus, 'Donate this machine to an open database'),
  'workers.stop': method(
    z.object({ mode: z.enum(['finish', 'release']).default('finish') }).strict(),
    WorkerStatus,
    'Stop donating: finish or hand back the jobs in hand',
  ),
  'workers.setPolicy': method(
    z.object({ policy: DonationPolicy, limits: WorkerLimits.optional() }).strict(),
    WorkerSettings,
    'Change when and how much of this machine is donated',
  ),
  'migration.plan': method(
    MigrationPlanInput,
    MigrationPlanView,
    'The ordered plan of a schema change, with risks and SQL',
  ),
  'migration.dryRun': method(MigrationPlanInput, DryRunResult, 'Build and verify shadow copies, then drop them'),
  'migration.apply': method(
    MigrationApplyInput,
    MigrationStarted,
    'Start (or resume) a migration; migration.progress events, then migration.finished',
  ),
  'migration.status': method(MigrationRef, MigrationRecord, 'One migration (the latest without id)'),
  'migration.rollback': method(MigrationRef, MigrationRecord, 'Undo a migration (the latest without id)'),
  'migration.discard': method(MigrationRef, MigrationRecord, "Drop a finished migration's kept-old tables"),
  'migration.history': method(
    MigrationHistoryInput,
    z.object({ migrations: z.array(MigrationRecord) }),
    'Every migration of the database, newest first',
  ),
  'migration.active': method(
    MigrationHistoryInput,
    z.object({ migrations: z.array(ActiveMigration) }),
    'Unfinished migrations: running now (rows copied per table) first, then stopped ones (resume or roll back)',
  ),
} as const;

/** Pushes from the core to every subscribed client. */
export const events = {
  'workers.status': WorkerStatus,
  'connection.changed': z.object({ open: z.array(ConnectionSummary) }),
  'data.inserted': z.object({ connectionId: z.string(), table: z.string(), rows: z.number() }),
  'data.deleted': z.object({ connectionId: z.string(), tables: DeletePreview.shape.tables }),
  'data.updated': z.object({ connectionId: z.string(), table: z.string() }),
  'pipeline.changed': z.object({ connectionId: z.string(), tables: z.array(z.string()) }),
  'jobs.progress': JobsProgressEvent,
  'jobs.finished': JobsFinishedEvent,
  'jobs.changed': JobsChangedEvent,
  'runs.log': RunsLogEvent,
  'cluster.progress': z.object({ connectionId: z.string(), summary: ClusterPopulateSummary }),
  'jobs.failed': JobsFailedEvent,
  'callbacks.changed': z.object({ connectionId: z.string(), schema: z.string() }),
  'settings.changed': Preferences,
  'migration.progress': MigrationProgressEvent,
  'migration.finished': MigrationFinishedEvent,
} as const;

/** Name of a contract method, `domain.verb`. */
export type MethodName = keyof typeof methods;
/** Name of an event, `domain.noun`. */
export type EventName = keyof typeof events;
/** Parsed input of method M. */
export type In<M extends MethodName> = z.infer<(typeof methods)[M]['input']>;
/** What the input of method M may look like before parsing (defaults not yet filled). */
export type RawIn<M extends MethodName> = z.input<(typeof methods)[M]['input']>;
/** Output of method M. */
export type Out<M extends MethodName> = z.infer<(typeof methods)[M]['output']>;
/** Payload of event E. */
export type EventData<E extends EventName> = z.infer<(typeof events)[E]>;

/** One handler per method; a missing or mistyped handler is a compile error. */
export type Handlers<Ctx> = { [M in MethodName]: (input: In<M>, ctx: Ctx) => Promise<Out<M>> };

/** True when `name` is a method of the contract (the string came from the network). */
export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

/** True when `name` is an event of the contract. */
export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
