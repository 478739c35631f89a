import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { isSkipped } from '../../support/env';
import { dropFixture, expectedFixture2, loadFixture2 } from '../../support/fixture';
import {
  expectJobsAsExpected,
  expectTablesAsExpected,
  inspectFixture,
  type InspectedFixture,
} from '../../support/inspect-fixture';

/**
 * The real DataJoint 2.3.2 database, loaded into MariaDB, read by Joinery: every field of every
 * table, populate count and `~~<table>` queue row that the ground truth records, with zero differences.
 */
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
const JOB_FIELDS = ['table_name', 'jobs_table', 'status', 'key_plain', 'error_message', 'priority'] as const;

describe.skipIf(isSkipped('mysql'))('joinery inspect on the DataJoint 2.x reference fixture', () => {
  let fx: InspectedFixture;
  const expected = expectedFixture2();

  beforeAll(async () => {
    fx = await inspectFixture(loadFixture2, 'jt_insp2');
  });
  afterAll(async () => {
    await fx?.core.dispose();
    if (fx) await dropFixture(fx.names);
  });

  for (const db of ['dj2ref_lab', 'dj2ref_ephys']) {
    it(`${db}: follows DataJoint 2 conventions, with the same tables and hidden tables`, () => {
      const mine = fx.info.schemas[db]!;
      expect(mine.conventions).toBe('2');
      expect(mine.tables.map((t) => t.table_name).sort()).toEqual(
        expected.schemas[db].tables.map((t: TableInfo) => t.table_name).sort(),
      );
      expect(mine.hidden_tables).toEqual(expected.schemas[db].hidden_tables);
    });

    it(`${db}: every field of every table equals the ground truth`, () => {
      expectTablesAsExpected(fx.info, expected, db, ATTRIBUTE_FIELDS);
    });

    it(`${db}: every ~~<table> queue row, its key decoded`, () => {
      expectJobsAsExpected(fx.info, expected, db, JOB_FIELDS);
    });
  }
});
