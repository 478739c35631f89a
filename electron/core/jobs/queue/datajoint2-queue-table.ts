import type { AttributeInfo, TableInfo } from '../../../../shared/api/schemas/pipeline';
import type { ResolvedTable } from '../../../../shared/model/definition/heading';
import { parseDefinition, resolveDefinition } from '../../../../shared/model/definition';
import { createTableDdl } from '../../../../shared/sql/ddl';
import type { DbSession } from '../../db/driver';
import { v2QueueName } from './datajoint2-read';

/**
 * The DDL of a DataJoint 2.x job queue (jobs.py of 2.3, checked against the 2.x fixture's
 * `SHOW CREATE TABLE`): the target's key columns, then the queue's own, each with 2.x's type
 * marker in its comment, and an index on (status, priority, scheduled_time).
 */
const QUEUE_COLUMNS = `
status : enum('pending','reserved','success','error','ignore')
priority : tinyint
created_time = CURRENT_TIMESTAMP(3) : datetime(3)
scheduled_time = CURRENT_TIMESTAMP(3) : datetime(3)
reserved_time = null : datetime(3)
completed_time = null : datetime(3)
duration = null : double
error_message = "" : varchar(2047)
error_stack = null : longblob
user = "" : varchar(255)
host = "" : varchar(255)
pid = 0 : int
connection_id = 0 : bigint
version = "" : varchar(64)
index(status, priority, scheduled_time)
`;

/** The `:type:` markers 2.x writes into the queue's own column comments. */
const MARKERS: Record<string, string> = {
  status: ":enum('pending', 'reserved', 'success', 'error', 'ignore'):",
  priority: ':int8:',
  created_time: ':datetime(3):',
  scheduled_time: ':datetime(3):',
  reserved_time: ':datetime(3):',
  completed_time: ':datetime(3):',
  duration: ':float64:',
  error_message: ':varchar(2047):',
  error_stack: ':<blob>:',
  user: ':varchar(255):',
  host: ':varchar(255):',
  pid: ':int32:',
  connection_id: ':int64:',
  version: ':varchar(64):',
};

/** 2.x's default priority of a new queue row (lower runs first). */
export const DEFAULT_PRIORITY = 5;

/**
 * The key of a table's queue: its primary-key attributes that come from foreign keys (2.x keys a
 * queue by the target's FK-derived key), or the whole primary key when none do.
 */
export function queueKeyAttributes(table: Pick<TableInfo, 'attributes' | 'foreign_keys'>): AttributeInfo[] {
  const key = table.attributes.filter((a) => a.in_key && !a.hidden);
  const fromParents = new Set(
    (table.foreign_keys ?? []).filter((fk) => fk.primary).flatMap((fk) => Object.keys(fk.attr_map)),
  );
  const inherited = key.filter((a) => fromParents.has(a.name));
  return inherited.length ? inherited : key;
}

/** A key column's marker as 2.x copies it (the type part of the target's comment, no user comment). */
function keyMarker(a: AttributeInfo): string {
  return /^:[^:]*:/.exec(a.sql_comment)?.[0] ?? '';
}

/** The resolved `~~<table>` of an auto-populated table, ready for `createTableDdl`. */
export function queueTable(table: TableInfo): ResolvedTable {
  const key = queueKeyAttributes(table);
  const name = v2QueueName(table.table_name);
  const definition = `# Job queue for \`${table.schema}\`.\`${table.table_name}\`
${key.map((a) => `${a.name} : ${a.sql_type}`).join('\n')}
---${QUEUE_COLUMNS}`;
  const resolved = resolveDefinition(parseDefinition(definition, { table: name }), {
    schema: table.schema,
    tableName: name,
    lookup: () => undefined,
  });
  const byName = new Map(key.map((a) => [a.name, a]));
  for (const c of resolved.columns) {
    const attr = byName.get(c.name);
    c.sqlComment = attr ? keyMarker(attr) : (MARKERS[c.name] ?? '');
  }
  return resolved;
}

const prepared = new WeakMap<object, Map<string, Promise<void>>>();

/** Creates a table's queue if missing (as 2.x does on first use), once per driver. */
export function ensureQueueTable(db: DbSession, table: TableInfo): Promise<void> {
  let mine = prepared.get(db);
  if (!mine) prepared.set(db, (mine = new Map()));
  let done = mine.get(table.full_name);
  if (!done) {
    done = (async () => {
      for (const st of createTableDdl(db.dialect, queueTable(table))) await db.execute(st.sql, st.params);
    })();
    mine.set(table.full_name, done);
    done.catch(() => mine.delete(table.full_name));
  }
  return done;
}

/** Forgets the queues made in `schema` (dropped), so they are made again on next use. */
export function forgetQueueTables(db: DbSession, schema: string): void {
  const mine = prepared.get(db);
  for (const name of [...(mine?.keys() ?? [])]) if (name.startsWith(`${schema}.`)) mine!.delete(name);
}
