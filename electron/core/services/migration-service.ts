import type { z } from 'zod';
import type {
  ActiveMigration,
  DryRunResult,
  MigrationApplyInput,
  MigrationChange,
  MigrationHistoryInput,
  MigrationPlanInput,
  MigrationPlanView,
  MigrationRecord,
  MigrationRef,
} from '../../../shared/api/schemas/migration';
import { appError } from '../../../shared/errors';
import { NEW_DATABASE_CONVENTIONS } from '../../../shared/model/conventions';
import { newMigrationId, planMigration, type MigrationPlan } from '../../../shared/migrate';
import type { DbDriver } from '../db/driver';
import type { EventBus } from '../events/event-bus';
import type { StepHook } from '../migrate/copy';
import { dropAllAside } from '../migrate/aside';
import { runPlan, stepHook } from '../migrate/executor';
import { checkNoRunningJobs } from '../migrate/guards';
import { createEntry, findEntry, listEntries, MIGRATION_TABLE } from '../migrate/journal';
import { discardMigration, rollbackMigration } from '../migrate/rollback';
import { countRows } from '../migrate/swap';
import type { ConnectionService } from './connection-service';
import { bothHooks, copiedSoFar, holdHook, noteProgress, type LiveRun } from './migration-live';
import type { PipelineService } from './pipeline-service';

/** Journal states after which nothing is left to resume. */
const FINISHED: readonly string[] = ['done', 'rolled_back', 'discarded'];

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  events: EventBus;
  /** Rows per copy chunk (tests make it small to cross chunk boundaries). */
  chunkRows?: number;
  /** Called between executor steps; tests inject failures here. */
  hook?: StepHook;
}

/**
 * Schema migrations: plan, dry run, apply (start -> id -> `migration.progress` events ->
 * `migration.finished`), rollback, discard, history. Applying resumes an unfinished migration
 * of the same change file instead of starting a second one.
 */
export class MigrationService {
  private readonly running = new Map<string, Promise<void>>();
  /** Drops of tables set aside by rollbacks, running after the rollback answered (see aside.ts). */
  private cleanup: Promise<unknown> = Promise.resolve();
  /** The migrations running here, with how far they got (migration.active). */
  private readonly live = new Map<string, LiveRun>();
  /** Dry runs journal a migration for a moment; they are not unfinished migrations. */
  private readonly dryRuns = new Set<string>();

  constructor(private readonly deps: Deps) {
    const env = Number(process.env.JOINERY_MIGRATE_CHUNK_ROWS);
    if (!deps.chunkRows && env > 0) deps.chunkRows = env;
  }

  /** The plan of a change, without touching the database. */
  async plan(input: z.infer<typeof MigrationPlanInput>): Promise<MigrationPlanView> {
    this.migratable(input.connectionId);
    return (await this.makePlan(input.connectionId, input.changes)).view;
  }

  /** Builds and verifies the shadows, then drops them: counts and checks without a swap. */
  async dryRun(input: z.infer<typeof MigrationPlanInput>): Promise<DryRunResult> {
    const db = this.migratable(input.connectionId);
    const plan = await this.makePlan(input.connectionId, input.changes);
    await this.dropAside(db, plan);
    await createEntry(db, plan);
    this.dryRuns.add(plan.id);
    try {
      const result = await runPlan(db, plan, { dryRun: true, chunkRows: this.deps.chunkRows, hook: this.deps.hook });
      const verify = (result.checks.verify ?? { tables: {} }) as {
        tables: Record<string, { copied: number; checksum: string }>;
      };
      return {
        plan: plan.view,
        counts: Object.fromEntries(Object.entries(verify.tables).map(([t, v]) => [t, v.copied])),
        checks: Object.entries(verify.tables).map(([table, v]) => ({
          table,
          check: 'count+checksum+orphans',
          ok: true,
          detail: `${v.copied} rows, checksum ${v.checksum}`,
        })),
      };
    } finally {
      this.dryRuns.delete(plan.id);
      await rollbackMigration(db, await findEntry(db, plan.id)).catch(() => {});
      // its shadows go at once: the journal row that would remember them is deleted
      await dropAllAside(db, [await findEntry(db, plan.id)]).catch(() => {});
      await db.execute(`DELETE FROM ${db.dialect.qualify(plan.homeSchema, MIGRATION_TABLE)} WHERE id = ?`, [plan.id]);
    }
  }

  /** Starts (or resumes) a migration; its end is announced by `migration.finished`. */
  async apply(input: z.infer<typeof MigrationApplyInput>): Promise<{ id: string }> {
    const db = this.migratable(input.connectionId);
    const plan = (await this.unfinished(db, input.changes)) ?? (await this.startNew(db, input));
    const entry = await findEntry(db, plan.id);
    const run: LiveRun = {
      connectionId: input.connectionId,
      migration: entry.record,
      running: true,
      phase: null,
      tables: copiedSoFar(plan, entry.progress),
      changes: plan.changes,
    };
    this.live.set(plan.id, run);
    const work = this.execute(input.connectionId, db, plan, run);
    this.running.set(plan.id, work);
    void work.finally(() => {
      this.running.delete(plan.id);
      this.live.delete(plan.id);
    });
    return { id: plan.id };
  }

  /**
   * Unfinished migrations of the connection: those running here first (with the rows copied per
   * table so far), then the ones the journal shows stopped before their end, newest first.
   */
  async active(input: z.infer<typeof MigrationHistoryInput>): Promise<{ migrations: ActiveMigration[] }> {
    const mine = [...this.live.values()].filter((r) => r.connectionId === input.connectionId);
    const running = mine.map(({ connectionId: _, ...r }) => ({ ...r, tables: { ...r.tables } }));
    const db = this.deps.connections.driver(input.connectionId);
    // SQLite migrates in one transaction that holds the file: the journal waits for its end, and
    // no other migration can be unfinished beside it anyway
    if (running.length > 0 && db.dialect.capabilities.transactionalDdl) return { migrations: running };
    const stopped = (await listEntries(db))
      .filter((e) => !FINISHED.includes(e.state) && !this.live.has(e.id) && !this.dryRuns.has(e.id))
      .map((e) => ({
        migration: e.record,
        running: false,
        phase: null,
        tables: copiedSoFar(e.plan, e.progress),
        changes: e.plan.changes,
      }));
    return { migrations: [...running, ...stopped] };
  }

  /** Resolves when a migration started here ends (at once when none runs). */
  async wait(id: string): Promise<void> {
    await this.running.get(id);
  }

  async rollback(input: z.infer<typeof MigrationRef>): Promise<MigrationRecord> {
    const db = this.deps.connections.driver(input.connectionId);
    const entry = await findEntry(db, input.id);
    this.refuseRunning(entry.id);
    await rollbackMigration(db, entry, { hook: stepHook(this.deps.hook) });
    this.changed(input.connectionId, entry.record.tables);
    const rolled = await findEntry(db, entry.id);
    // the set-aside new tables are dropped after the answer; a failure leaves them to the next try
    this.cleanup = this.cleanup.then(() => dropAllAside(db, [rolled], stepHook(this.deps.hook)).catch(() => {}));
    return this.ended(input.connectionId, rolled.record);
  }

  /** Waits for the drops of set-aside tables started by rollbacks (CLI exit, tests, shutdown). */
  async settle(): Promise<void> {
    await this.cleanup;
  }

  async discard(input: z.infer<typeof MigrationRef>): Promise<MigrationRecord> {
    const db = this.deps.connections.driver(input.connectionId);
    await this.cleanup;
    const entry = await findEntry(db, input.id);
    this.refuseRunning(entry.id);
    await discardMigration(db, entry);
    return this.ended(input.connectionId, (await findEntry(db, entry.id)).record);
  }

  async status(input: z.infer<typeof MigrationRef>): Promise<MigrationRecord> {
    return (await findEntry(this.deps.connections.driver(input.connectionId), input.id)).record;
  }

  async history(input: z.infer<typeof MigrationHistoryInput>): Promise<{ migrations: MigrationRecord[] }> {
    const entries = await listEntries(this.deps.connections.driver(input.connectionId));
    return { migrations: entries.map((e) => e.record) };
  }

  /**
   * The connection's driver, or UNSUPPORTED up front where the engine has no migration SQL
   * (PostgreSQL): before any plan is shown or anything is written.
   */
  private migratable(connectionId: string): DbDriver {
    const db = this.deps.connections.driver(connectionId);
    if (!db.dialect.capabilities.migrations)
      throw appError(
        'UNSUPPORTED',
        `Schema migrations are not supported on ${db.dialect.label} yet: Joinery's migration engine has only MySQL/MariaDB and SQLite SQL. Nothing was changed.`,
        {
          details: { engine: db.dialect.name },
          hint: `Change the tables with ${db.dialect.label}'s own ALTER TABLE (e.g. in psql), or declare the new tables and copy the rows, then reopen the pipeline.`,
        },
      );
    return db;
  }

  /** A new migration first drops what earlier rollbacks in its schemas set aside (after any drop still running). */
  private async dropAside(db: DbDriver, plan: MigrationPlan): Promise<void> {
    await this.cleanup;
    const schemas = plan.tables.flatMap((t) => [t.target.schema, ...(t.replaces ? [t.replaces.schema] : [])]);
    await dropAllAside(db, { schemas });
  }

  private async makePlan(connectionId: string, changes: MigrationChange[]): Promise<MigrationPlan> {
    this.deps.pipeline.invalidate(connectionId);
    // a first plan names the tables the migration copies; only those are counted, not the whole server
    const { tables: headings, conventions } = await this.deps.pipeline.headingsAndConventions(connectionId);
    // each table is parsed and rebuilt in its schema's conventions (a schema not in the database yet: current DataJoint's)
    const conventionsOf = (schema: string) => conventions[schema] ?? NEW_DATABASE_CONVENTIONS;
    const draft = planMigration(changes, headings, { id: newMigrationId(), conventionsOf });
    const db = this.deps.connections.driver(connectionId);
    const counts = await countRows(
      db,
      draft.tables.map((t) => t.source),
    );
    const counted = headings.map((t) => ({ ...t, row_count: counts.get(t.full_name) ?? t.row_count }));
    return planMigration(changes, counted, { id: newMigrationId(), conventionsOf });
  }

  private async startNew(db: DbDriver, input: z.infer<typeof MigrationApplyInput>): Promise<MigrationPlan> {
    const plan = await this.makePlan(input.connectionId, input.changes);
    if (plan.view.lossy && !input.allowDataLoss) {
      const lost = plan.view.risks.filter((r) => r.kind === 'data_loss').map((r) => r.message);
      throw appError('VALIDATION', `This migration loses data: ${lost.join('; ')}. Nothing was changed.`, {
        details: { risks: lost },
        hint: 'Run it with --allow-data-loss (allowDataLoss: true) if that is what you want.',
      });
    }
    // refused here, before an id exists, so the caller gets the reason at once
    await checkNoRunningJobs(db, plan);
    await this.dropAside(db, plan);
    await createEntry(db, plan);
    return plan;
  }

  /** The unfinished migration of the same changes (resumed), or null; another unfinished one is a conflict. */
  private async unfinished(db: DbDriver, changes: MigrationChange[]): Promise<MigrationPlan | null> {
    const open = (await listEntries(db)).filter((e) => !FINISHED.includes(e.state));
    const same = open.find((e) => JSON.stringify(e.plan.changes) === JSON.stringify(changes));
    if (same) {
      this.refuseRunning(same.id);
      return same.plan;
    }
    const tables = new Set(open.flatMap((e) => e.record.tables));
    const clash = changes.find((c) => [...tables].some((t) => t.startsWith(`${c.table.split('.')[0]}.`)));
    if (open[0] && clash)
      throw appError(
        'CONFLICT',
        `Migration ${open[0].id} of ${open[0].record.tables.join(', ')} is unfinished (${open[0].state}).`,
        {
          details: { id: open[0].id },
          hint: `Resume it (joinery migrate apply with its change file) or roll it back (joinery migrate rollback --id ${open[0].id}).`,
        },
      );
    return null;
  }

  private async execute(connectionId: string, db: DbDriver, plan: MigrationPlan, run: LiveRun): Promise<void> {
    const { events } = this.deps;
    try {
      const result = await runPlan(db, plan, {
        chunkRows: this.deps.chunkRows,
        hook: bothHooks(this.deps.hook, holdHook()),
        onProgress: (phase, table, rows, total) => {
          noteProgress(run, phase, table, rows, total);
          events.emit('migration.progress', { connectionId, id: plan.id, phase, table, rows, total });
        },
      });
      events.emit('migration.finished', { connectionId, id: plan.id, state: result.state, error: null });
    } catch (e) {
      const state = await findEntry(db, plan.id)
        .then((x) => x.state)
        .catch(() => 'planned' as const);
      events.emit('migration.finished', { connectionId, id: plan.id, state, error: (e as Error).message });
    } finally {
      this.changed(
        connectionId,
        plan.view.tables.map((t) => t.target),
      );
    }
  }

  /** Announces a rollback or discard like any other end, so every client's history follows. */
  private ended(connectionId: string, record: MigrationRecord): MigrationRecord {
    this.deps.events.emit('migration.finished', { connectionId, id: record.id, state: record.state, error: null });
    return record;
  }

  private refuseRunning(id: string): void {
    if (this.running.has(id))
      throw appError('CONFLICT', `Migration ${id} is running now.`, {
        details: { id },
        hint: 'Wait until it finishes: the Migrations page shows its progress (joinery migrate history lists its state).',
      });
  }

  private changed(connectionId: string, tables: string[]): void {
    this.deps.pipeline.invalidate(connectionId);
    this.deps.events.emit('pipeline.changed', { connectionId, tables });
  }
}
