import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { Row } from '../db/driver';

/**
 * DataJoint 2.x's optional job metadata (`jobs.add_job_metadata`): hidden columns of a computed
 * table that say when its row's job started, how long it took and which code version made it.
 * Filled only where the table has them; a table without them is left as it is.
 */
const START = '_job_start_time';
const DURATION = '_job_duration';
const VERSION = '_job_version';

/** `YYYY-MM-DD HH:MM:SS.fff` of a time in ms since 1970 (the database's clock, kept in UTC). */
function datetime3(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** The metadata values of one job's rows for the columns `table` has (none: `{}`). */
export function jobMetadata(table: Pick<TableInfo, 'attributes'>, run: { started: number; ended: number }): Row {
  const has = (name: string) => table.attributes.some((a) => a.name === name);
  const out: Row = {};
  if (has(START)) out[START] = datetime3(run.started);
  if (has(DURATION)) out[DURATION] = Math.max(0, run.ended - run.started) / 1000;
  if (has(VERSION)) out[VERSION] = '';
  return out;
}
