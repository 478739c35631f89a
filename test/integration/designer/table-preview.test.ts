import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreviewTable } from '../../../shared/api/schemas/designer';
import { ENGINES, openJobsSetup, type JobsSetup } from '../jobs/support';

/** table.preview on the real engines: DDL for good definitions, each problem at its field and line:column, nothing written. */
describe.each(ENGINES)('table.preview on $name', ({ name, skip }) => {
  let s: JobsSetup;
  const table = (class_name: string, definition: string, tier: PreviewTable['tier'] = 'Manual'): PreviewTable => ({
    schema: s.schema,
    class_name,
    tier,
    definition,
  });

  beforeAll(async () => {
    if (skip) return;
    s = await openJobsSetup(name, 'preview');
    await s.call('table.declare', {
      tables: [
        {
          schema: s.schema,
          class_name: 'Subject',
          tier: 'Manual',
          definition: 'subject_id : int\n---\nname : varchar(16)',
        },
      ],
    });
  });
  afterAll(async () => {
    if (!skip) await s.close();
  });

  async function tableCount(): Promise<number> {
    return (await s.call('pipeline.inspect', { schemas: [s.schema] })).schemas[s.schema]?.tables.length ?? 0;
  }

  it.skipIf(skip)('compiles a child of an existing parent without writing it', async () => {
    const out = await s.call('table.preview', {
      tables: [
        table(
          'Scan',
          '# a scan\n-> Subject\nscan_id : smallint\n---\n-> [nullable] Subject.proj(buddy="subject_id")\nnote="" : varchar(64)\nindex(note)',
        ),
      ],
    });
    expect(out.errors).toEqual([]);
    expect(out.dialect).toBe(name);
    expect(out.tables).toHaveLength(1);
    expect(out.tables[0]!.full_name).toBe(`${s.schema}.scan`);
    const ddl = out.tables[0]!.ddl.join('\n');
    expect(ddl).toMatch(/CREATE TABLE/);
    expect(ddl).toMatch(/buddy/);
    expect(ddl).toMatch(/FOREIGN KEY/);
    expect(await tableCount()).toBe(1);
  });

  it.skipIf(skip)('puts a parse error at its line and column', async () => {
    const out = await s.call('table.preview', { tables: [table('Scan', 'scan_id : int\n---\nnote : varchr(8)')] });
    expect(out.tables).toEqual([]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]).toMatchObject({ field: 'definition', line: 3, column: 8, table: `${s.schema}.Scan` });
    expect(out.errors[0]!.message).toMatch(/line 3, column 8/);
  });

  it.skipIf(skip)('names an unknown parent at the reference', async () => {
    const out = await s.call('table.preview', { tables: [table('Scan', 'scan_id : int\n---\n-> Subjekt')] });
    expect(out.errors[0]).toMatchObject({ field: 'definition', line: 3, column: 4 });
    expect(out.errors[0]!.message).toMatch(/"Subjekt" is not known/);
  });

  it.skipIf(skip)('reports a clash with an existing table on the class name', async () => {
    const same = await s.call('table.preview', { tables: [table('Subject', 'subject_id : int')] });
    expect(same.errors).toEqual([expect.objectContaining({ field: 'class_name', code: 'CONFLICT' })]);
    expect(same.errors[0]!.message).toMatch(new RegExp(`existing table ${s.schema}\\.subject`));
    const otherTier = await s.call('table.preview', { tables: [table('Subject', 'subject_id : int', 'Lookup')] });
    expect(otherTier.errors[0]).toMatchObject({ field: 'class_name', code: 'CONFLICT' });
  });

  it.skipIf(skip)('checks the class name, the tier and an empty definition as fields', async () => {
    const out = await s.call('table.preview', {
      tables: [
        table('scan', ''),
        table('Scan.Part', 'x : int', 'Manual'),
        { ...table('Ok', 'x : int'), schema: '9bad' },
      ],
    });
    expect(out.errors.map((e) => e.field)).toEqual(['class_name', 'definition', 'tier', 'schema']);
    expect(out.errors[1]).toMatchObject({ line: 1, column: 1 });
  });

  it.skipIf(skip)('knows what the engine lacks', async () => {
    const out = await s.call('table.preview', {
      tables: [table('Counter', 'group_id : int\nn : int auto_increment\n---\nx : int')],
    });
    if (name === 'sqlite') {
      expect(out.errors).toEqual([expect.objectContaining({ field: 'definition', code: 'UNSUPPORTED', line: 2 })]);
      expect(out.errors[0]!.message).toMatch(/SQLite can auto-increment only a primary key of one column/);
    } else {
      expect(out.errors).toEqual([]);
      expect(out.tables[0]!.ddl.join('\n')).toMatch(/AUTO_INCREMENT/);
    }
    expect(await tableCount()).toBe(1);
  });

  it.skipIf(skip)('refuses bad requests at the boundary', async () => {
    await expect(s.call('table.preview', { tables: [] })).rejects.toThrow(/table.preview/);
  });
});
