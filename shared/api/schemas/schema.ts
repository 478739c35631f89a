import { z } from 'zod';
import { Id } from './common';
import { Conventions, Tier } from './pipeline';

/** A schema name as DataJoint accepts it (a MySQL database name; on SQLite a name prefix). */
export const SchemaName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,63}$/,
    'Schema names start with a lower-case letter and hold only a-z, 0-9 and _ (at most 64)',
  );

/**
 * Input of schema.create. `conventions`: whose conventions the new schema follows (DataJoint
 * 0.14, or 2.x, which starts the schema with its `~lineage`); omitted: Joinery's default.
 */
export const CreateSchemaInput = z
  .object({ connectionId: Id, name: SchemaName, conventions: Conventions.optional() })
  .strict();

/** One table of a declaration file (**fixed** format, issue "Pipeline core"). */
export const DeclareTable = z
  .object({
    schema: SchemaName,
    class_name: z
      .string()
      .regex(/^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)?$/, 'Class names are CamelCase; part tables are Master.Part'),
    tier: Tier,
    definition: z.string().min(1).max(200_000),
  })
  .strict();
export type DeclareTable = z.infer<typeof DeclareTable>;

/** A declaration file: an array of tables, or tables with adapters (`<name>` -> its SQL type). */
export const DeclareFile = z.union([
  z.array(DeclareTable).max(5000),
  z
    .object({ adapters: z.record(z.string(), z.string()).default({}), tables: z.array(DeclareTable).max(5000) })
    .strict(),
]);
export type DeclareFile = z.infer<typeof DeclareFile>;

/**
 * Input of table.declare: the file's content, declared in dependency order, all or nothing.
 * `conventions` applies to schemas that are new or still empty (omitted: Joinery's default);
 * an existing schema keeps its own, and asking for the other is an error. `jobMetadata` (2.x
 * only) gives Imported and Computed tables the hidden `_job_*` columns.
 */
export const DeclareInput = z
  .object({
    connectionId: Id,
    tables: z.array(DeclareTable).min(1).max(5000),
    adapters: z.record(z.string(), z.string()).default({}),
    conventions: Conventions.optional(),
    jobMetadata: z.boolean().default(false),
  })
  .strict();

/** Output of table.declare. */
export const DeclareResult = z.object({
  declared: z.array(z.string()),
  existing: z.array(z.string()),
  /** Existing tables (left as they are) whose definition differs from the one given, and how. */
  differing: z.array(z.object({ table: z.string(), differences: z.array(z.string()) })),
  schemasCreated: z.array(z.string()),
  /** The conventions each schema of the declaration follows. */
  conventions: z.record(z.string(), Conventions).default({}),
});
export type DeclareResult = z.infer<typeof DeclareResult>;

/** One table by schema and stored name. */
export const TableAddress = z
  .object({ connectionId: Id, schema: SchemaName, table: z.string().min(1).max(64) })
  .strict();

/** Output of table.describe. */
export const DescribeResult = z.object({ definition: z.string() });

/** What dropping a table takes with it: the table and its descendants, dependents first. */
export const DropPreview = z.object({ tables: z.array(z.object({ full_name: z.string(), rows: z.number() })) });
export type DropPreview = z.infer<typeof DropPreview>;

/**
 * Input of table.drop: `confirm` must list exactly the tables the preview showed. A part table is
 * dropped with its master; dropping it alone needs `forcePart` (DataJoint's `Part.drop(force=True)`).
 */
export const DropInput = TableAddress.extend({
  confirm: z.array(z.string()).min(1),
  forcePart: z.boolean().default(false),
}).strict();
