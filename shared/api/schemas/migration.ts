import { z } from 'zod';
import { Tier } from './pipeline';

/**
 * Schema migrations: the change file (ARCHITECTURE §8, fixed), the plan the planner makes of it,
 * and the journal records the executor keeps. The plan is plain JSON so the journal can store it
 * and the wizard can show it.
 */

/** A literal a new attribute takes in every existing row. */
export const MigrationLiteral = z.union([z.string().max(65535), z.number(), z.boolean(), z.null()]);
export type MigrationLiteral = z.infer<typeof MigrationLiteral>;

const QualifiedClass = z
  .string()
  .regex(/^[^.\s]+\.[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)?$/, 'expected "<schema>.<ClassName>" (parts: Master.Part)');

/** One changed table: its whole new definition, values of new attributes, attribute renames. */
export const MigrationChange = z
  .object({
    table: QualifiedClass,
    definition: z.string().min(1).max(100_000),
    values: z.record(z.string().min(1).max(64), MigrationLiteral).optional(),
    renames: z.record(z.string().min(1).max(64), z.string().min(1).max(64)).optional(),
    /** Joinery's extension: rename the table (`<schema>.<ClassName>`), possibly into another schema. */
    rename_to: QualifiedClass.optional(),
    /** Joinery's extension: the new tier (a rename with another prefix); Part tables follow their master. */
    tier: Tier.exclude(['Part']).optional(),
    /** Joinery's extension: a new 1:1 table whose attributes are moved out of this existing table. */
    split_from: QualifiedClass.optional(),
  })
  .strict();
export type MigrationChange = z.infer<typeof MigrationChange>;

/** The change file: `{"changes": [...]}`. */
export const ChangeFile = z.object({ changes: z.array(MigrationChange).min(1).max(500) }).strict();
export type ChangeFile = z.infer<typeof ChangeFile>;

/** What a step may cost: lost values, a value the user must give, a long copy. */
export const MigrationRisk = z.object({
  kind: z.enum(['data_loss', 'needs_value', 'long_copy']),
  message: z.string(),
});
export type MigrationRisk = z.infer<typeof MigrationRisk>;

/** One human-readable change of one table (what the diff found). */
export const TableChange = z.object({
  kind: z.enum([
    'add_attribute',
    'drop_attribute',
    'rename_attribute',
    'retype_attribute',
    'add_key_attribute',
    'drop_key_attribute',
    'rename_key_attribute',
    'add_foreign_key',
    'drop_foreign_key',
    'retarget_foreign_key',
    'add_index',
    'drop_index',
    'rename_table',
    'change_tier',
    'split_table',
    'cascade_key',
    'carry',
  ]),
  table: z.string(),
  detail: z.string(),
  risks: z.array(MigrationRisk),
});
export type TableChange = z.infer<typeof TableChange>;

/** SQL of a step, per engine. */
export const EngineSql = z.object({ mysql: z.array(z.string()), sqlite: z.array(z.string()) });
export type EngineSql = z.infer<typeof EngineSql>;

/** One ordered step of the plan: what it does, the rows it touches, its risks and its SQL. */
export const PlanStep = z.object({
  kind: z.enum(['preflight', 'create_shadows', 'copy', 'verify', 'swap', 'post_check']),
  table: z.string().nullable(),
  description: z.string(),
  rows: z.number(),
  risks: z.array(MigrationRisk),
  sql: EngineSql,
});
export type PlanStep = z.infer<typeof PlanStep>;

/** Summary of one table of the affected set. */
export const PlanTableSummary = z.object({
  source: z.string().nullable(),
  target: z.string(),
  role: z.enum(['changed', 'dependent', 'split']),
  key_changed: z.boolean(),
  rows: z.number(),
});

/** The plan as the API and `--json` show it; `detail` holds what the executor needs. */
export const MigrationPlanView = z.object({
  tables: z.array(PlanTableSummary),
  changes: z.array(TableChange),
  steps: z.array(PlanStep),
  lossy: z.boolean(),
  risks: z.array(MigrationRisk),
});
export type MigrationPlanView = z.infer<typeof MigrationPlanView>;

/** Journal states; see core/migrate/journal.ts for the transitions. */
export const MigrationState = z.enum([
  'planned',
  'shadows',
  'copying',
  'verified',
  'swapped',
  'done',
  'rolled_back',
  'discarded',
  'failed',
]);
export type MigrationState = z.infer<typeof MigrationState>;

/** One migration of the history. */
export const MigrationRecord = z.object({
  id: z.string(),
  schema: z.string(),
  state: MigrationState,
  tables: z.array(z.string()),
  summary: z.string(),
  user: z.string(),
  created: z.string(),
  updated: z.string(),
  error: z.string().nullable(),
  checks: z.record(z.string(), z.unknown()).nullable(),
});
export type MigrationRecord = z.infer<typeof MigrationRecord>;

const Conn = { connectionId: z.string().min(1) };

/** Input of migration.plan and migration.dryRun. */
export const MigrationPlanInput = z.object({ ...Conn, changes: ChangeFile.shape.changes }).strict();
/** Input of migration.apply. */
export const MigrationApplyInput = z
  .object({ ...Conn, changes: ChangeFile.shape.changes, allowDataLoss: z.boolean().default(false) })
  .strict();
/** Input of migration.rollback / discard (the latest when no id). */
export const MigrationRef = z.object({ ...Conn, id: z.string().min(1).max(40).optional() }).strict();
/** Input of migration.history and migration.active. */
export const MigrationHistoryInput = z.object(Conn).strict();

/** Rows copied so far into one new table (`<schema>.<table_name>` of the target) of its total. */
export const CopyPosition = z.object({ rows: z.number(), total: z.number() });
export type CopyPosition = z.infer<typeof CopyPosition>;

/**
 * An unfinished migration: running in this core now (with the latest phase), or stopped before
 * its end (resume it with `changes`, or roll it back). Lets a screen opened later show its progress.
 */
export const ActiveMigration = z.object({
  migration: MigrationRecord,
  running: z.boolean(),
  /** The latest `migration.progress` phase while running; null when stopped. */
  phase: z.string().nullable(),
  tables: z.record(z.string(), CopyPosition),
  /** The change it makes: applying it again resumes the migration. */
  changes: ChangeFile.shape.changes,
});
export type ActiveMigration = z.infer<typeof ActiveMigration>;

/** What a dry run on copies found. */
export const DryRunResult = z.object({
  plan: MigrationPlanView,
  counts: z.record(z.string(), z.number()),
  checks: z.array(z.object({ table: z.string(), check: z.string(), ok: z.boolean(), detail: z.string() })),
});
export type DryRunResult = z.infer<typeof DryRunResult>;

/** migration.apply starts the work and answers at once with its id. */
export const MigrationStarted = z.object({ id: z.string() });

/** Pushed while a migration runs. */
export const MigrationProgressEvent = z.object({
  connectionId: z.string(),
  id: z.string(),
  phase: z.string(),
  table: z.string().nullable(),
  rows: z.number(),
  total: z.number(),
});
/** Pushed when a migration ends (done, failed, rolled back). */
export const MigrationFinishedEvent = z.object({
  connectionId: z.string(),
  id: z.string(),
  state: MigrationState,
  error: z.string().nullable(),
});
