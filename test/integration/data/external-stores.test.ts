import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TypedJson } from '../../../electron/core/data/blob';
import type { UnusedExternal } from '../../../shared/api/schemas/data';
import { createCore } from '../../../electron/core/container';
import { silentLogger } from '../../../electron/core/log';
import { MemorySecretStore } from '../../../electron/core/secrets/secret-store';
import { parseStoresEnv } from '../../../electron/core/services/settings-service';
import { loadExpected, toReferenceForm } from '../../support/blob-fixture';
import { createTestCore } from '../../support/core';
import { scratchDir } from '../../support/data-engines';
import { isSkipped } from '../../support/env';
import { dropFixture, FIXTURE_STORE, loadFixture } from '../../support/fixture';
import { runJoinery } from '../../support/cli';
import { MYSQL_URL } from '../../support/mysql';

/**
 * The DataJoint reference fixture's external store, read through data.fetch: `blob@raw` decoded,
 * `attach@raw` as base64, `filepath@raw` as local paths, internal attach and every other type of
 * every fixture table, blobs equal to the expected JSON's samples. The store location is this
 * user's configuration (settings.setStore, or JOINERY_STORES), never the database's.
 */
const CTX = { transport: 'in-process', host: 'cli' } as const;
type Row = Record<string, unknown>;

describe.skipIf(isSkipped('mysql'))('external stores on the DataJoint reference fixture', () => {
  let names: Awaited<ReturnType<typeof loadFixture>>;
  let store: string;
  let empty: string;
  const { core, dataDir } = createTestCore();
  let connectionId = '';
  const call = async (method: string, input: object) => {
    const res = await core.dispatch(method, method.startsWith('settings.') ? input : { connectionId, ...input }, CTX);
    if (!res.ok) throw Object.assign(new Error(res.error.message), res.error);
    return res.value as never;
  };
  const fetchAll = (schema: string, table: string): Promise<{ rows: Row[] }> =>
    call('data.fetch', { schema, table, limit: 100 });

  beforeAll(async () => {
    names = await loadFixture('jt_ext');
    // the store holds objects under the fixture's database names; this run loaded renamed copies.
    // A copy, not links: the write tests add objects, and the fixture must stay as it is.
    store = scratchDir();
    cpSync(path.join(FIXTURE_STORE, 'djref_lab'), path.join(store, names.lab), { recursive: true });
    cpSync(path.join(FIXTURE_STORE, 'djref_ephys'), path.join(store, names.ephys), { recursive: true });
    for (const s of ['subject1', 'subject2', 'subject3'])
      cpSync(path.join(FIXTURE_STORE, s), path.join(store, s), { recursive: true });
    empty = scratchDir();
    mkdirSync(path.join(empty, names.ephys));
    connectionId = ((await call('connection.open', { url: MYSQL_URL })) as { id: string }).id;
  });
  afterAll(async () => {
    await core.dispose();
    if (names) await dropFixture(names);
    for (const d of [store, empty, dataDir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('says which store to configure, and how, before one is set', async () => {
    await expect(fetchAll(names.ephys, '_recording')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { store: 'raw' },
      hint: expect.stringContaining("JOINERY_STORES='raw=/path/to/store'"),
    });
    expect(await call('settings.stores', {})).toEqual({ stores: [] });
  });

  it("keeps the location in this user's settings", async () => {
    await expect(call('settings.setStore', { name: 'raw', location: 'relative/path' })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    const list = await call('settings.setStore', { name: 'raw', location: store });
    expect(list).toEqual({ stores: [{ name: 'raw', location: store, subfolding: [2, 2], source: 'settings' }] });
    expect(JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).stores).toEqual({
      raw: { location: store, subfolding: [2, 2] },
    });
  });

  it('reads every external value of _recording: blobs decoded, filepaths as local paths', async () => {
    const { rows } = await fetchAll(names.ephys, '_recording');
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      expect(r.raw_trace).toMatchObject({ type: 'ndarray', dtype: 'float64', shape: [3, 4] });
      const file = r.raw_file as { type: string; path: string; size: number } | null;
      if (file === null) continue;
      expect(file).toMatchObject({ type: 'filepath', size: 116 });
      expect(file.path).toBe(path.join(store, `subject${r.subject_id}`, `session${r.session_idx}.dat`));
      expect(existsSync(file.path)).toBe(true);
    }
    expect(rows.filter((r) => r.raw_file !== null)).toHaveLength(5);
  });

  it('reads the external attachment of subject and the internal attachment of session', async () => {
    const subjects = (await fetchAll(names.lab, 'subject')).rows;
    const report = subjects.find((r) => r.surgery_report !== null)!.surgery_report as {
      filename: string;
      size: number;
      base64: string;
    };
    expect(report).toMatchObject({ type: 'attachment', filename: 'surgery_s1.txt', size: 53 });
    const onDisk = readFileSync(
      path.join(FIXTURE_STORE, 'djref_lab/0d/1a/0d1ad883819a71e8e97f9f33e3046f15.surgery_s1.txt'),
    );
    expect(Buffer.from(report.base64, 'base64')).toEqual(onDisk);
    expect(subjects.filter((r) => r.surgery_report === null)).toHaveLength(3);
    const sessions = (await fetchAll(names.ephys, 'session')).rows;
    const docs = sessions.map((r) => r.protocol_doc).filter((d) => d !== null) as {
      type: string;
      filename: string;
      size: number;
      base64: string;
    }[];
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) expect(Buffer.from(d.base64, 'base64').length).toBe(d.size);
  });

  it("reads and writes MariaDB's longtext json, float, decimal and uuid as DataJoint wrote them", async () => {
    const key = { subject_id: 1, session_idx: 1 };
    const row = async () =>
      (
        (await call('data.fetch', {
          schema: names.ephys,
          table: 'session',
          restriction: key,
          attributes: ['metadata', 'duration', 'temperature', 'session_uuid'],
        })) as { rows: Row[] }
      ).rows[0];
    expect(await row()).toEqual({
      metadata: { stim: 'gratings', contrast: [0.1, 0.5, 1.0] },
      duration: 45.5,
      temperature: '21.5',
      session_uuid: 'd0798ed8-131e-5a8e-a753-84c71a583087',
    });
    await call('data.update', {
      schema: names.ephys,
      table: 'session',
      key,
      values: { metadata: { stim: 'dots', n: [1, 2] } },
    });
    expect((await row())!.metadata).toEqual({ stim: 'dots', n: [1, 2] });
  });

  it("fetches every table of the fixture, and every blob equals the expected JSON's sample", async () => {
    const rename = (full: string) =>
      full.replace('djref_lab.', `${names.lab}.`).replace('djref_ephys.', `${names.ephys}.`);
    const info = (await call('pipeline.inspect', { schemas: [names.lab, names.ephys] })) as {
      schemas: Record<string, { tables: { schema: string; table_name: string }[] }>;
    };
    const fetched = new Map<string, Row[]>();
    for (const t of Object.values(info.schemas).flatMap((s) => s.tables))
      fetched.set(`${t.schema}.${t.table_name}`, (await fetchAll(t.schema, t.table_name)).rows);
    const samples = loadExpected().blob_samples;
    let compared = 0;
    for (const sample of samples) {
      const rows = fetched.get(rename(sample.table))!;
      const row = rows.find((r) => Object.entries(sample.key).every(([k, v]) => r[k] === v))!;
      expect(
        toReferenceForm(row[sample.attribute] as TypedJson),
        `${sample.table} ${JSON.stringify(sample.key)}.${sample.attribute}`,
      ).toEqual(sample.decoded);
      compared++;
    }
    expect(compared).toBe(samples.length);
    expect(samples.some((s) => s.attribute === 'raw_trace')).toBe(true);
  });

  it('names the store and the file when a file is missing', async () => {
    await call('settings.setStore', { name: 'raw', location: empty });
    await expect(fetchAll(names.ephys, '_recording')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(
        /attribute "raw_trace" \(store "raw"\) .*its file is missing \(.*\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{32}\)/,
      ),
    });
    await call('settings.setStore', { name: 'raw', location: store });
  });

  describe('writing', () => {
    const md5 = (...parts: (string | Buffer)[]) => parts.reduce((h, p) => h.update(p), createHash('md5')).digest('hex');
    const filesIn = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile())
        .map((e) => path.join(e.parentPath, e.name));
    const cells = async (schema: string, table: string, cols: string[], where: Row) => {
      const db = core.services.connections.driver(connectionId);
      const [row] = await db.query(
        `SELECT ${cols.map((c) => `LOWER(HEX(\`${c}\`)) AS \`${c}\``).join(', ')} FROM \`${schema}\`.\`${table}\` WHERE ${Object.keys(
          where,
        )
          .map((k) => `\`${k}\` = ?`)
          .join(' AND ')}`,
        Object.values(where),
      );
      return row as Record<string, string | null>;
    };
    const externalRows = async (schema: string) => {
      const db = core.services.connections.driver(connectionId);
      return db.query(
        `SELECT LOWER(HEX(hash)) AS hash, size, attachment_name, filepath, LOWER(HEX(contents_hash)) AS contents_hash FROM \`${schema}\`.\`~external_raw\` ORDER BY hash`,
      );
    };
    /** Sessions without a recording, where the tests may insert one. */
    const freeSessions = async () => {
      const recordings = (await fetchAll(names.ephys, '_recording')).rows;
      const sessions = (await fetchAll(names.ephys, 'session')).rows;
      return sessions
        .filter((x) => !recordings.some((r) => r.subject_id === x.subject_id && r.session_idx === x.session_idx))
        .map((x) => ({ subject_id: x.subject_id, session_idx: x.session_idx }));
    };
    const recording = (key: Row, extra: Row) => ({
      ...key,
      sampling_rate: 1000,
      n_channels: 1,
      lfp_preview: [1],
      ...extra,
    });

    it("writes blob@raw and filepath@raw as DataJoint does: equal contents share the fixture's objects", async () => {
      const [free] = await freeSessions();
      const existing = (await fetchAll(names.ephys, '_recording')).rows[0]!;
      const existingKey = { subject_id: existing.subject_id, session_idx: existing.session_idx };
      const files = filesIn(store).length;
      const tracked = await externalRows(names.ephys);
      await call('data.insert', {
        schema: names.ephys,
        table: '_recording',
        allowDirectInsert: true,
        rows: [recording(free!, { raw_trace: existing.raw_trace, raw_file: 'subject3/session2.dat' })],
      });
      const mine = await cells(names.ephys, '_recording', ['raw_trace', 'raw_file'], free!);
      expect(mine.raw_trace).toBe((await cells(names.ephys, '_recording', ['raw_trace'], existingKey)).raw_trace);
      expect(mine.raw_file).toBe(md5('subject3/session2.dat'));
      expect(mine.raw_file).toBe('3ad00fdaa664023fc0a665d1ce9167f2'); // DataJoint's own hash of that path
      expect(filesIn(store)).toHaveLength(files);
      expect((await externalRows(names.ephys)).map((r) => r.hash)).toEqual(tracked.map((r) => r.hash));
    });

    it('stores a new blob at <schema>/<hh>/<hh>/<md5>, tracks it in ~external_raw and reads it back', async () => {
      const [, free] = await freeSessions();
      await call('data.insert', {
        schema: names.ephys,
        table: '_recording',
        allowDirectInsert: true,
        rows: [recording(free!, { raw_trace: [1.5, 2.5] })],
      });
      const hash = (await cells(names.ephys, '_recording', ['raw_trace'], free!)).raw_trace!;
      const file = path.join(store, names.ephys, hash.slice(0, 2), hash.slice(2, 4), hash);
      const bytes = readFileSync(file);
      expect(md5(bytes)).toBe(hash);
      expect((await externalRows(names.ephys)).find((r) => r.hash === hash)).toMatchObject({
        size: bytes.length,
        attachment_name: null,
        filepath: null,
        contents_hash: null,
      });
      const [row] = (
        (await call('data.fetch', {
          schema: names.ephys,
          table: '_recording',
          restriction: free,
          attributes: ['raw_trace', 'raw_file'],
        })) as { rows: Row[] }
      ).rows;
      expect(row).toEqual({
        raw_trace: {
          type: 'list',
          items: [
            { type: 'float', value: 1.5 },
            { type: 'float', value: 2.5 },
          ],
        },
        raw_file: null,
      });
    });

    it("writes attach@raw through update1: the fixture's report hashes as DataJoint's; a new one lands as <md5>.<name>", async () => {
      const subjects = (await fetchAll(names.lab, 'subject')).rows;
      const report = subjects.find((r) => r.surgery_report !== null)!.surgery_report;
      const key = { subject_id: subjects.find((r) => r.surgery_report === null)!.subject_id };
      await call('data.update', { schema: names.lab, table: 'subject', key, values: { surgery_report: report } });
      expect((await cells(names.lab, 'subject', ['surgery_report'], key)).surgery_report).toBe(
        '0d1ad883819a71e8e97f9f33e3046f15',
      );
      await call('data.update', {
        schema: names.lab,
        table: 'subject',
        key,
        values: { surgery_report: { filename: 'notes.txt', base64: Buffer.from('hello').toString('base64') } },
      });
      const hash = md5('notes.txt\0', 'hello');
      expect((await cells(names.lab, 'subject', ['surgery_report'], key)).surgery_report).toBe(hash);
      expect(
        readFileSync(path.join(store, names.lab, hash.slice(0, 2), hash.slice(2, 4), `${hash}.notes.txt`), 'utf8'),
      ).toBe('hello');
      expect((await externalRows(names.lab)).find((r) => r.hash === hash)).toMatchObject({
        size: 5,
        attachment_name: 'notes.txt',
      });
      const [row] = (
        (await call('data.fetch', {
          schema: names.lab,
          table: 'subject',
          restriction: key,
          attributes: ['surgery_report'],
        })) as { rows: Row[] }
      ).rows;
      expect(row!.surgery_report).toEqual({
        type: 'attachment',
        filename: 'notes.txt',
        size: 5,
        base64: Buffer.from('hello').toString('base64'),
      });
    });

    it('refuses bad external values, naming the row and attribute, and writes nothing', async () => {
      const free = (await freeSessions())[0]!;
      const insert = (extra: Row) =>
        call('data.insert', {
          schema: names.ephys,
          table: '_recording',
          allowDirectInsert: true,
          rows: [recording(free, { raw_trace: [1], ...extra })],
        });
      const tracked = await externalRows(names.ephys);
      await expect(insert({ raw_file: '/etc/passwd' })).rejects.toMatchObject({
        code: 'VALIDATION',
        details: { attribute: 'raw_file' },
        message: expect.stringMatching(/row 1: attribute "raw_file" must name a file inside the folder of store "raw"/),
      });
      await expect(insert({ raw_file: '../outside.dat' })).rejects.toMatchObject({
        code: 'VALIDATION',
        details: { attribute: 'raw_file' },
      });
      await expect(insert({ raw_file: 'subject9/none.dat' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringContaining('subject9/none.dat'),
      });
      // DataJoint refuses a tracked path whose contents changed
      const tracked2 = path.join(store, 'subject3', 'session2.dat');
      const original = readFileSync(tracked2);
      writeFileSync(tracked2, 'changed');
      try {
        await expect(insert({ raw_file: 'subject3/session2.dat' })).rejects.toMatchObject({
          code: 'CONFLICT',
          message: expect.stringContaining('subject3/session2.dat'),
        });
      } finally {
        writeFileSync(tracked2, original);
      }
      // one bad row: no row and no ~external_raw row (a new blob's file may stay, content-addressed)
      await expect(
        call('data.insert', {
          schema: names.ephys,
          table: '_recording',
          allowDirectInsert: true,
          rows: [
            recording(free, { raw_trace: [42] }),
            recording({ subject_id: 999, session_idx: 1 }, { raw_trace: [43] }),
          ],
        }),
      ).rejects.toMatchObject({ code: 'CONSTRAINT' });
      await call('settings.setStore', { name: 'raw', location: null });
      try {
        await expect(insert({})).rejects.toMatchObject({
          code: 'NOT_FOUND',
          details: { attribute: 'raw_trace' },
          message: expect.stringContaining('external store "raw", which is not configured'),
        });
      } finally {
        await call('settings.setStore', { name: 'raw', location: store });
      }
      expect(await externalRows(names.ephys)).toEqual(tracked);
      expect(await freeSessions()).toContainEqual(free);
    });

    it('lists objects no row references after a delete, and removes them (rows and files) only as previewed', async () => {
      expect(
        ((await call('data.unusedExternal', { schema: names.ephys, store: 'raw' })) as UnusedExternal).objects,
      ).toEqual([]);
      const [free] = await freeSessions();
      await call('data.insert', {
        schema: names.ephys,
        table: '_recording',
        allowDirectInsert: true,
        rows: [recording(free!, { raw_trace: ['soon unused'] })],
      });
      const hash = (await cells(names.ephys, '_recording', ['raw_trace'], free!)).raw_trace!;
      const file = path.join(store, names.ephys, hash.slice(0, 2), hash.slice(2, 4), hash);
      const preview = (await call('data.deletePreview', {
        schema: names.ephys,
        table: '_recording',
        restriction: free,
      })) as { total: number };
      await call('data.delete', {
        schema: names.ephys,
        table: '_recording',
        restriction: free,
        expectedTotal: preview.total,
      });
      const unused = (await call('data.unusedExternal', { schema: names.ephys, store: 'raw' })) as UnusedExternal;
      expect(unused.objects).toEqual([
        {
          hash,
          kind: 'blob',
          size: readFileSync(file).length,
          path: `${names.ephys}/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`,
        },
      ]);
      await expect(
        call('data.cleanExternal', { schema: names.ephys, store: 'raw', expectedCount: 2 }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(existsSync(file)).toBe(true);
      const removed = (await call('data.cleanExternal', {
        schema: names.ephys,
        store: 'raw',
        expectedCount: 1,
      })) as UnusedExternal;
      expect(removed).toMatchObject({ objects: unused.objects, total_bytes: unused.total_bytes, file_errors: [] });
      expect(existsSync(file)).toBe(false);
      expect((await externalRows(names.ephys)).map((r) => r.hash)).not.toContain(hash);
      expect(
        ((await call('data.unusedExternal', { schema: names.ephys, store: 'raw' })) as UnusedExternal).objects,
      ).toEqual([]);
      await expect(call('data.unusedExternal', { schema: names.ephys, store: 'nope' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringContaining('no external store "nope"'),
      });
    });

    it('joinery store unused | clean: a dry run first, then --yes', async () => {
      const [free] = await freeSessions();
      await call('data.insert', {
        schema: names.ephys,
        table: '_recording',
        allowDirectInsert: true,
        rows: [recording(free!, { raw_trace: ['cli unused'] })],
      });
      const preview = (await call('data.deletePreview', {
        schema: names.ephys,
        table: '_recording',
        restriction: free,
      })) as { total: number };
      await call('data.delete', {
        schema: names.ephys,
        table: '_recording',
        restriction: free,
        expectedTotal: preview.total,
      });
      const cli = (...args: string[]) =>
        runJoinery(['store', ...args, '--db', MYSQL_URL, '--schema', names.ephys, '--store', 'raw'], {
          dataDir,
          env: { JOINERY_STORES: `raw=${store}` },
        });
      const dry = cli('clean');
      expect(dry.status).toBe(0);
      expect(dry.stdout).toMatch(
        /^1 object \(\d+ bytes\) in store "raw" of .* is referenced by no row\nblob .*\nrun again with --yes to remove them\n$/,
      );
      const done = cli('clean', '--yes', '--json');
      expect(done.status).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({ store: 'raw', objects: [{ kind: 'blob' }], file_errors: [] });
      expect(JSON.parse(cli('unused', '--json').stdout).objects).toEqual([]);
    }, 120_000);
  });

  it('takes stores from the environment (JOINERY_STORES) over the settings file', async () => {
    expect(parseStoresEnv(`raw=${store}; other = /x/y`)).toEqual({
      raw: { location: store },
      other: { location: '/x/y' },
    });
    expect(parseStoresEnv(JSON.stringify({ raw: { location: store, subfolding: [1] } }))).toEqual({
      raw: { location: store, subfolding: [1] },
    });
    expect(() => parseStoresEnv('raw')).toThrow(/JOINERY_STORES is malformed/);
    const envCore = createCore(
      {
        host: 'cli',
        dataDir,
        defaultDbUrl: 'sqlite::memory:',
        version: 't',
        storesOverride: parseStoresEnv(`raw=${empty}`),
      },
      { secrets: new MemorySecretStore(), log: silentLogger, nativeDialogs: false },
    );
    try {
      const list = await envCore.dispatch('settings.stores', {}, CTX);
      expect(list).toEqual({
        ok: true,
        value: { stores: [{ name: 'raw', location: empty, subfolding: [2, 2], source: 'environment' }] },
      });
    } finally {
      await envCore.dispose();
    }
  });
});
