import { z } from 'zod';
import { Id } from './common';
import { StoreName } from './settings';

/** One table of an open connection, by schema and stored table name (`#rig`, `session__note`). */
export const TableRef = z.object({
  connectionId: Id,
  schema: z.string().min(1).max(64),
  table: z.string().min(1).max(64),
});
export type TableRef = z.infer<typeof TableRef>;

const isRow = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A row as attribute -> canonical value (see shared/model/value-rules.ts). Checked as "an object"
 * without copying it: values are checked per attribute by the core, and inserts and fetches of
 * 100k rows must not spend their time in a generic record check.
 */
export const DataRow = z.custom<Record<string, unknown>>(isRow, 'Expected an object of attribute values');
export type DataRow = z.infer<typeof DataRow>;

/** Rows the core returns: one check of the whole array (a fetch of 100k rows is checked in a millisecond). */
export const DataRows = z.custom<DataRow[]>(
  (v) => Array.isArray(v) && v.every(isRow),
  'Expected an array of row objects',
);

/** Rows to match: a dict of attribute values, or a list of dicts (any of them). */
export const Restriction = z.union([DataRow, z.array(DataRow).max(100_000)]);
export type Restriction = z.infer<typeof Restriction>;

/** What to do with a row whose primary key already exists. */
export const DuplicateMode = z.enum(['error', 'skip', 'replace']);

/**
 * Input of data.insert: all rows go in one transaction, or none. Imported and Computed tables get
 * their rows from populate; inserting by hand needs `allowDirectInsert`, as DataJoint's
 * `allow_direct_insert=True` does.
 */
export const InsertInput = TableRef.extend({
  // the array is checked here, each row by the core, which names a row that is not an object ("row 7: ...")
  rows: z
    .custom<DataRow[]>((v) => Array.isArray(v), 'Expected an array of rows')
    .refine((rows) => rows.length >= 1 && rows.length <= 1_000_000, 'Give 1 to 1,000,000 rows'),
  onDuplicate: DuplicateMode.default('error'),
  allowDirectInsert: z.boolean().default(false),
}).strict();

/** Output of data.insert. */
export const InsertResult = z.object({ inserted: z.number(), skipped: z.number() });
export type InsertResult = z.infer<typeof InsertResult>;

/** Input of data.fetch. */
export const FetchInput = TableRef.extend({
  restriction: Restriction.optional(),
  attributes: z.array(z.string().max(64)).max(4096).optional(),
  orderBy: z
    .array(z.object({ attribute: z.string().max(64), descending: z.boolean().default(false) }))
    .max(64)
    .optional(),
  limit: z.number().int().min(1).max(1_000_000).default(1000),
  offset: z.number().int().min(0).default(0),
}).strict();

/** Output of data.fetch: typed rows and the total number of matching rows. */
export const FetchResult = z.object({
  attributes: z.array(z.string()),
  primary_key: z.array(z.string()),
  rows: DataRows,
  total: z.number(),
});
export type FetchResult = z.infer<typeof FetchResult>;

/** Input of data.deletePreview. */
export const DeletePreviewInput = TableRef.extend({ restriction: Restriction.optional() }).strict();

/** Rows a delete would remove, per table, the restricted table first. */
export const DeletePreview = z.object({
  tables: z.array(z.object({ full_name: z.string(), class_name: z.string(), rows: z.number() })),
  total: z.number(),
});
export type DeletePreview = z.infer<typeof DeletePreview>;

/** Input of data.delete: `expectedTotal` is the preview's total, so a delete never removes more than was shown. */
export const DeleteInput = DeletePreviewInput.extend({
  expectedTotal: z.number().int().min(0),
  forceParts: z.boolean().default(false),
}).strict();

/** Input of data.update: DataJoint's update1, secondary attributes of one row found by its full primary key. */
export const UpdateInput = TableRef.extend({ key: DataRow, values: DataRow }).strict();

/**
 * Input of data.import: a CSV (header row = attribute names) or JSON (array of objects, or JSON
 * Lines) file's text, inserted in one transaction; errors name the file line. `baseDir` is the
 * folder that attachment paths in the file are relative to (honoured only for local callers).
 */
export const ImportInput = TableRef.extend({
  format: z.enum(['csv', 'json']),
  text: z.string().max(1 << 29),
  onDuplicate: DuplicateMode.default('error'),
  baseDir: z.string().max(4096).optional(),
  allowDirectInsert: z.boolean().default(false),
}).strict();

/** Output of data.import: the insert's counts and the number of rows the file held. */
export const ImportResult = InsertResult.extend({ rows: z.number() });
export type ImportResult = z.infer<typeof ImportResult>;

/** Input of data.unusedExternal: one external store of one schema. */
export const ExternalStoreRef = z
  .object({ connectionId: Id, schema: z.string().min(1).max(64), store: StoreName })
  .strict();

/** Objects of an external store that no row references any more (DataJoint's `external[store].unused()`). */
export const UnusedExternal = z.object({
  schema: z.string(),
  store: z.string(),
  objects: z.array(
    z.object({
      hash: z.string(),
      kind: z.enum(['blob', 'attach', 'filepath']),
      size: z.number(),
      /** The object's path relative to the store's folder. */
      path: z.string(),
    }),
  ),
  total_bytes: z.number(),
  /** Files that could not be removed (data.cleanExternal only), with the reason. */
  file_errors: z.array(z.object({ path: z.string(), reason: z.string() })).optional(),
});
export type UnusedExternal = z.infer<typeof UnusedExternal>;

/**
 * Input of data.cleanExternal: removes the unused objects the preview (data.unusedExternal)
 * counted, their tracking rows and, unless `keepFiles`, their files.
 */
export const CleanExternalInput = ExternalStoreRef.extend({
  expectedCount: z.number().int().min(0),
  keepFiles: z.boolean().default(false),
}).strict();
