import { describe, expect, it } from 'vitest';
import { formatBytes, formatCell, summarizeBlob } from '../../../../renderer/features/data/cell-format';

describe('grid cells', () => {
  it('shows NULL distinctly from an empty string and the text "NULL"', () => {
    expect(formatCell(null, 'varchar(8)')).toEqual({ kind: 'null', text: 'NULL' });
    expect(formatCell('', 'varchar(8)')).toMatchObject({ kind: 'text', text: '' });
    expect(formatCell('NULL', 'varchar(8)')).toMatchObject({ kind: 'text', text: 'NULL' });
  });

  it('keeps decimals and dates as the text the core sent (no float rounding)', () => {
    expect(formatCell('310.25', 'decimal(5,2)')).toMatchObject({ kind: 'text', text: '310.25' });
    expect(formatCell('0.10', 'decimal(3,2)').text).toBe('0.10');
    expect(formatCell('2023-01-15 10:30:00.250000', 'datetime(6)').text).toBe('2023-01-15 10:30:00.250000');
    expect(formatCell(42, 'int')).toEqual({ kind: 'number', text: '42' });
  });

  it('summarizes blobs by dtype and shape, previewing small arrays only', () => {
    const small = { type: 'ndarray', dtype: 'float64', shape: [4], values: [0.5, 1.25, -2, 3.75] };
    expect(formatCell(small, 'longblob')).toMatchObject({ kind: 'blob', text: 'float64 4 [0.5,1.25,-2,3.75]' });
    const big = { type: 'ndarray', dtype: 'int16', shape: [100, 200], values: [] };
    expect(summarizeBlob(big)).toBe('int16 100×200');
    expect(summarizeBlob({ type: 'ndarray', dtype: 'float32', shape: [], values: 3.5 })).toBe('float32 scalar 3.5');
    expect(summarizeBlob({ type: 'complex', value: { re: 1.5, im: -2 } })).toBe('1.5-2j');
    expect(summarizeBlob({ type: 'dict', items: [[1, 2]] })).toBe('dict (1 keys)');
    expect(summarizeBlob({ type: 'struct', shape: [1, 1], fields: ['a', 'b'], records: [] })).toBe('struct 1×1 (a, b)');
    expect(summarizeBlob({ type: 'bytes', hex: 'deadbeef' })).toBe('bytes (4 B)');
  });

  it('pretty-prints json columns in the tooltip and keeps the cell on one line', () => {
    const v = formatCell({ a: [1, 2], b: 'x' }, 'json');
    expect(v).toMatchObject({ kind: 'json', text: '{"a":[1,2],"b":"x"}' });
    expect((v as { detail: string }).detail).toContain('\n  "a": [');
  });

  it('offers attachments for download and says what query results only summarize', () => {
    const inline = formatCell({ type: 'attachment', filename: 'r.pdf', size: 2048, base64: 'AAAA' }, 'attach');
    expect(inline).toMatchObject({ kind: 'attachment', filename: 'r.pdf', base64: 'AAAA', text: 'r.pdf (2.0 KiB)' });
    expect(formatCell({ kind: 'attach', bytes: 300 }, 'attach')).toMatchObject({
      kind: 'stored',
      storedKind: 'attach',
      text: 'attachment (300 B)',
    });
    expect(formatCell({ kind: 'external', bytes: 16 }, 'attach@raw')).toMatchObject({
      storedKind: 'attach',
      text: 'attachment (in external store)',
    });
  });

  it('writes sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
  });
});
