import type { Out } from '../../shared/api/contract';
import type { TableJobs } from '../../shared/api/schemas/jobs';

type PendingResult = Out<'jobs.pending'>;
import { useApiQuery } from './hooks';

/** Where the jobs of one auto-populated table stand; the diagram's badges and the job monitor show these numbers. */
export interface TableProgress {
  /** `<schema>.<table_name>`. */
  key: string;
  schema: string;
  tableName: string;
  className: string;
  tier: 'Imported' | 'Computed';
  done: number;
  /** Keys not yet computed and not held by a job (DataJoint's pending minus reserved/error/ignore). */
  pending: number;
  reserved: number;
  running: number;
  /** Keys waiting for a retry after a failure. */
  waiting: number;
  error: number;
  ignored: number;
  /** Every key of the key source. */
  total: number;
  hasTask: boolean;
}

/** One table's progress from `jobs.pending`. */
export function toTableProgress(t: TableJobs): TableProgress {
  return {
    key: `${t.schema}.${t.table_name}`,
    schema: t.schema,
    tableName: t.table_name,
    className: t.class_name,
    tier: t.tier,
    done: t.populated_key_count,
    pending: t.pending_excluding_jobs_count,
    reserved: t.jobs_by_status.reserved,
    running: t.running,
    waiting: t.waiting,
    error: t.jobs_by_status.error,
    ignored: t.jobs_by_status.ignore,
    total: t.key_source_count,
    hasTask: t.has_task,
  };
}

// module-level so its identity is stable: an inline select would build a new Map on every render
const byTable = (r: PendingResult) =>
  new Map(r.tables.map((t) => [`${t.schema}.${t.table_name}`, toTableProgress(t)] as const));

/** Progress of every auto-populated table of a connection, by `<schema>.<table_name>`; live through core events. */
export function useTableProgress(connectionId: string | null) {
  return useApiQuery(
    'jobs.pending',
    { connectionId: connectionId ?? '' },
    {
      enabled: connectionId !== null,
      select: byTable,
    },
  );
}
