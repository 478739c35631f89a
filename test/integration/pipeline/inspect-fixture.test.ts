import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { MYSQL_URL } from '../../support/mysql';
import { isSkipped } from '../../support/env';
import { dropFixture, expectedFixture, loadFixture } from '../../support/fixture';
import {
  expectJobsAsExpected,
  expectTablesAsExpected,
  inspectFixture,
  type InspectedFixture,
} from '../../support/inspect-fixture';

/**
 * The real DataJoint 0.14.9 database, loaded into MariaDB, read by Joinery: every field of every
 * table and job that ARCHITECTURE §8 names must equal the ground truth, with zero differences.
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
  'is_blob',
  'is_external',
  'store',
  'is_attachment',
  'is_filepath',
  'uuid',
  'json',
  'adapter',
  'hidden',
] as const;
const JOB_FIELDS = ['table_name', 'key_hash', 'status', 'key_plain', 'error_message'] as const;

describe.skipIf(isSkipped('mysql'))('joinery inspect on the DataJoint reference fixture', () => {
  let fx: InspectedFixture;
  const expected = expectedFixture();

  beforeAll(async () => {
    fx = await inspectFixture(loadFixture, 'jt_insp');
  });
  afterAll(async () => {
    await fx?.core.dispose();
    if (fx) await dropFixture(fx.names);
  });

  it('populate: false reads the same tables without their populate counts', async () => {
    const ctx = { transport: 'in-process', host: 'cli' } as const;
    const open = await fx.core.dispatch('connection.open', { url: MYSQL_URL }, ctx);
    if (!open.ok) throw new Error(open.error.message);
    const res = await fx.core.dispatch(
      'pipeline.inspect',
      { connectionId: (open.value as { id: string }).id, schemas: [fx.names.lab, fx.names.ephys], populate: false },
      ctx,
    );
    if (!res.ok) throw new Error(res.error.message);
    const lean = JSON.parse(fx.names.rename(JSON.stringify(res.value))) as PipelineInfo;
    const tables = (p: PipelineInfo) => Object.values(p.schemas).flatMap((s) => s.tables);
    expect(tables(fx.info).some((t) => t.populate)).toBe(true);
    expect(tables(lean).filter((t) => t.populate)).toEqual([]);
    expect(tables(lean)).toEqual(tables(fx.info).map(({ populate: _dropped, ...t }) => t));
  });

  for (const db of ['djref_lab', 'djref_ephys']) {
    it(`${db}: the same tables, in a dependency order, and the same hidden tables`, () => {
      const mine = fx.info.schemas[db]!;
      expect(mine.tables.map((t) => t.table_name).sort()).toEqual(
        expected.schemas[db].tables.map((t: TableInfo) => t.table_name).sort(),
      );
      expect(mine.hidden_tables).toEqual(expected.schemas[db].hidden_tables);
      const seen = new Set<string>();
      for (const t of mine.tables) {
        for (const fk of t.foreign_keys)
          if (fk.parent.startsWith(`${db}.`))
            expect(seen.has(fk.parent), `${fk.parent} before ${t.full_name}`).toBe(true);
        seen.add(t.full_name);
      }
    });

    it(`${db}: every field of every table equals the ground truth`, () => {
      expectTablesAsExpected(fx.info, expected, db, ATTRIBUTE_FIELDS);
    });

    it(`${db}: every ~jobs row, its key decoded`, () => {
      expectJobsAsExpected(fx.info, expected, db, JOB_FIELDS);
    });
  }
});
