import { appError } from '../../errors';
import type { ResolvedTable } from './heading';
import { parseDefinition } from './parse';
import { resolveDefinition } from './resolve';

/**
 * Definitions of DataJoint's hidden tables (0.14: external.py, jobs.py, table.py Log), written
 * in the definition language so both DDL writers declare them like any table and the columns,
 * comments and defaults come out exactly as DataJoint Python makes them.
 */

/** Name prefix of the per-store tracking tables: `~external_<store>`. */
export const EXTERNAL_TABLE_PREFIX = '~external_';

/** `~external_<store>`: one row per stored object, referenced by `binary(16)` columns (datajoint.md §4). */
export function externalTableDefinition(): string {
  return `# external storage tracking
hash : uuid # hash of contents (blob), of filename + contents (attach), or relative filepath (filepath)
---
size : bigint unsigned # size of object in bytes
attachment_name = null : varchar(255) # the filename of an attachment
filepath = null : varchar(1000) # relative filepath or attachment filename
contents_hash = null : uuid # used for the filepath datatype
timestamp = CURRENT_TIMESTAMP : timestamp # automatic timestamp
`;
}

/** `~jobs` of a schema: DataJoint's reservation table (datajoint.md §3). */
export function jobsTableDefinition(database: string): string {
  return `# job reservation table for \`${database}\`
table_name : varchar(255) # className of the table
key_hash : char(32) # key hash
---
status : enum('reserved','error','ignore') # if tuple is missing, the job is available
key = null : blob # structure containing the key
error_message = "" : varchar(2047) # error message returned if failed
error_stack = null : mediumblob # error stack if failed
user = "" : varchar(255) # database user
host = "" : varchar(255) # system hostname
pid = 0 : int unsigned # system process id
connection_id = 0 : bigint unsigned # connection_id()
timestamp = CURRENT_TIMESTAMP : timestamp # automatic timestamp
`;
}

/** `~log` of a schema: DataJoint's event log (datajoint.md §3). */
export function logTableDefinition(database: string): string {
  return `# event logging table for \`${database}\`
id : int unsigned auto_increment # event order id
---
timestamp = CURRENT_TIMESTAMP : timestamp # event timestamp
version : varchar(12) # datajoint version
user : varchar(255) # user@host
host = "" : varchar(255) # system hostname
event = "" : varchar(255) # event message
`;
}

/** `~lineage` of a DataJoint 2.x schema (lineage.py): where each key and foreign-key attribute comes from. */
export function lineageTableDefinition(): string {
  return `table_name : varchar(64) # table name within the schema
attribute_name : varchar(64) # attribute name
---
lineage : varchar(255) # origin: schema.table.attribute
`;
}

/** Name of a 2.x schema's lineage table. */
export const LINEAGE_TABLE = '~lineage';

/** DataJoint's store-name pattern (settings.py). */
const STORE_NAME = /^[a-z][a-z0-9_-]*$/;

function resolveHidden(schema: string, tableName: string, definition: string): ResolvedTable {
  return resolveDefinition(parseDefinition(definition, { table: tableName }), {
    schema,
    tableName,
    lookup: () => undefined,
  });
}

/** The resolved `~external_<store>` of a schema, ready for either DDL writer. */
export function externalTable(schema: string, store: string): ResolvedTable {
  if (!STORE_NAME.test(store) || store.length > 64 - EXTERNAL_TABLE_PREFIX.length) {
    throw appError(
      'VALIDATION',
      `"${store}" is not a store name: a lowercase letter, then letters, digits, "_" or "-".`,
      {
        details: { field: 'store', expected: 'a store name ([a-z][a-z0-9_-]*)', found: store },
      },
    );
  }
  return resolveHidden(schema, EXTERNAL_TABLE_PREFIX + store, externalTableDefinition());
}

/** The resolved `~jobs` of a schema. */
export function jobsTable(schema: string): ResolvedTable {
  return resolveHidden(schema, '~jobs', jobsTableDefinition(schema));
}

/** The resolved `~log` of a schema. */
export function logTable(schema: string): ResolvedTable {
  return resolveHidden(schema, '~log', logTableDefinition(schema));
}

/** The resolved `~lineage` of a 2.x schema (plain columns with comments and no table comment, as 2.x makes it). */
export function lineageTable(schema: string): ResolvedTable {
  return resolveHidden(schema, LINEAGE_TABLE, lineageTableDefinition());
}
