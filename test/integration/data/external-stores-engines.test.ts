import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBlob } from '../../../electron/core/data/blob';
import { externalBlobHash, externalObjectPath } from '../../../electron/core/data/external-path';
import { type EngineName, type EngineSession, openEngine, scratchDir } from '../../support/data-engines';
import { isSkipped } from '../../support/env';

/**
 * External stores on SQLite and PostgreSQL: the same `~external_<store>` model and file layout as
 * on MariaDB (the reference fixture test covers MariaDB), written here by hand as DataJoint would,
 * and read back through data.fetch: a blob, an attachment and a filepath, with subfolding from the
 * settings; written through data.insert and populate, and cleaned after deletes.
 */
const ENGINES: EngineName[] = ['sqlite', ...(isSkipped('postgres') ? [] : (['postgres'] as const))];

describe.each(ENGINES)('external stores on %s', (engine) => {
  let s: EngineSession;
  let store: string;

  beforeAll(async () => {
    s = await openEngine(engine, 'jt_extlite');
    store = scratchDir();
    await s.call('table.declare', {
      tables: [
        {
          schema: s.ephys,
          class_name: 'Raw',
          tier: 'Manual',
          definition: 'id : int\n---\ntrace = null : blob@raw\nreport = null : attach@raw\nfile = null : filepath@raw',
        },
      ],
    });
    const db = s.core.services.connections.driver(s.connectionId);
    const packed = Buffer.from(encodeBlob([1.5, 2.5]));
    const blobHash = externalBlobHash(packed);
    const attachHash = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const fileHash = Buffer.from('ffeeddccbbaa99887766554433221100', 'hex');
    // subfolding [1] instead of DataJoint's default [2, 2], to show it is honoured
    const blobFile = path.join(store, ...externalObjectPath(s.ephys, blobHash, [1]).split('/'));
    mkdirSync(path.dirname(blobFile), { recursive: true });
    writeFileSync(blobFile, packed);
    const attachFile =
      path.join(store, ...externalObjectPath(s.ephys, '00112233-4455-6677-8899-aabbccddeeff', [1]).split('/')) +
      '.notes.txt';
    mkdirSync(path.dirname(attachFile), { recursive: true });
    writeFileSync(attachFile, 'attached');
    mkdirSync(path.join(store, 'raw_files'));
    writeFileSync(path.join(store, 'raw_files', 'a.dat'), 'abc');
    const ext = db.dialect.qualify(s.ephys, '~external_raw');
    await db.execute(
      `INSERT INTO ${ext} (hash, size, attachment_name, filepath) VALUES (?, ?, NULL, NULL), (?, 8, 'notes.txt', NULL), (?, 3, NULL, 'raw_files/a.dat')`,
      [Buffer.from(blobHash.hex, 'hex'), packed.length, attachHash, fileHash],
    );
    await db.execute(
      `INSERT INTO ${db.dialect.qualify(s.ephys, 'raw')} (id, trace, report, file) VALUES (1, ?, ?, ?), (2, NULL, NULL, NULL)`,
      [Buffer.from(blobHash.hex, 'hex'), attachHash, fileHash],
    );
  });
  afterAll(async () => {
    await s?.close();
    rmSync(store, { recursive: true, force: true });
  });

  it('reads blob, attachment and filepath values from the configured store', async () => {
    await s.call('settings.setStore', { name: 'raw', location: store, subfolding: [1] });
    const { rows } = await s.call('data.fetch', { schema: s.ephys, table: 'raw' });
    expect(rows).toEqual([
      {
        id: 1,
        trace: {
          type: 'list',
          items: [
            { type: 'float', value: 1.5 },
            { type: 'float', value: 2.5 },
          ],
        },
        report: {
          type: 'attachment',
          filename: 'notes.txt',
          size: 8,
          base64: Buffer.from('attached').toString('base64'),
        },
        file: { type: 'filepath', path: path.join(store, 'raw_files', 'a.dat'), size: 3 },
      },
      { id: 2, trace: null, report: null, file: null },
    ]);
  });

  it('names the store when it is removed from the settings', async () => {
    await s.call('settings.setStore', { name: 'raw', location: null });
    const err = await s.fail('data.fetch', { schema: s.ephys, table: 'raw' });
    expect(err).toMatchObject({ code: 'NOT_FOUND', details: { store: 'raw' } });
    expect((await s.call('data.fetch', { schema: s.ephys, table: 'raw', attributes: ['id'] })).rows).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
  });

  it('writes blob, attachment and filepath values into the store and reads them back', async () => {
    await s.call('settings.setStore', { name: 'raw', location: store, subfolding: [1] });
    writeFileSync(path.join(store, 'raw_files', 'b.dat'), 'bcd');
    const report = { filename: 'r.txt', base64: Buffer.from('report').toString('base64') };
    await s.call('data.insert', {
      schema: s.ephys,
      table: 'raw',
      rows: [
        { id: 3, trace: [7, 8], report, file: 'raw_files/b.dat' },
        { id: 4, trace: [1.5, 2.5] },
      ],
    });
    const { rows } = await s.call('data.fetch', { schema: s.ephys, table: 'raw', restriction: [{ id: 3 }, { id: 4 }] });
    expect(rows[0]).toMatchObject({
      id: 3,
      report: { type: 'attachment', filename: 'r.txt', size: 6, base64: report.base64 },
      file: { type: 'filepath', path: path.join(store, 'raw_files', 'b.dat'), size: 3 },
    });
    expect(rows[1]!.trace).toEqual({
      type: 'list',
      items: [
        { type: 'float', value: 1.5 },
        { type: 'float', value: 2.5 },
      ],
    });
    // [1.5, 2.5] was stored by hand in beforeAll: the insert found the same object (one tracking row, same hash)
    const db = s.core.services.connections.driver(s.connectionId);
    const cells = await db.query<{ id: number; trace: Buffer }>(
      `SELECT id, trace FROM ${db.dialect.qualify(s.ephys, 'raw')} WHERE id IN (1, 4) ORDER BY id`,
    );
    expect(Buffer.from(cells[1]!.trace).equals(Buffer.from(cells[0]!.trace))).toBe(true);
    const tracked = await db.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${db.dialect.qualify(s.ephys, '~external_raw')}`,
    );
    expect(tracked[0]!.n).toBe(6); // the 3 written by hand, plus [7, 8], r.txt and b.dat
  });

  it('populate: a job receives external inputs as values, and its external results go to the store', async () => {
    await s.call('settings.setStore', { name: 'raw', location: store, subfolding: [1] });
    await s.call('table.declare', {
      tables: [
        { schema: s.ephys, class_name: 'Copy', tier: 'Computed', definition: '-> Raw\n---\ncopied = null : blob@raw' },
      ],
    });
    const seen: unknown[] = [];
    s.core.hooks.inline.register(
      'copyTrace',
      ({ key, inputs }: { key: Record<string, unknown>; inputs: Record<string, Record<string, unknown>[]> }) => {
        const trace = inputs[`${s.ephys}.raw`]![0]!.trace;
        seen.push(trace);
        return { rows: [{ ...key, copied: trace }] };
      },
    );
    await s.call('task.set', {
      schema: s.ephys,
      table: '__copy',
      spec: { inline: 'copyTrace', inputs: [{ table: `${s.ephys}.raw`, attributes: ['trace'] }] },
    });
    const { populateId } = await s.call('jobs.populate', { schema: s.ephys, table: '__copy', restriction: { id: 1 } });
    const summary = await s.core.services.populate.wait(populateId);
    expect(summary.errors).toEqual([]);
    expect(seen).toEqual([
      {
        type: 'list',
        items: [
          { type: 'float', value: 1.5 },
          { type: 'float', value: 2.5 },
        ],
      },
    ]);
    const { rows } = await s.call('data.fetch', { schema: s.ephys, table: '__copy' });
    expect(rows).toEqual([{ id: 1, copied: seen[0] }]);
  });

  it('finds and removes what deleted rows left in the store: blob, attachment and tracked file', async () => {
    const preview = await s.call('data.deletePreview', { schema: s.ephys, table: 'raw', restriction: { id: 3 } });
    await s.call('data.delete', {
      schema: s.ephys,
      table: 'raw',
      restriction: { id: 3 },
      expectedTotal: preview.total,
    });
    const unused = await s.call('data.unusedExternal', { schema: s.ephys, store: 'raw' });
    expect(unused.objects.map((o) => [o.kind, o.size]).sort()).toEqual([
      ['attach', 6],
      ['blob', expect.any(Number)],
      ['filepath', 3],
    ]);
    const files = unused.objects.map((o) => path.join(store, ...o.path.split('/')));
    for (const f of files) expect(existsSync(f), f).toBe(true);
    expect(unused.objects.find((o) => o.kind === 'filepath')!.path).toBe('raw_files/b.dat');
    const removed = await s.call('data.cleanExternal', { schema: s.ephys, store: 'raw', expectedCount: 3 });
    expect(removed.file_errors).toEqual([]);
    for (const f of files) expect(existsSync(f), f).toBe(false);
    expect((await s.call('data.unusedExternal', { schema: s.ephys, store: 'raw' })).objects).toEqual([]);
    // what rows still reference is untouched
    expect(
      (await s.call('data.fetch', { schema: s.ephys, table: 'raw', restriction: { id: 4 } })).rows[0]!.trace,
    ).toMatchObject({ type: 'list' });
  });

  it('refuses a filepath that is a link leading out of the store', async () => {
    const outside = path.join(scratchDir(), 'secret.txt');
    writeFileSync(outside, 'not for the store');
    symlinkSync(outside, path.join(store, 'raw_files', 'link.dat'));
    const err = await s.fail('data.insert', {
      schema: s.ephys,
      table: 'raw',
      rows: [{ id: 9, file: 'raw_files/link.dat' }],
    });
    expect(err).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('outside the store') });
    expect((await s.call('data.fetch', { schema: s.ephys, table: 'raw', restriction: { id: 9 } })).rows).toEqual([]);
  });
});
