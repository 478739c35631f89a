import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DbDriver } from '../../../electron/core/db/driver';
import { openEngine, type EngineSession } from '../../support/data-engines';
import { isSkipped } from '../../support/env';
import { loadFixture2 } from '../../support/fixture';
import { dropDatabases, uniqueDbName } from '../../support/mysql';

// migrations copy whole pipelines on a shared server: generous limits, never a timing assertion
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/**
 * The product owner's real DataJoint 2.x database in MariaDB (`~lineage` and `~~` queues as
 * DataJoint 2.3 wrote them): `lab` joins Subject's primary key. The reserved `~~spike_sorting` row
 * stops it; once that row is gone the key cascades into the other schema, `~lineage` is DataJoint's
 * own rows plus exactly one `lab` row per rebuilt table, every queue row follows with `lab`, and a
 * rollback gives back DataJoint's rows exactly.
 */
describe.skipIf(isSkipped('mysql'))('migrate the DataJoint 2.x reference fixture (mysql)', () => {
  let s: EngineSession;
  let db: DbDriver;
  let names: { lab: string; ephys: string };
  let lineageBefore: string[];
  let queuesBefore: Record<string, string[]>;
  let headingsBefore: Record<string, string[]>;
  const QUEUES = ['~~recording_q_c', '~~spike_sorting', '~~unit_stats'];

  /** Every `~lineage` row of both schemas as `schema|table|attribute|lineage`, sorted. */
  const lineage = async () => {
    const out: string[] = [];
    for (const schema of [names.lab, names.ephys]) {
      const rows = await db.query<{ t: string; a: string; l: string }>(
        `SELECT table_name AS t, attribute_name AS a, lineage AS l FROM ${db.dialect.qualify(schema, '~lineage')}`,
      );
      out.push(...rows.map((r) => `${schema}|${r.t}|${r.a}|${r.l}`));
    }
    return out.sort();
  };
  /** Every row of every queue, all columns, as JSON (sorted per queue). */
  const queues = async () => {
    const out: Record<string, string[]> = {};
    for (const q of QUEUES) {
      const rows = await db.query(`SELECT * FROM ${db.dialect.qualify(names.ephys, q)}`);
      out[q] = rows.map((r) => JSON.stringify(r)).sort();
    }
    return out;
  };
  /** Every table's columns as `name type "comment"` (DataJoint 2 reads its types from these comments). */
  const headings = async () => {
    s.core.services.pipeline.invalidate(s.connectionId);
    const info = await s.call('pipeline.inspect', { schemas: [names.lab, names.ephys], populate: false });
    const out: Record<string, string[]> = {};
    for (const sch of Object.values(info.schemas))
      for (const t of sch.tables)
        out[t.full_name] = t.attributes.map((a) => `${a.name} ${a.sql_type} "${a.sql_comment}"`);
    return out;
  };
  const change = async () => {
    const { definition } = await s.call('table.describe', { schema: names.lab, table: 'subject' });
    const lines = definition.split('\n');
    const at = lines[0]!.startsWith('#') ? 1 : 0;
    lines.splice(at, 0, 'lab : varchar(16)');
    return [{ table: `${names.lab}.Subject`, definition: lines.join('\n'), values: { lab: 'hub' } }];
  };

  beforeAll(async () => {
    names = await loadFixture2(uniqueDbName('migfx2'));
    s = await openEngine('mysql', 'migfx2core');
    db = s.core.services.connections.driver(s.connectionId);
    lineageBefore = await lineage();
    queuesBefore = await queues();
    headingsBefore = await headings();
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    if (names) await dropDatabases([names.ephys, names.lab]);
  });

  it('describes a codec column by its codec (the wizard edits this text)', async () => {
    const { definition } = await s.call('table.describe', { schema: names.ephys, table: 'recording' });
    expect(definition).toMatch(/^raw +: <blob@labstore> +# raw voltage traces$/m);
  });

  it('refuses while a DataJoint 2 worker holds a reservation in ~~spike_sorting', async () => {
    const err = await s.fail('migration.apply', { changes: await change() });
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain(
      `${names.ephys}._spike_sorting is being populated: 1 row(s) of its queue ~~spike_sorting are reserved`,
    );
    expect(await lineage()).toEqual(lineageBefore);
  });

  it("migrates the key: lineage is DataJoint's rows plus lab, queue rows follow, rollback restores", async () => {
    await db.execute(`DELETE FROM ${db.dialect.qualify(names.ephys, '~~spike_sorting')} WHERE status = 'reserved'`);
    queuesBefore = await queues();
    const { id } = await s.call('migration.apply', { changes: await change() });
    await s.core.services.migration.wait(id);
    const record = await s.call('migration.status', { id });
    expect(record.state, record.error ?? '').toBe('done');
    const labRows = record.tables
      .map((t) => t.split('.'))
      .map(([schema, table]) => `${schema}|${table}|lab|${names.lab}.subject.lab`);
    expect(labRows.length).toBeGreaterThan(3);
    expect(await lineage()).toEqual([...lineageBefore, ...labRows].sort());
    // every column keeps the type and `:type:` comment DataJoint 2 wrote; lab is marked as declare marks it
    const headingsAfter = await headings();
    for (const [table, cols] of Object.entries(headingsBefore))
      expect(
        headingsAfter[table]!.filter((c) => !c.startsWith('lab ')),
        table,
      ).toEqual(cols);
    expect(headingsAfter[`${names.lab}.subject`]![0]).toBe('lab varchar(16) ":varchar(16):"');
    expect(headingsAfter[`${names.ephys}.recording`]![0]).toBe('lab varchar(16) ""');
    const after = await queues();
    for (const q of QUEUES) {
      expect(after[q]!.length, q).toBe(queuesBefore[q]!.length);
      const stripped = after[q]!.map((r) => {
        const { lab, ...rest } = JSON.parse(r) as Record<string, unknown>;
        expect(lab).toBe('hub');
        return JSON.stringify(rest);
      });
      expect(stripped.sort(), q).toEqual(queuesBefore[q]);
    }
    await s.call('migration.rollback', { id });
    expect(await lineage()).toEqual(lineageBefore);
    expect(await queues()).toEqual(queuesBefore);
    expect(await headings()).toEqual(headingsBefore);
  });
});
