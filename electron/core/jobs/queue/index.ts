import { detectConventions, type Conventions } from '../../../../shared/model/conventions';
import { hiddenTables } from '../../db/catalog/hidden-tables';
import { readCatalog } from '../../db/catalog/read-catalog';
import type { DbDriver, DbSession } from '../../db/driver';
import type { JobQueueProtocol } from './job-queue';
import { datajointJobs } from './datajoint-jobs';
import { datajoint2Jobs } from './datajoint2-jobs';
import { forgetQueueTables } from './datajoint2-queue-table';

export type {
  JobQueueProtocol,
  KeepCompleted,
  LeaseGuard,
  QueueError,
  QueueHold,
  QueueKey,
  QueueRow,
  QueueTable,
} from './job-queue';
export { toJobInfo } from './job-queue';
export { datajointJobs } from './datajoint-jobs';
export { datajoint2Jobs } from './datajoint2-jobs';
export type { QueueSettings, RefreshResult } from './datajoint2-refresh';

/** The job protocol of a schema that follows `conventions`. */
export function queueFor(conventions: Conventions): JobQueueProtocol {
  return conventions === '2' ? datajoint2Jobs : datajointJobs;
}

/** Hidden tables that settle a schema's conventions without reading its columns. */
function fromHidden(hidden: ReadonlySet<string>): Conventions | null {
  const names = [...hidden];
  const conventions = detectConventions(names.map((name) => ({ name, columns: [] })));
  const telling = names.some((n) => n === '~lineage' || n.startsWith('~~') || n === '~jobs' || n === '~log');
  return telling ? conventions : null;
}

const known = new WeakMap<object, Map<string, Conventions>>();

/**
 * The job protocol of a schema, by its conventions (`~lineage`/`~~` queues: 2.x; `~jobs`/`~log`:
 * 0.14; else its columns' type markers). A verdict from the hidden tables is remembered per
 * driver; one from the columns alone is not (an empty schema may yet become either).
 */
export async function resolveQueue(db: DbDriver, schema: string): Promise<JobQueueProtocol> {
  let mine = known.get(db);
  if (!mine) known.set(db, (mine = new Map()));
  const hit = mine.get(schema);
  if (hit) return queueFor(hit);
  return queueFor(await detectSchemaConventions(db, schema, mine));
}

async function detectSchemaConventions(
  db: DbDriver,
  schema: string,
  remember: Map<string, Conventions>,
): Promise<Conventions> {
  const hidden = await hiddenTables(db, schema);
  const verdict = fromHidden(hidden);
  if (verdict) {
    remember.set(schema, verdict);
    return verdict;
  }
  const catalog = await readCatalog(db, [schema]);
  return catalog.schemas[0]?.conventions ?? '0.14';
}

/**
 * The protocol to READ a schema's queue with, from its hidden tables: a schema whose hidden
 * tables tell nothing has no queue in either protocol (both then read nothing).
 */
export function readerQueue(hidden: ReadonlySet<string>): JobQueueProtocol {
  return queueFor(fromHidden(hidden) ?? '0.14');
}

/** Forgets what is known of a schema's queue (after it was dropped): its conventions and made queues. */
export function forgetQueue(db: DbSession, schema: string): void {
  known.get(db)?.delete(schema);
  forgetQueueTables(db, schema);
}
