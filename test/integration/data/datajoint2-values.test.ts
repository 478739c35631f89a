import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/container';
import { createTestCore } from '../../support/core';
import { isSkipped } from '../../support/env';
import { FIXTURE2_STORE, dropFixture, expectedFixture2, loadFixture2, type FixtureNames } from '../../support/fixture';
import { MYSQL_URL } from '../../support/mysql';

/**
 * Values of the real DataJoint 2.3.2 database read and written by Joinery: 2.x core types,
 * in-table `<blob>` and `<attach>`, uuid, json, and the JSON metadata of store-backed codecs.
 */
const ctx = { transport: 'in-process', host: 'cli' } as const;
type Row = Record<string, unknown>;

describe.skipIf(isSkipped('mysql'))('DataJoint 2.x values', () => {
  let core: Core;
  let names: FixtureNames & { rename: (s: string) => string };
  let connectionId: string;
  const expected = expectedFixture2();
  const wantRows = (db: string, table: string): Row[] =>
    expected.schemas[db].tables.find((t: { table_name: string }) => t.table_name === table).rows;

  const call = async (method: string, input: Record<string, unknown>) => {
    const res = await core.dispatch(method as 'data.fetch', { connectionId, ...input } as never, ctx);
    return res;
  };
  const fetchRows = async (schema: string, table: string): Promise<Row[]> => {
    const res = await call('data.fetch', { schema, table });
    if (!res.ok) throw new Error(res.error.message);
    return JSON.parse(names.rename(JSON.stringify((res.value as { rows: Row[] }).rows)));
  };

  beforeAll(async () => {
    names = await loadFixture2('jt_val2');
    ({ core } = createTestCore());
    const open = await core.dispatch('connection.open', { url: MYSQL_URL }, ctx);
    if (!open.ok) throw new Error(open.error.message);
    connectionId = (open.value as { id: string }).id;
  });
  afterAll(async () => {
    await core?.dispose();
    if (names) await dropFixture(names);
  });

  it('core types, uuid, json and decimals read as DataJoint 2.x gives them', async () => {
    for (const table of ['lab_config', '#species', '#strain', 'person', 'subject', 'implant']) {
      expect(await fetchRows(names.lab, table), table).toEqual(wantRows('dj2ref_lab', table));
    }
  });

  it('<blob> decodes; <attach> gives its file name and size', async () => {
    const probes = await fetchRows(names.ephys, '#probe_type');
    const want = wantRows('dj2ref_ephys', '#probe_type');
    for (const [i, p] of probes.entries()) {
      const map = p.channel_map as { shape: number[] };
      expect(map.shape).toEqual((want[i]!.channel_map as { shape: number[] }).shape);
    }
    const sessions = await fetchRows(names.lab, 'session');
    const wanted = wantRows('dj2ref_lab', 'session');
    for (const [i, s] of sessions.entries()) {
      const doc = s.protocol_doc as { filename: string; size: number } | null;
      const w = wanted[i]!.protocol_doc as { filename: string; size: number } | null;
      expect(doc === null ? null : { filename: doc.filename, size: doc.size }).toEqual(
        w === null ? null : { filename: w.filename, size: w.size },
      );
    }
  });

  it('a store not configured here is a clear error naming it', async () => {
    const res = await call('data.fetch', { schema: names.ephys, table: 'recording' });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.message).toContain('"labstore"');
  });

  it('store-backed codecs read from the store: blobs decode, objects give their file', async () => {
    // the store's folders carry the schema's name, renamed like the databases
    const root = mkdtempSync(path.join(os.tmpdir(), 'jt-dj2-store-'));
    cpSync(FIXTURE2_STORE, root, { recursive: true });
    for (const prefix of ['_hash', '_schema'])
      renameSync(path.join(root, prefix, 'dj2ref_ephys'), path.join(root, prefix, names.ephys));
    const set = await core.dispatch('settings.setStore', { name: 'labstore', location: root }, ctx);
    expect(set.ok, JSON.stringify(set)).toBe(true);
    const recs = await fetchRows(names.ephys, 'recording');
    const want = wantRows('dj2ref_ephys', 'recording');
    expect(recs.map((r) => (r.raw as { shape: number[] }).shape)).toEqual(
      want.map((r) => (r.raw as { decoded: { shape: number[] } }).decoded.shape),
    );
    expect(recs.map((r) => r.n_samples)).toEqual(want.map((r) => r.n_samples));
    expect(recs.map((r) => r.sampling_rate)).toEqual(want.map((r) => r.sampling_rate));
    const stats = await fetchRows(names.ephys, '__unit_stats');
    const wantStats = wantRows('dj2ref_ephys', '__unit_stats');
    for (const [i, r] of stats.entries()) {
      const w = wantStats[i]!.report as { decoded: { size: number; md5: string } } | null;
      if (w === null) {
        expect(r.report).toBeNull();
        continue;
      }
      const got = r.report as { type: string; path: string; size: number };
      expect(got.type).toBe('object');
      expect(got.size).toBe(w.decoded.size);
      expect(
        createHash('md5')
          .update(readFileSync(got.path.replaceAll('dj2ref_ephys', names.ephys)))
          .digest('hex'),
      ).toBe(w.decoded.md5);
    }
  });

  it('writes float64, int16, bool, json and int32 values (the 2.x core types) and reads them back', async () => {
    const ins = await call('data.insert', {
      schema: names.lab,
      table: '#species',
      rows: [{ species: 'vole', latin_name: 'Microtus', gestation_days: 22 }],
    });
    expect(ins.ok, JSON.stringify(ins)).toBe(true);
    const done = new Set(
      (await fetchRows(names.ephys, '__unit_stats')).map((r) =>
        JSON.stringify([r.subject_id, r.session_idx, r.rec_id]),
      ),
    );
    const todo = (await fetchRows(names.ephys, '_spike_sorting')).find(
      (r) => !done.has(JSON.stringify([r.subject_id, r.session_idx, r.rec_id])),
    )!;
    const row = {
      subject_id: todo.subject_id,
      session_idx: todo.session_idx,
      rec_id: todo.rec_id,
      mean_rate: 1.25,
      summary: { n: 3 },
      report: null,
    };
    const res = await call('data.insert', {
      schema: names.ephys,
      table: '__unit_stats',
      rows: [row],
      allowDirectInsert: true,
    });
    expect(res.ok, JSON.stringify(res)).toBe(true);
    const back = (await fetchRows(names.ephys, '__unit_stats')).find(
      (r) => r.subject_id === todo.subject_id && r.session_idx === todo.session_idx && r.rec_id === todo.rec_id,
    );
    expect(back).toEqual(row);
    expect((await fetchRows(names.lab, '#species')).find((r) => r.species === 'vole')).toEqual({
      species: 'vole',
      latin_name: 'Microtus',
      gestation_days: 22,
    });
  });

  it('refuses to write a store-backed value, naming the attribute and type, and writes nothing', async () => {
    const before = (await fetchRows(names.ephys, 'recording')).length;
    const res = await call('data.insert', {
      schema: names.ephys,
      table: 'recording',
      rows: [
        {
          subject_id: 101,
          session_idx: 1,
          rec_id: 9,
          probe_type: 'tetrode',
          sampling_rate: 1,
          n_samples: 1,
          raw: [1, 2],
          gain: 1,
        },
      ],
    });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.message).toMatch(/raw.*<blob@labstore>.*cannot write/s);
    expect((await fetchRows(names.ephys, 'recording')).length).toBe(before);
  });
});
