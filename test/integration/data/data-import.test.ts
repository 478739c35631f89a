import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  declarePipeline,
  ENGINES_WITH_POSTGRES,
  type EngineSession,
  openEngine,
  scratchDir,
} from '../../support/data-engines';
import { runJoinery } from '../../support/cli';

/**
 * CSV and JSON files into tables: data.import through the API on SQLite and MariaDB (errors by
 * file line, one transaction, attachments from paths for local callers only), and the
 * `joinery insert` command as a user runs it.
 */
// each `joinery` run starts Node and tsx, which takes seconds on a loaded machine
const CLI_TIMEOUT = 120_000;

const SUBJECTS_CSV =
  'subject_id,species,sex,date_of_birth,weight,notes\r\n' +
  '1,mouse,M,2024-01-01,12.5,"first, ""best"""\r\n' +
  '2,mouse,F,2024-01-02,,\r\n' +
  '3,mouse,U,2024-01-03,,"two\r\nlines"\r\n';

describe.each(ENGINES_WITH_POSTGRES)('file import on %s', (engine) => {
  let s: EngineSession;
  let dir: string;
  const fetchSubjects = async () =>
    (await s.call('data.fetch', { schema: s.lab, table: 'subject', attributes: ['subject_id', 'weight', 'notes'] }))
      .rows;
  const joinery = (...args: string[]) => runJoinery(args, { dataDir: dir });

  beforeAll(async () => {
    s = await openEngine(engine, 'jt_imp');
    dir = scratchDir();
    await declarePipeline(s);
    await s.call('data.insert', { schema: s.lab, table: '#species', rows: [{ species: 'mouse' }] });
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports CSV: quotes, escaped quotes, embedded line breaks, empty fields as defaults', async () => {
    expect(await s.call('data.import', { schema: s.lab, table: 'subject', format: 'csv', text: SUBJECTS_CSV })).toEqual(
      { inserted: 3, skipped: 0, rows: 3 },
    );
    expect(await fetchSubjects()).toEqual([
      { subject_id: 1, weight: '12.50', notes: 'first, "best"' },
      { subject_id: 2, weight: null, notes: '' },
      { subject_id: 3, weight: null, notes: 'two\r\nlines' },
    ]);
    expect(
      await s.call('data.import', {
        schema: s.lab,
        table: 'subject',
        format: 'csv',
        text: SUBJECTS_CSV,
        onDuplicate: 'skip',
      }),
    ).toEqual({ inserted: 0, skipped: 3, rows: 3 });
  });

  it('names the file line of a bad value, after a record spanning two lines, and writes nothing', async () => {
    const text = 'subject_id,species,sex,date_of_birth,notes\n10,mouse,M,2024-01-01,"a\nb"\n11,mouse,X,2024-01-01,\n';
    const err = await s.fail('data.import', { schema: s.lab, table: 'subject', format: 'csv', text });
    expect(err.message).toContain(`${s.lab}.subject, line 4: attribute "sex" must be one of`);
    expect(err.details).toMatchObject({ where: 'line 4', attribute: 'sex' });
    const fk = await s.fail('data.import', {
      schema: s.lab,
      table: 'subject',
      format: 'json',
      text: '[\n{"subject_id": 12, "species": "mouse", "sex": "M", "date_of_birth": "2024-01-01"},\n{"subject_id": 13, "species": "yeti", "sex": "M", "date_of_birth": "2024-01-01"}\n]',
    });
    expect(fk).toMatchObject({ code: 'CONSTRAINT', details: { where: 'line 3', attribute: 'species' } });
    const syntax = await s.fail('data.import', {
      schema: s.lab,
      table: 'subject',
      format: 'csv',
      text: 'subject_id,sex\n1,"M\n',
    });
    expect(syntax).toMatchObject({ code: 'VALIDATION', details: { line: 2, column: 3 } });
    expect((await fetchSubjects()).map((r) => r.subject_id)).toEqual([1, 2, 3]);
  });

  it('imports JSON with blobs, json and attachments given inline or as paths next to the file', async () => {
    writeFileSync(path.join(dir, 'report.txt'), 'scanned report');
    const text = JSON.stringify(
      [
        {
          id: 1,
          t_blob: { type: 'ndarray', dtype: 'uint8', shape: [2], values: [1, 2] },
          t_json: { k: [1] },
          t_attach: 'report.txt',
        },
        { id: 2, t_attach: { filename: 'inline.bin', base64: Buffer.from([0, 1, 2]).toString('base64') } },
      ],
      null,
      1,
    );
    expect(
      await s.call('data.import', { schema: s.ephys, table: 'all_types', format: 'json', text, baseDir: dir }),
    ).toMatchObject({ inserted: 2 });
    const rows = (
      await s.call('data.fetch', {
        schema: s.ephys,
        table: 'all_types',
        attributes: ['id', 't_blob', 't_json', 't_attach'],
      })
    ).rows;
    expect(rows).toEqual([
      {
        id: 1,
        t_blob: { type: 'ndarray', dtype: 'uint8', shape: [2], values: [1, 2] },
        t_json: { k: [1] },
        t_attach: {
          type: 'attachment',
          filename: 'report.txt',
          size: 14,
          base64: Buffer.from('scanned report').toString('base64'),
        },
      },
      {
        id: 2,
        t_blob: null,
        t_json: null,
        t_attach: { type: 'attachment', filename: 'inline.bin', size: 3, base64: 'AAEC' },
      },
    ]);
    const missing = await s.fail('data.import', {
      schema: s.ephys,
      table: 'all_types',
      format: 'json',
      text: '{"id": 3}\n{"id": 4, "t_attach": "nope.txt"}',
      baseDir: dir,
    });
    expect(missing).toMatchObject({ code: 'VALIDATION', details: { line: 2, attribute: 't_attach' } });
    expect(missing.message).toMatch(/nope\.txt: no such file/);
  });

  it('does not let a browser make the server read its own files', async () => {
    const res = await s.core.dispatch(
      'data.import',
      {
        connectionId: s.connectionId,
        schema: s.ephys,
        table: 'all_types',
        format: 'json',
        text: '[{"id": 9, "t_attach": "/etc/hostname"}]',
        baseDir: '/',
      },
      { transport: 'http', host: 'web' },
    );
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.message).toMatch(/cannot be attached from here/);
  });

  it(
    'joinery insert: CSV by class name, then duplicates skipped, then a bad line (exit 2, nothing written)',
    () => {
      const csv = path.join(dir, 'more.csv');
      writeFileSync(csv, 'subject_id,species,sex,date_of_birth\n20,mouse,F,2024-02-01\n21,mouse,M,2024-02-02\n');
      const ok = joinery('insert', '--db', s.url, '--table', `${s.lab}.Subject`, '--file', csv);
      expect(ok.stderr).not.toMatch(/^joinery:/m);
      expect(ok.stdout).toBe(`inserted 2 of 2 rows into ${s.lab}.subject\n`);
      expect(ok.status).toBe(0);
      const again = joinery(
        'insert',
        '--db',
        s.url,
        '--table',
        `${s.lab}.subject`,
        '--file',
        csv,
        '--skip-duplicates',
        '--json',
      );
      expect(JSON.parse(again.stdout)).toEqual({ table: `${s.lab}.subject`, inserted: 0, skipped: 2, rows: 2 });
      writeFileSync(csv, 'subject_id,species,sex,date_of_birth\n22,mouse,F,2024-02-01\n23,mouse,M,2024-02-31\n');
      const bad = joinery('insert', '--db', s.url, '--table', `${s.lab}.Subject`, '--file', csv);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain('line 3: attribute "date_of_birth" expects a date');
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    },
    CLI_TIMEOUT,
  );

  it(
    'joinery insert: JSON Lines into a part table by Master.Part, attachments by path',
    async () => {
      await s.call('data.insert', {
        schema: s.ephys,
        table: 'session',
        rows: [{ subject_id: 1, session_idx: 1, session_start: '2024-03-01 10:00:00' }],
      });
      const file = path.join(dir, 'notes.jsonl');
      writeFileSync(
        file,
        '{"subject_id": 1, "session_idx": 1, "note_idx": 1, "text": "a"}\n{"subject_id": 1, "session_idx": 1, "note_idx": 2, "text": "b"}\n',
      );
      const r = joinery('insert', '--db', s.url, '--table', `${s.ephys}.Session.Note`, '--file', file);
      expect(r.stdout).toBe(`inserted 2 of 2 rows into ${s.ephys}.session__note\n`);
      expect((await s.call('data.fetch', { schema: s.ephys, table: 'session__note' })).total).toBe(2);
    },
    CLI_TIMEOUT,
  );

  it(
    'joinery insert into a Computed table: refused (exit 2) unless --allow-direct-insert',
    async () => {
      await s.call('data.insert', {
        schema: s.ephys,
        table: '_recording',
        rows: [{ subject_id: 1, session_idx: 1, trace: [1] }],
        allowDirectInsert: true,
      });
      const file = path.join(dir, 'analysis.json');
      writeFileSync(file, '[{"subject_id": 1, "session_idx": 1, "score": 0.25}]');
      const refused = joinery('insert', '--db', s.url, '--table', `${s.ephys}.Analysis`, '--file', file);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/Analysis .* is a Computed table.*\n.*--allow-direct-insert/s);
      expect((await s.call('data.fetch', { schema: s.ephys, table: '__analysis' })).total).toBe(0);
      const forced = joinery(
        'insert',
        '--db',
        s.url,
        '--table',
        `${s.ephys}.Analysis`,
        '--file',
        file,
        '--allow-direct-insert',
      );
      expect(forced.stdout).toBe(`inserted 1 of 1 rows into ${s.ephys}.__analysis\n`);
    },
    CLI_TIMEOUT,
  );
});

describe('joinery insert usage', () => {
  const dir = scratchDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [['insert', '--table', 'x'], /--file is required/],
    [['insert', '--file', 'a.csv'], /--table is required/],
    [['insert', '--table', 'nodot', '--file', 'a.csv'], /must be schema.table/],
    [['insert', '--table', 'a.b', '--file', 'rows.txt'], /add --format csv or --format json/],
    [['insert', '--table', 'a.b', '--file', 'a.csv', '--replace', '--skip-duplicates'], /exclude each other/],
  ])(
    'joinery %j is a usage error',
    (args, message) => {
      const r = runJoinery(args, { dataDir: dir });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    },
    CLI_TIMEOUT,
  );
});
