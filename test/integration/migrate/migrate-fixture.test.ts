import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeJobKey } from '../../../electron/core/data/blob-values';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { openEngine, type EngineSession } from '../../support/data-engines';
import { isSkipped } from '../../support/env';
import { loadFixture } from '../../support/fixture';
import { dropDatabases, uniqueDbName } from '../../support/mysql';

// migrations copy whole pipelines on a shared server: generous limits, never a timing assertion
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/**
 * The product owner's real DataJoint database in MariaDB: `lab` joins Subject's primary key. The
 * reserved `~jobs` row of `_recording` stops it (naming the job); once that row is gone the key
 * cascades through sessions, parts, renamed FKs (session_pair) and computed tables in the other
 * schema, and everything DataJoint reads still parses: names, `:type:` comments, FKs, jobs.
 */
describe.skipIf(isSkipped('mysql'))('migrate the DataJoint reference fixture (mysql)', () => {
  let s: EngineSession;
  let names: { lab: string; ephys: string };
  let before: TableInfo[];
  const all = async () => {
    const info = await s.call('pipeline.inspect', { schemas: [names.lab, names.ephys] });
    return [names.lab, names.ephys].flatMap((n) => info.schemas[n]!.tables);
  };

  beforeAll(async () => {
    names = await loadFixture(uniqueDbName('migfx'));
    s = await openEngine('mysql', 'migfxcore');
    before = await all();
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    if (names) await dropDatabases([names.ephys, names.lab]);
  });

  /** Subject's definition as the database describes it, with `lab` as the first key attribute. */
  const change = async () => {
    const { definition } = await s.call('table.describe', { schema: names.lab, table: 'subject' });
    const lines = definition.split('\n');
    const at = lines[0]!.startsWith('#') ? 1 : 0;
    lines.splice(at, 0, 'lab : varchar(16)');
    return [{ table: `${names.lab}.Subject`, definition: lines.join('\n'), values: { lab: 'hub' } }];
  };

  it('refuses while a DataJoint worker holds a reservation', async () => {
    const err = await s.fail('migration.apply', { changes: await change() });
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/_recording is being populated: job [0-9a-f]{32} is reserved/);
  });

  it('migrates the key; DataJoint-style reads still parse', async () => {
    const db = s.core.services.connections.driver(s.connectionId);
    await db.execute(`DELETE FROM ${db.dialect.qualify(names.ephys, '~jobs')} WHERE status = 'reserved'`);
    const { id } = await s.call('migration.apply', { changes: await change() });
    await s.core.services.migration.wait(id);
    const record = await s.call('migration.status', { id });
    expect(record.state, record.error ?? '').toBe('done');
    const after = await all();
    const moved = new Set(record.tables);
    for (const old of before) {
      const now = after.find((t) => t.full_name === old.full_name)!;
      expect(now, old.full_name).toBeDefined();
      expect(now.row_count, old.full_name).toBe(old.row_count);
      expect(now.tier).toBe(old.tier);
      expect(now.table_comment).toBe(old.table_comment);
      const keep = (t: TableInfo) =>
        t.attributes
          .filter((a) => a.name !== 'lab')
          .map(({ name, datajoint_type, comment, sql_comment, nullable, default: d }) => ({
            name,
            datajoint_type,
            comment,
            sql_comment,
            nullable,
            d,
          }));
      expect(keep(now), old.full_name).toEqual(keep(old));
      if (!moved.has(old.full_name)) continue;
      if (old.primary_key.includes('subject_id') || old.primary_key.includes('ref_subject'))
        expect(now.primary_key, old.full_name).toEqual(['lab', ...old.primary_key]);
      for (const fk of old.foreign_keys) {
        const same = now.foreign_keys.find(
          (f) => f.parent === fk.parent && Object.keys(fk.attr_map).every((c) => f.attr_map[c] === fk.attr_map[c]),
        );
        expect(same, `${old.full_name} -> ${fk.parent}`).toBeDefined();
      }
    }
    const pair = after.find((t) => t.table_name === 'session_pair')!;
    expect(pair.foreign_keys.map((f) => f.attr_map)).toEqual([
      { lab: 'lab', ref_subject: 'subject_id', ref_session: 'session_idx' },
      { lab: 'lab', cmp_subject: 'subject_id', cmp_session: 'session_idx' },
    ]);
    // FK names stay DataJoint's (<table>_ibfk_N) and name no hidden table
    const fks = await db.query<{ n: string; t: string; r: string }>(
      'SELECT CONSTRAINT_NAME AS n, TABLE_NAME AS t, REFERENCED_TABLE_NAME AS r FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN (?, ?)',
      [names.lab, names.ephys],
    );
    for (const fk of fks.filter((f) => !f.t.startsWith('~'))) {
      expect(fk.n.startsWith(`${fk.t}_ibfk_`), fk.n).toBe(true);
      expect(fk.r.startsWith('~m'), `${fk.t} -> ${fk.r}`).toBe(false);
    }
    // error and ignore jobs follow the new key; DataJoint decodes their key blobs
    const jobs = await db.query<{ table_name: string; key: Buffer }>(
      `SELECT table_name, \`key\` FROM ${db.dialect.qualify(names.ephys, '~jobs')}`,
    );
    expect(jobs).toHaveLength(3);
    for (const j of jobs) expect(decodeJobKey(Buffer.from(j.key))).toMatchObject({ lab: 'hub' });
    const info = await s.call('pipeline.inspect', { schemas: [names.lab, names.ephys] });
    expect(info.schemas[names.ephys]!.jobs.every((j) => j.key_plain?.lab === 'hub')).toBe(true);
  });
});
