import type { ResolvedColumn } from './heading';
import type { ResolveState } from './resolve-state';
import { codecOf } from './types-v2';

/**
 * What DataJoint 2.x adds to a declared table beyond its lines: the hidden `_singleton` key of a
 * table without key attributes (declare.py), the optional `_job_*` metadata columns of
 * auto-populated tables (jobs.add_job_metadata), and the stores its codecs use (checked against
 * this machine's configuration before anything is written; 2.x keeps no `~external_*` tables).
 */

/** Name of 2.x's hidden key of a table without primary-key attributes. */
export const SINGLETON = '_singleton';

const hidden = (
  name: string,
  sqlType: string,
  columnType: string,
  marker: string,
  comment: string,
  extra: Partial<ResolvedColumn>,
): ResolvedColumn => ({
  name,
  type: { kind: 'sql', sql: sqlType },
  datajointType: marker,
  sqlType,
  columnType,
  nullable: true,
  default: { kind: 'null' },
  comment,
  sqlComment: `:${marker}:${comment}`,
  inKey: false,
  autoIncrement: false,
  store: null,
  fromForeignKey: null,
  ...extra,
});

/** `_singleton bool NOT NULL DEFAULT TRUE` (MariaDB: tinyint(4) ... DEFAULT 1), first and the whole key. */
function singletonColumn(): ResolvedColumn {
  return hidden(SINGLETON, 'tinyint', 'tinyint(4)', 'bool', 'singleton primary key', {
    type: { kind: 'integer', base: 'tinyint', width: null, unsigned: false, autoIncrement: false },
    nullable: false,
    default: { kind: 'number', text: '1' },
    inKey: true,
  });
}

/** The `_job_*` columns 2.x fills when a job ends (nullable: rows inserted by hand have none). */
function jobMetadataColumns(): ResolvedColumn[] {
  return [
    hidden('_job_start_time', 'datetime(3)', 'datetime(3)', 'datetime(3)', 'start time of the job that made this row', {
      type: { kind: 'temporal', base: 'datetime', precision: 3 },
    }),
    hidden('_job_duration', 'float', 'float', 'float32', 'duration of that job in seconds', {
      type: { kind: 'float', base: 'float', precision: null, scale: null, unsigned: false },
    }),
    hidden('_job_version', 'varchar(64)', 'varchar(64)', 'varchar(64)', 'code version of that job', {
      type: { kind: 'char', varying: true, length: 64 },
    }),
  ];
}

/** Adds the singleton key and the asked-for job metadata columns to a 2.x table. */
export function addV2HiddenColumns(st: ResolveState): void {
  const t = st.table;
  if (t.primaryKey.length === 0) {
    const col = singletonColumn();
    t.columns.unshift(col);
    t.primaryKey.push(col.name);
    st.byName.set(col.name, col);
  }
  if (!st.ctx.jobMetadata) return;
  for (const col of jobMetadataColumns()) {
    t.columns.push(col);
    st.byName.set(col.name, col);
  }
}

/** Records the store a 2.x codec uses (`''` for `@` alone: the default store). */
export function addCodecStore(st: ResolveState, marker: string | undefined): void {
  const store = codecOf(marker ?? null)?.store;
  if (store === null || store === undefined) return;
  const stores = (st.table.codecStores ??= []);
  if (!stores.includes(store)) stores.push(store);
}
