import { deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError, type AppError } from '../../../shared/errors';
import { decodeBlob, encodeBlob, NdArray } from '../../../electron/core/data/blob';
import { loadExpected, sampleBytes } from '../../support/blob-fixture';

const samples = loadExpected().blob_samples.map(sampleBytes);
const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const u64 = (n: number | bigint): string => Buffer.from(new BigUint64Array([BigInt(n)]).buffer).toString('hex');
const u32 = (n: number): string => Buffer.from(new Uint32Array([n]).buffer).toString('hex');
const MYM = '6d596d00';
const DJ0 = '646a3000';
const ZL = '5a4c31323300';

/** The AppError that decoding `bytes` throws (fails the test when it decodes or throws anything else). */
function decodeError(bytes: Uint8Array): AppError {
  try {
    decodeBlob(bytes);
  } catch (e) {
    if (isAppError(e)) return e;
    throw new Error(`decode threw a non-AppError: ${String(e)}`);
  }
  throw new Error('decode succeeded on corrupt input');
}

const compressed = samples.find((b) => b[0] === 0x5a)!;
const deep = (levels: number): Uint8Array => {
  // list of one list of one list ...: each level is 02 + u64 count 1 + u64 length of the next
  let inner = hex('ff');
  for (let i = 0; i < levels; i++) inner = Buffer.concat([hex(`02${u64(1)}${u64(inner.length)}`), inner]);
  return Buffer.concat([hex(DJ0), inner]);
};

// [what, bytes, expected code, expected offset, words the message must contain]
const CASES: Array<[string, Uint8Array, string, number, string]> = [
  ['empty input', hex(''), 'VALIDATION', 0, 'protocol header'],
  ['three bytes', hex('6d596d'), 'VALIDATION', 0, 'protocol header'],
  ['unknown protocol', hex(`78597a00${'41'}`), 'VALIDATION', 0, 'protocol header'],
  ['protocol header only', hex(MYM), 'VALIDATION', 4, 'ends after its protocol header'],
  ['unknown type code', hex(`${DJ0}42`), 'VALIDATION', 4, 'unknown type code 0x42'],
  ['sparse array', hex(`${MYM}50`), 'UNSUPPORTED', 4, 'sparse'],
  ['truncated array data', samples[0]!.subarray(0, 58), 'VALIDATION', 29, 'needs 32 bytes but only 29 remain'],
  ['trailing byte', hex('646a30000a01002a00'), 'VALIDATION', 8, '1 bytes follow the end of the value'],
  ['absurd ndim', hex(`${MYM}41${u64(2n ** 62n)}`), 'VALIDATION', 5, 'impossibly large'],
  ['ndim beyond the bytes left', hex(`${MYM}41${u64(1000)}`), 'VALIDATION', 5, 'number of dimensions 1000'],
  [
    'absurd element count',
    hex(`${MYM}41${u64(2)}${u64(2 ** 40)}${u64(2 ** 40)}${u32(6)}${u32(0)}`),
    'VALIDATION',
    4,
    'elements',
  ],
  [
    'object array longer than its bytes',
    hex(`${DJ0}41${u64(1)}${u64(2 ** 31)}${u32(5)}${u32(0)}`),
    'VALIDATION',
    29,
    'object array',
  ],
  ['absurd list count', hex(`${DJ0}02${u64(10n ** 15n)}`), 'VALIDATION', 5, 'item count'],
  ['string longer than the blob', hex(`${DJ0}05${u64(100)}6869`), 'VALIDATION', 13, 'string needs 100 bytes'],
  [
    'nested value shorter than declared',
    hex(`${DJ0}02${u64(1)}${u64(5)}0a01002a00`),
    'VALIDATION',
    25,
    'ends 1 bytes early',
  ],
  ['nested length past the end', hex(`${DJ0}02${u64(1)}${u64(50)}0a01002a`), 'VALIDATION', 21, 'nested value needs 50'],
  ['invalid UTF-8 string', hex(`${DJ0}05${u64(2)}c328`), 'VALIDATION', 13, 'not valid UTF-8'],
  ['int longer than the blob', hex(`${DJ0}0a ffff 01`), 'VALIDATION', 7, 'integer needs 65535'],
  ['month 13', hex(`${DJ0}74${u32(20241301)}${'ff'.repeat(8)}`), 'VALIDATION', 5, 'month'],
  ['time past midnight', hex(`${DJ0}74${'ff'.repeat(4)}${u64(25n * 10n ** 10n)}`), 'VALIDATION', 9, 'HHMMSS'],
  ['invalid decimal', hex(`${DJ0}64${u64(3)}616263`), 'VALIDATION', 5, 'not a decimal'],
  [
    'complex flag 2',
    hex(`${MYM}41${u64(1)}${u64(1)}${u32(6)}${u32(2)}${'00'.repeat(16)}`),
    'VALIDATION',
    25,
    'complex flag',
  ],
  [
    'complex char array',
    hex(`${MYM}41${u64(1)}${u64(1)}${u32(4)}${u32(1)}00000000`),
    'VALIDATION',
    25,
    'cannot be complex',
  ],
  ['cell class inside an array', hex(`${MYM}41${u64(1)}${u64(1)}${u32(1)}${u32(0)}`), 'VALIDATION', 21, 'CELL'],
  ['unknown array type id', hex(`${MYM}41${u64(1)}${u64(1)}${u32(99)}${u32(0)}00`), 'VALIDATION', 21, 'type id 99'],
  [
    'struct name without terminator',
    hex(`${MYM}53${u64(2)}${u64(1)}${u64(1)}${u32(1)}6162`),
    'VALIDATION',
    33,
    'terminating zero',
  ],
  ['recarray field that is not an array', hex(`${DJ0}46${u32(1)}6100 0a01002a`), 'VALIDATION', 11, 'not an array'],
  // the 513th list is refused right after its item count
  ['nesting deeper than 512 levels', deep(600), 'VALIDATION', 4 + 512 * 17 + 9, 'nested more than 512'],
  ['compressed: header cut short', hex(`${ZL}0102`), 'VALIDATION', 8, 'length field'],
  ['compressed: declared length 0', hex(`${ZL}${u64(0)}789c03000000000001`), 'VALIDATION', 6, 'zero'],
  ['compressed: absurd declared length', hex(`${ZL}${u64(2n ** 60n)}789c`), 'VALIDATION', 6, 'limit'],
  ['compressed: garbage stream', hex(`${ZL}${u64(100)}0102030405`), 'VALIDATION', 14, 'zlib stream'],
  ['compressed: truncated stream', compressed.subarray(0, compressed.length - 10), 'VALIDATION', 14, 'zlib stream'],
  [
    'compressed: smaller declared length',
    Buffer.concat([compressed.subarray(0, 6), hex(u64(100)), compressed.subarray(14)]),
    'VALIDATION',
    14,
    'more than the declared 100',
  ],
  [
    'compressed: larger declared length',
    Buffer.concat([compressed.subarray(0, 6), hex(u64(9000)), compressed.subarray(14)]),
    'VALIDATION',
    14,
    'not the declared 9000',
  ],
  [
    'compressed: bytes after the stream',
    Buffer.concat([compressed, hex('0000')]),
    'VALIDATION',
    compressed.length,
    '2 bytes follow the end of the zlib stream',
  ],
];

describe('blob decode: corrupt input', () => {
  it.each(CASES)('%s', (_what, bytes, code, offset, words) => {
    const error = decodeError(bytes);
    expect(error.code).toBe(code);
    expect(error.details?.offset).toBe(offset);
    expect(error.message).toContain(`byte ${offset}`);
    expect(error.message).toContain(words);
  });

  it('names offsets inside a compressed blob as offsets of the decompressed bytes', () => {
    const stored = encodeBlob(
      new NdArray(
        'object',
        [300],
        Array.from({ length: 300 }, () => 'abc'),
      ),
    );
    expect(stored[0]).toBe(0x5a);
    const raw = inflateSync(stored.subarray(14));
    raw[raw.length - 1] = 0xff; // the last string's last byte: invalid UTF-8
    const error = decodeError(Buffer.concat([hex(ZL), hex(u64(raw.length)), deflateSync(raw)]));
    expect(error.message).toContain(`byte ${raw.length - 3} of the decompressed blob`);
    expect(error.details?.offsetSpace).toBe('decompressed');
  });
});

/** Decodes or throws an AppError; anything else (TypeError, RangeError, stack overflow) fails. */
function decodesOrAppError(bytes: Uint8Array): boolean {
  try {
    decodeBlob(bytes);
    return true;
  } catch (e) {
    if (!isAppError(e)) throw e;
    return false;
  }
}

describe('blob decode: fuzzing', () => {
  const prefixes = [MYM, DJ0, `${MYM}41`, `${DJ0}02`, `${DJ0}04`, `${MYM}53`, `${MYM}43`, `${DJ0}46`, ''];

  it('random bytes after a valid prefix only ever give AppErrors', () => {
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 200 }), (prefix, tail) => {
        decodesOrAppError(Buffer.concat([hex(prefix), tail]));
      }),
      { numRuns: 3000 },
    );
  });

  it('every truncation of every sample is an AppError', () => {
    for (const sample of samples) {
      for (let n = 0; n < sample.length; n++) expect(decodesOrAppError(sample.subarray(0, n))).toBe(false);
    }
  });

  it('bit flips, byte overwrites and splices of real samples decode or give AppErrors', () => {
    const mutation = fc.tuple(
      fc.nat({ max: samples.length - 1 }),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 }), fc.constantFrom('flip', 'set', 'drop', 'dup')), {
        minLength: 1,
        maxLength: 4,
      }),
    );
    fc.assert(
      fc.property(mutation, ([which, edits]) => {
        let b = Buffer.from(samples[which]!);
        for (const [pos, val, op] of edits) {
          const at = pos % Math.max(b.length, 1);
          if (op === 'flip') b[at] = b[at]! ^ (1 << (val % 8));
          else if (op === 'set') b[at] = val;
          else if (op === 'drop') b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
          else b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + (val % 16)), b.subarray(at)]);
        }
        // a hang fails the test by its timeout; no clock here (tests must not depend on the machine's speed)
        decodesOrAppError(b);
      }),
      { numRuns: 5000 },
    );
  });

  it('length fields set to huge values neither allocate nor hang', () => {
    const huge = [2n ** 32n - 1n, 2n ** 40n, 2n ** 53n - 1n, 2n ** 63n, 2n ** 64n - 1n];
    for (const sample of samples.filter((b) => b[0] !== 0x5a)) {
      for (let at = 4; at + 8 <= sample.length; at++) {
        for (const v of huge) {
          const b = Buffer.from(sample);
          b.writeBigUInt64LE(v, at);
          const before = process.memoryUsage().arrayBuffers;
          decodesOrAppError(b);
          // a length believed would allocate gigabytes (or throw RangeError); a hang fails by the timeout
          expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
        }
      }
    }
  });
});
