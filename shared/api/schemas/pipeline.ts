import { z } from 'zod';
import { Dialect } from './connection';

/**
 * The pipeline as Joinery reads it from a database. Field names are DataJoint's own (those of
 * `datajoint-reference.expected.json`), so `joinery inspect --json` prints this model verbatim
 * and a lab's data engineer recognises every field.
 */

/** DataJoint's table tiers; `null` for tables whose names follow no tier rule. */
export const Tier = z.enum(['Lookup', 'Manual', 'Imported', 'Computed', 'Part']);
export type Tier = z.infer<typeof Tier>;

/** One column, with its DataJoint type recovered from the `:type:` comment. */
export const AttributeInfo = z.object({
  name: z.string(),
  in_key: z.boolean(),
  datajoint_type: z.string(),
  sql_type: z.string(),
  nullable: z.boolean(),
  default: z.string().nullable(),
  comment: z.string(),
  sql_comment: z.string(),
  autoincrement: z.boolean(),
  is_blob: z.boolean(),
  is_external: z.boolean(),
  store: z.string().nullable(),
  is_attachment: z.boolean(),
  is_filepath: z.boolean(),
  uuid: z.boolean(),
  json: z.boolean(),
  adapter: z.string().nullable(),
  hidden: z.boolean(),
  /** DataJoint 2.x: the codec of a `<codec>` / `<codec@store>` type (`blob`, `attach`, `object`...), null for core types; absent in 0.14 schemas. */
  codec: z.string().nullable().optional(),
  /** DataJoint 2.x: where the attribute originates (`schema.table.attribute`, from `~lineage`); joins match only namesakes of one lineage. */
  lineage: z.string().optional(),
  /** Joinery's addition: a MariaDB `json` column (longtext + json_valid CHECK), which DataJoint 0.14 reports as longtext. */
  json_text: z.literal(true).optional(),
});
export type AttributeInfo = z.infer<typeof AttributeInfo>;

/** A foreign key; `attr_map` maps child attribute -> parent attribute. */
export const ForeignKeyInfo = z.object({
  parent: z.string(),
  attr_map: z.record(z.string(), z.string()),
  primary: z.boolean(),
  aliased: z.boolean(),
  nullable: z.boolean(),
  unique: z.boolean(),
});
export type ForeignKeyInfo = z.infer<typeof ForeignKeyInfo>;

/** A secondary index (the primary key is not listed). */
export const IndexInfo = z.object({
  columns: z.array(z.string()),
  unique: z.boolean(),
  nullable: z.boolean(),
});
export type IndexInfo = z.infer<typeof IndexInfo>;

/** Counts of job-queue rows per status for one table (2.x queues also have pending and success). */
export const JobsByStatus = z.object({
  pending: z.number().optional(),
  reserved: z.number(),
  success: z.number().optional(),
  error: z.number(),
  ignore: z.number(),
});

/** Which DataJoint version's conventions a schema follows (`~jobs` and `~log`, or `~lineage` and `~~<table>` queues). */
export const Conventions = z.enum(['0.14', '2']);
export type Conventions = z.infer<typeof Conventions>;

/** Key source and pending counts of an Imported or Computed table. */
export const PopulateInfo = z.object({
  key_source_attributes: z.array(z.string()),
  key_source_count: z.number(),
  populated_key_count: z.number(),
  pending_count: z.number(),
  pending_excluding_jobs_count: z.number(),
  jobs_by_status: JobsByStatus,
});
export type PopulateInfo = z.infer<typeof PopulateInfo>;

/** One table of a schema. */
export const TableInfo = z.object({
  full_name: z.string(),
  schema: z.string(),
  table_name: z.string(),
  class_name: z.string(),
  tier: Tier.nullable(),
  /** Full name (`schema.table`) of a part table's master. */
  master: z.string().nullable(),
  table_comment: z.string(),
  primary_key: z.array(z.string()),
  secondary_attributes: z.array(z.string()),
  hidden_attributes: z.array(z.string()),
  attributes: z.array(AttributeInfo),
  foreign_keys: z.array(ForeignKeyInfo),
  indexes: z.array(IndexInfo),
  row_count: z.number(),
  populate: PopulateInfo.optional(),
});
export type TableInfo = z.infer<typeof TableInfo>;

/** A job-queue row (`~jobs`, or a 2.x `~~<table>` queue) with its key decoded. */
export const JobInfo = z.object({
  table_name: z.string(),
  /** DataJoint 0.14's key hash; for 2.x rows (which have none) the same hash computed from the key. */
  key_hash: z.string(),
  status: z.enum(['pending', 'reserved', 'success', 'error', 'ignore']),
  /** 2.x only: the `~~<table>` queue the row is in, and its priority (lower runs first). */
  jobs_table: z.string().optional(),
  priority: z.number().optional(),
  key_plain: z.record(z.string(), z.unknown()).nullable(),
  error_message: z.string(),
});
export type JobInfo = z.infer<typeof JobInfo>;

/** One schema: its tables in dependency order, hidden table names and its `~jobs` rows. */
export const SchemaInfo = z.object({
  database: z.string(),
  conventions: Conventions,
  tables: z.array(TableInfo),
  hidden_tables: z.array(z.string()),
  jobs: z.array(JobInfo),
});
export type SchemaInfo = z.infer<typeof SchemaInfo>;

/** Output of pipeline.inspect and of `joinery inspect --json`. */
export const PipelineInfo = z.object({
  dialect: Dialect,
  schemas: z.record(z.string(), SchemaInfo),
  /** The conventions a schema created without choosing gets: the lab's setting, else the database's, else 2. */
  new_schema_conventions: Conventions.optional(),
});
export type PipelineInfo = z.infer<typeof PipelineInfo>;

/** Input of pipeline.inspect: all schemas, or the named ones. */
export const InspectInput = z
  .object({
    connectionId: z.string().min(1),
    schemas: z.array(z.string().min(1).max(64)).max(1000).optional(),
    /** false: no populate counts (a key source query per auto-populated table); the diagram reads them from jobs.pending. */
    populate: z.boolean().optional(),
  })
  .strict();
