import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import type { Core } from '../../../electron/core/container';
import { createTestCore } from '../../support/core';
import { isSkipped } from '../../support/env';
import { dropFixture, expectedFixture2, loadFixture2, type FixtureNames } from '../../support/fixture';
import { MYSQL_URL } from '../../support/mysql';

/**
 * The real DataJoint 2.3.2 database, loaded into MariaDB, read by Joinery: every field of every
 * table, populate count and `~~<table>` queue row that the ground truth records, with zero differences.
 */
const TABLE_FIELDS = [
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
const ATTRIBUTE_FIELDS = [
  'name',
  'in_key',
  'datajoint_type',
  'sql_type',
  'nullable',
  'default',
  'comment',
  'sql_comment',
  'autoincrement',
  'codec',
  'store',
  'is_blob',
  'json',
  'uuid',
  'hidden',
] as const;
const POPULATE_FIELDS = [
  'key_source_attributes',
  'key_source_count',
  'populated_key_count',
  'pending_count',
  'pending_excluding_jobs_count',
  'jobs_by_status',
] as const;
const JOB_FIELDS = ['table_name', 'jobs_table', 'status', 'key_plain', 'error_message', 'priority'] as const;

const pick = (o: Record<string, unknown>, fields: readonly string[]) =>
  Object.fromEntries(fields.map((f) => [f, o[f]]));

describe.skipIf(isSkipped('mysql'))('joinery inspect on the DataJoint 2.x reference fixture', () => {
  let core: Core;
  let names: FixtureNames & { rename: (s: string) => string };
  let info: PipelineInfo;
  const expected = expectedFixture2();

  beforeAll(async () => {
    names = await loadFixture2('jt_insp2');
    ({ core } = createTestCore());
    const open = await core.dispatch('connection.open', { url: MYSQL_URL }, { transport: 'in-process', host: 'cli' });
    if (!open.ok) throw new Error(open.error.message);
    const res = await core.dispatch(
      'pipeline.inspect',
      { connectionId: (open.value as { id: string }).id, schemas: [names.lab, names.ephys] },
      { transport: 'in-process', host: 'cli' },
    );
    if (!res.ok) throw new Error(res.error.message);
    info = JSON.parse(names.rename(JSON.stringify(res.value)));
  });
  afterAll(async () => {
    await core?.dispose();
    if (names) await dropFixture(names);
  });

  for (const db of ['dj2ref_lab', 'dj2ref_ephys']) {
    it(`${db}: follows DataJoint 2 conventions, with the same tables and hidden tables`, () => {
      const mine = info.schemas[db]!;
      expect(mine.conventions).toBe('2');
      expect(mine.tables.map((t) => t.table_name).sort()).toEqual(
        expected.schemas[db].tables.map((t: TableInfo) => t.table_name).sort(),
      );
      expect(mine.hidden_tables).toEqual(expected.schemas[db].hidden_tables);
    });

    it(`${db}: every field of every table equals the ground truth`, () => {
      for (const want of expected.schemas[db].tables) {
        const got = info.schemas[db]!.tables.find((t) => t.table_name === want.table_name)!;
        expect(pick(got, TABLE_FIELDS), want.full_name).toEqual(pick(want, TABLE_FIELDS));
        expect(
          got.attributes.map((a) => pick(a, ATTRIBUTE_FIELDS)),
          want.full_name,
        ).toEqual(want.attributes.map((a: Record<string, unknown>) => pick(a, ATTRIBUTE_FIELDS)));
        if (want.populate)
          expect(pick(got.populate ?? {}, POPULATE_FIELDS), `${want.full_name} populate`).toEqual(
            pick(want.populate, POPULATE_FIELDS),
          );
        else expect(got.populate).toBeUndefined();
      }
    });

    it(`${db}: every ~~<table> queue row, its key decoded`, () => {
      const order = (a: Record<string, unknown>, b: Record<string, unknown>) =>
        JSON.stringify([a.table_name, a.key_plain]).localeCompare(JSON.stringify([b.table_name, b.key_plain]));
      const got = info.schemas[db]!.jobs.map((j) => pick(j, JOB_FIELDS)).sort(order);
      const want = (expected.schemas[db].jobs ?? [])
        .map((j: Record<string, unknown>) => pick(j, JOB_FIELDS))
        .sort(order);
      expect(got).toEqual(want);
    });
  }
});
