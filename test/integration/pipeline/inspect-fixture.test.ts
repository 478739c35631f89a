import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import type { Core } from '../../../electron/core/container';
import { createTestCore } from '../../support/core';
import { isSkipped } from '../../support/env';
import { dropFixture, expectedFixture, loadFixture, type FixtureNames } from '../../support/fixture';
import { MYSQL_URL } from '../../support/mysql';

/**
 * The real DataJoint 0.14.9 database, loaded into MariaDB, read by Joinery: every field of every
 * table and job that ARCHITECTURE §8 names must equal the ground truth, with zero differences.
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
const POPULATE_FIELDS = [
  'key_source_attributes',
  'key_source_count',
  'populated_key_count',
  'pending_count',
  'pending_excluding_jobs_count',
  'jobs_by_status',
] as const;
const JOB_FIELDS = ['table_name', 'key_hash', 'status', 'key_plain', 'error_message'] as const;

const pick = (o: Record<string, unknown>, fields: readonly string[]) =>
  Object.fromEntries(fields.map((f) => [f, o[f]]));

describe.skipIf(isSkipped('mysql'))('joinery inspect on the DataJoint reference fixture', () => {
  let core: Core;
  let names: FixtureNames & { rename: (s: string) => string };
  let info: PipelineInfo;
  const expected = expectedFixture();

  beforeAll(async () => {
    names = await loadFixture('jt_insp');
    ({ core } = createTestCore());
    const open = await core.dispatch('connection.open', { url: MYSQL_URL }, { transport: 'in-process', host: 'cli' });
    if (!open.ok) throw new Error(open.error.message);
    const res = await core.dispatch(
      'pipeline.inspect',
      { connectionId: (open.value as { id: string }).id, schemas: [names.lab, names.ephys] },
      { transport: 'in-process', host: 'cli' },
    );
    if (!res.ok) throw new Error(res.error.message);
    // map the renamed databases back to the fixture's names
    info = JSON.parse(names.rename(JSON.stringify(res.value)));
  });
  afterAll(async () => {
    await core?.dispose();
    if (names) await dropFixture(names);
  });

  it('populate: false reads the same tables without their populate counts', async () => {
    const open = await core.dispatch('connection.open', { url: MYSQL_URL }, { transport: 'in-process', host: 'cli' });
    if (!open.ok) throw new Error(open.error.message);
    const res = await core.dispatch(
      'pipeline.inspect',
      { connectionId: (open.value as { id: string }).id, schemas: [names.lab, names.ephys], populate: false },
      { transport: 'in-process', host: 'cli' },
    );
    if (!res.ok) throw new Error(res.error.message);
    const lean = JSON.parse(names.rename(JSON.stringify(res.value))) as PipelineInfo;
    const tables = (p: PipelineInfo) => Object.values(p.schemas).flatMap((s) => s.tables);
    expect(tables(info).some((t) => t.populate)).toBe(true);
    expect(tables(lean).filter((t) => t.populate)).toEqual([]);
    expect(tables(lean)).toEqual(tables(info).map(({ populate: _dropped, ...t }) => t));
  });

  for (const db of ['djref_lab', 'djref_ephys']) {
    it(`${db}: the same tables, in a dependency order, and the same hidden tables`, () => {
      const mine = info.schemas[db]!;
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

    it(`${db}: every ~jobs row, its key decoded`, () => {
      const got = info.schemas[db]!.jobs.map((j) => pick(j, JOB_FIELDS));
      const want = (expected.schemas[db].jobs ?? []).map((j: Record<string, unknown>) => pick(j, JOB_FIELDS));
      const order = (a: Record<string, unknown>, b: Record<string, unknown>) =>
        `${a.table_name}${a.key_hash}`.localeCompare(`${b.table_name}${b.key_hash}`);
      expect(got.sort(order)).toEqual(want.sort(order));
    });
  }
});
