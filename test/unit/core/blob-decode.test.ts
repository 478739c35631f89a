import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBlob, inspectBlob, NdArray, PyDict, toPlain, toTypedJson } from '../../../electron/core/data/blob';
import { externalBlobHash } from '../../../electron/core/data/external-path';
import { cell, loadExpected, sampleBytes, toReferenceForm, type BlobSample } from '../../support/blob-fixture';

const samples = loadExpected().blob_samples;
const label = (s: BlobSample): string => `${s.table} ${JSON.stringify(s.key)}.${s.attribute}: ${s.note}`;
const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const typeCode = (code: number): string =>
  code >= 0x20 && code < 0x7f ? String.fromCharCode(code) : `\\x${code.toString(16).padStart(2, '0')}`;

describe('blob decode: every DataJoint reference sample', () => {
  it('has the 39 samples the fixture documents', () => {
    expect(samples).toHaveLength(39);
  });

  it.each(samples.map((s) => [label(s), s] as const))('%s', (_name, sample) => {
    const stored = sampleBytes(sample);
    const facts = sample.serialized;
    expect(stored.length).toBe(facts.length);
    expect(md5(stored)).toBe(facts.md5);
    if (facts.raw_hex) expect(Buffer.from(stored).toString('hex')).toBe(facts.raw_hex);
    const info = inspectBlob(stored);
    expect(info.protocol).toBe(facts.protocol);
    expect(info.compressed).toBe(facts.compressed);
    if (facts.uncompressed_length !== undefined) expect(info.rawLength).toBe(facts.uncompressed_length);
    expect(typeCode(info.firstTypeCode)).toBe(facts.first_type_code);

    const value = decodeBlob(stored);
    expect(toReferenceForm(toTypedJson(value))).toEqual(sample.decoded);
  });
});

describe('blob decode: external and compressed storage', () => {
  const external = samples.filter((s) => s.external_store);

  it('reads external blobs whose row holds md5(bytes) as a uuid', () => {
    expect(external.length).toBeGreaterThan(0);
    for (const s of external) {
      const uuid = cell(s.table, s.key, s.attribute) as Uint8Array;
      expect(externalBlobHash(sampleBytes(s)).toString()).toBe(s.stored_in_row!.uuid);
      expect(Buffer.from(uuid).toString('hex')).toBe(s.serialized.md5);
    }
  });

  it('decodes compressed samples to their full length', () => {
    const compressed = samples.filter((s) => s.serialized.compressed);
    expect(compressed.length).toBeGreaterThanOrEqual(2);
    for (const s of compressed) {
      const v = decodeBlob(sampleBytes(s)) as NdArray;
      expect(v).toBeInstanceOf(NdArray);
      expect(v.data).toBeInstanceOf(Float64Array);
    }
  });
});

describe('blob decode: the value model', () => {
  const byNote = (note: string): unknown => decodeBlob(sampleBytes(samples.find((s) => s.note.startsWith(note))!));

  it('returns row-major typed arrays', () => {
    const m = byNote('int16 3x4 matrix') as NdArray<'int16'>;
    expect(m.shape).toEqual([3, 4]);
    expect(Array.from(m.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('keeps Python types apart: int, float, big int, dict', () => {
    expect(byNote('python int')).toBe(42);
    expect(byNote('python big int')).toBe(1180591620717411303429n);
    expect(byNote('python float')).toBe(2.718281828459045);
    const d = byNote('dict with nested dict') as PyDict;
    expect(d).toBeInstanceOf(PyDict);
    expect(d.get('a')).toBe(1);
    expect(toPlain(d)).toEqual({ a: 1, b: [1, 2], c: { nested: true } });
  });

  it('gives a readable plain form', () => {
    expect(toPlain(byNote('MATLAB char array') as NdArray)).toBe('hi!');
    expect(toPlain(byNote('MATLAB cell array') as NdArray)).toEqual(['on', 'off']);
    expect(toPlain(byNote('MATLAB struct array') as NdArray)).toEqual({ name: 'ab', gain: [[2.5]] });
    expect(toPlain(byNote('numpy structured array') as NdArray)).toEqual([
      { id: 1, val: 2.5 },
      { id: 2, val: 3.5 },
    ]);
    expect(toPlain(byNote('numpy datetime64') as NdArray)).toEqual(['2024-01-01', '2024-06-30']);
    expect(toPlain(byNote('uint64 vector') as NdArray)).toEqual([0, '9223372036854775809']);
  });

  it('decodes ~jobs key blobs and error stacks from the dump', () => {
    for (const [db, schema] of Object.entries(loadExpected().schemas)) {
      for (const job of schema.jobs ?? []) {
        const key = { table_name: job.table_name, key_hash: job.key_hash };
        const keyBlob = cell(`${db}.~jobs`, key, 'key') as Uint8Array;
        expect(md5(keyBlob)).toBe(job.key_blob.md5);
        expect(toTypedJson(decodeBlob(keyBlob))).toEqual(job.key);
        expect(toPlain(decodeBlob(keyBlob))).toEqual(job.key_plain);
        const stack = cell(`${db}.~jobs`, key, 'error_stack');
        if (job.error_stack_blob) {
          expect(md5(stack as Uint8Array)).toBe(job.error_stack_blob.md5);
          expect((decodeBlob(stack as Uint8Array) as string).split('\n')[0]).toBe(job.error_stack_first_line);
        } else {
          expect(stack).toBeNull();
        }
      }
    }
  });

  it("reads 32-bit mym blobs (u32 lengths) when asked, as DataJoint's use_32bit_dims", () => {
    const u32 = (n: number): string => Buffer.from(new Uint32Array([n]).buffer).toString('hex');
    const blob = Buffer.from(
      `6d596d0041${u32(2)}${u32(1)}${u32(2)}${u32(6)}${u32(0)}${'000000000000f03f'}${'0000000000000040'}`,
      'hex',
    );
    const v = decodeBlob(blob, { dims32: true }) as NdArray<'float64'>;
    expect(v.shape).toEqual([1, 2]);
    expect(Array.from(v.data)).toEqual([1, 2]);
    expect(() => decodeBlob(blob)).toThrow(/Corrupt blob at byte 5/);
  });

  it('decodes a million-element float64 vector into one typed array', () => {
    const n = 1_000_000;
    const raw = Buffer.alloc(4 + 1 + 8 + 8 + 8 + 8 * n);
    raw.write('mYm\0A', 0, 'latin1');
    raw.writeBigUInt64LE(1n, 5);
    raw.writeBigUInt64LE(BigInt(n), 13);
    raw.writeUInt32LE(6, 21);
    for (let i = 0; i < n; i++) raw.writeDoubleLE(i * 0.5, 29 + 8 * i);
    const v = decodeBlob(raw) as NdArray<'float64'>;
    expect(v.data).toBeInstanceOf(Float64Array);
    expect(v.data.length).toBe(n);
    expect(v.data[n - 1]).toBe((n - 1) * 0.5);
  });
});
