import { expect } from 'vitest';
import type { PipelineInfo, TableInfo } from '../../shared/api/schemas/pipeline';
import type { Core } from '../../electron/core/container';
import { createTestCore } from './core';
import { type FixtureNames } from './fixture';
import { MYSQL_URL } from './mysql';

/** Fields of a table that inspect must report exactly as the fixture's ground truth. */
export const TABLE_FIELDS = [
  'full_name',
  'schema',
  'table_name',
  'class_name',
  'tier',
  'master',
  'table_comment',
  'primary_key',
  'secondary_attributes',
  'hidden_attributes',
  'foreign_keys',
  'indexes',
  'row_count',
] as const;

const POPULATE_FIELDS = [
  'key_source_attributes',
  'key_source_count',
  'populated_key_count',
  'pending_count',
  'pending_excluding_jobs_count',
  'jobs_by_status',
] as const;

/** The named fields of a record, for comparing what both sides report. */
export const pick = (o: Record<string, unknown>, fields: readonly string[]) =>
  Object.fromEntries(fields.map((f) => [f, o[f]]));

/** A loaded fixture as Joinery's inspect reads it, with the databases named back as in the fixture. */
export interface InspectedFixture {
  core: Core;
  names: FixtureNames & { rename: (s: string) => string };
  info: PipelineInfo;
}

/** Loads a fixture into MariaDB (under `prefix`) and inspects its two schemas through the API. */
export async function inspectFixture(
  load: (prefix: string) => Promise<FixtureNames & { rename: (s: string) => string }>,
  prefix: string,
): Promise<InspectedFixture> {
  const names = await load(prefix);
  const { core } = createTestCore();
  const ctx = { transport: 'in-process', host: 'cli' } as const;
  const open = await core.dispatch('connection.open', { url: MYSQL_URL }, ctx);
  if (!open.ok) throw new Error(open.error.message);
  const res = await core.dispatch(
    'pipeline.inspect',
    { connectionId: (open.value as { id: string }).id, schemas: [names.lab, names.ephys] },
    ctx,
  );
  if (!res.ok) throw new Error(res.error.message);
  return { core, names, info: JSON.parse(names.rename(JSON.stringify(res.value))) };
}

/** Every table of `db` equals the ground truth: table fields, the given attribute fields, populate counts. */
export function expectTablesAsExpected(
  info: PipelineInfo,
  expected: { schemas: Record<string, { tables: (TableInfo & Record<string, unknown>)[] }> },
  db: string,
  attributeFields: readonly string[],
): void {
  for (const want of expected.schemas[db]!.tables) {
    const got = info.schemas[db]!.tables.find((t) => t.table_name === want.table_name)!;
    expect(pick(got, TABLE_FIELDS), want.full_name).toEqual(pick(want, TABLE_FIELDS));
    expect(
      got.attributes.map((a) => pick(a, attributeFields)),
      want.full_name,
    ).toEqual(want.attributes.map((a) => pick(a as Record<string, unknown>, attributeFields)));
    if (want.populate)
      expect(pick(got.populate ?? {}, POPULATE_FIELDS), `${want.full_name} populate`).toEqual(
        pick(want.populate as Record<string, unknown>, POPULATE_FIELDS),
      );
    else expect(got.populate).toBeUndefined();
  }
}

/** The jobs of `db` equal the ground truth's on `fields`, in an order both sides share. */
export function expectJobsAsExpected(
  info: PipelineInfo,
  expected: { schemas: Record<string, { jobs?: Record<string, unknown>[] }> },
  db: string,
  fields: readonly string[],
): void {
  const order = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    JSON.stringify(fields.map((f) => a[f])).localeCompare(JSON.stringify(fields.map((f) => b[f])));
  const got = info.schemas[db]!.jobs.map((j) => pick(j as Record<string, unknown>, fields)).sort(order);
  const want = (expected.schemas[db]!.jobs ?? []).map((j) => pick(j, fields)).sort(order);
  expect(got).toEqual(want);
}
