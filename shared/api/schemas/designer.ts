import { z } from 'zod';
import { Id } from './common';
import { Dialect } from './connection';
import { Conventions, Tier } from './pipeline';
import { SchemaName } from './schema';

/**
 * One table as the designer holds it while the user types: looser than `DeclareTable`, so a
 * half-typed class name or an empty definition comes back as a field error of the preview
 * instead of a rejected request.
 */
export const PreviewTable = z
  .object({
    schema: z.string().max(64),
    class_name: z.string().max(200),
    tier: Tier,
    definition: z.string().max(200_000),
  })
  .strict();
export type PreviewTable = z.infer<typeof PreviewTable>;

/** Input of table.preview: tables to check and compile for the connection's engine; nothing is written. */
export const TablePreviewInput = z
  .object({
    connectionId: Id,
    tables: z.array(PreviewTable).min(1).max(200),
    adapters: z.record(z.string(), z.string()).default({}),
    /** Conventions for a new schema, as table.declare takes them. */
    conventions: Conventions.optional(),
  })
  .strict();

/** The part of a designed table a problem is about, so the UI can show it next to that field. */
export const PreviewField = z.enum(['schema', 'class_name', 'tier', 'definition']);
export type PreviewField = z.infer<typeof PreviewField>;

/** One problem of a previewed table; definition problems carry the 1-based line and column. */
export const PreviewError = z.object({
  table: z.string(),
  field: PreviewField,
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
export type PreviewError = z.infer<typeof PreviewError>;

/** Output of table.preview: the DDL each table would run (parents first), or why it cannot be declared. */
export const TablePreview = z.object({
  dialect: Dialect,
  tables: z.array(z.object({ full_name: z.string(), table_name: z.string(), ddl: z.array(z.string()) })),
  errors: z.array(PreviewError),
});
export type TablePreview = z.infer<typeof TablePreview>;

/** Input of pipeline.createSample: the schema to build the sample in (default `sample`). */
export const CreateSampleInput = z
  .object({ connectionId: Id, schema: SchemaName.default('sample'), conventions: Conventions.optional() })
  .strict();

/** Output of pipeline.createSample. */
export const SampleCreated = z.object({
  schema: z.string(),
  tables: z.array(z.string()),
  rows: z.number().int(),
  /** `schema.table` of the Computed table whose task the sample set (run populate to fill it). */
  computed: z.string(),
});
export type SampleCreated = z.infer<typeof SampleCreated>;
