import fc from 'fast-check';
import {
  DATETIME_UNITS,
  MatCell,
  MatStruct,
  NdArray,
  PyComplex,
  PyDate,
  PyDateTime,
  PyDecimal,
  PyDict,
  PySet,
  PyTime,
  PyTuple,
  PyUuid,
  RecArray,
  type BlobValue,
  type Dtype,
} from '../../../electron/core/data/blob';
import { daysInMonth } from '../../../electron/core/data/python/datetime';
import { pyFloat, pyInt } from '../../../electron/core/data/python/values';

/** fast-check generators for every kind of blob value, in the canonical form decoding produces. */

const shapeArb = (maxDim: number, maxLen: number): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 0, max: maxDim }), { maxLength: maxLen });
const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

const dateArb = fc
  .tuple(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
  .map(([y, m, d]) => new PyDate(y, m, Math.min(d, daysInMonth(y, m))));
const timeArb = fc
  .tuple(
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
    fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999_999 })),
  )
  .map(([h, m, s, us]) => new PyTime(h, m, s, us));

/** Scalars: None, bool, int, float, str, bytes, complex, Decimal, UUID, date/time/datetime. */
export const leafArb: fc.Arbitrary<BlobValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }).map(pyInt),
  fc.double().map(pyFloat),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.uint8Array({ maxLength: 12 }),
  fc.tuple(fc.double(), fc.double()).map(([re, im]) => new PyComplex(re, im)),
  fc
    .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -40, max: 40 }))
    .map(([c, e]) => new PyDecimal(`${c}E${e}`)),
  fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => new PyUuid(b)),
  dateArb,
  timeArb,
  fc
    .tuple(dateArb, timeArb)
    .map(([d, t]) => new PyDateTime(d.year, d.month, d.day, t.hour, t.minute, t.second, t.microsecond)),
);

type FixedDtype = Exclude<Dtype, 'object'>;
const ELEMENTS: Record<string, fc.Arbitrary<number | bigint>> = {
  int8: fc.integer({ min: -128, max: 127 }),
  uint8: fc.integer({ min: 0, max: 255 }),
  int16: fc.integer({ min: -32768, max: 32767 }),
  uint16: fc.integer({ min: 0, max: 65535 }),
  int32: fc.integer(),
  uint32: fc.nat({ max: 2 ** 32 - 1 }),
  int64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  uint64: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  float32: fc.float(),
  float64: fc.double(),
  bool: fc.integer({ min: 0, max: 1 }),
  char: fc.integer({ min: 0, max: 0xffff }),
};
const FIXED: FixedDtype[] = [
  ...(Object.keys(ELEMENTS) as FixedDtype[]),
  ...DATETIME_UNITS.map((u) => `datetime64[${u}]` as const),
];
const NUMERIC = new Set([
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float32',
  'float64',
]);

/** A typed array of `n` random elements of a fixed-size dtype. */
function typedArb(dtype: FixedDtype, n: number): fc.Arbitrary<ArrayLike<number | bigint>> {
  const element = ELEMENTS[dtype] ?? ELEMENTS.int64!;
  return fc.array(element, { minLength: n, maxLength: n });
}

const CTORS: Record<string, { from(x: ArrayLike<number | bigint>): unknown }> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
  bool: Uint8Array,
  char: Uint16Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
} as never;

function makeArray(
  dtype: FixedDtype,
  shape: number[],
  real: ArrayLike<number | bigint>,
  imag: ArrayLike<number | bigint> | null,
): NdArray {
  const ctor = CTORS[dtype] ?? (BigInt64Array as never as { from(x: ArrayLike<number | bigint>): unknown });
  return new NdArray(dtype, shape, ctor.from(real) as never, (imag ? ctor.from(imag) : null) as never);
}

/** A fixed-size ndarray of the given shape (complex for numeric dtypes at random). */
export function fixedArrayOf(shape: number[]): fc.Arbitrary<NdArray> {
  const n = count(shape);
  return fc
    .tuple(fc.constantFrom(...FIXED), fc.boolean())
    .chain(([dtype, complex]) =>
      fc
        .tuple(typedArb(dtype, n), complex && NUMERIC.has(dtype) ? typedArb(dtype, n) : fc.constant(null))
        .map(([re, im]) => makeArray(dtype, shape, re, im)),
    );
}

/** A fixed-size ndarray of up to 3 dims. */
export const fixedArrayArb: fc.Arbitrary<NdArray> = shapeArb(4, 3).chain(fixedArrayOf);

const nameArb = fc
  .oneof(
    fc.constantFrom('0', '1', 'a', 'b', '__proto__', 'x y', 'é'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
  )
  .filter((s) => !s.includes('\0'));
const namesArb = fc.uniqueArray(nameArb, { maxLength: 3 });

/** Any blob value, nested up to a few levels. */
export const valueArb: fc.Arbitrary<BlobValue> = fc.letrec<{ value: BlobValue }>((tie) => {
  const value = tie('value');
  const items = fc.array(value, { maxLength: 3 });
  const sized = <T>(make: (shape: number[], items: BlobValue[]) => T): fc.Arbitrary<T> =>
    shapeArb(2, 2).chain((shape) =>
      fc.array(value, { minLength: count(shape), maxLength: count(shape) }).map((xs) => make(shape, xs)),
    );
  const struct = fc.tuple(shapeArb(2, 2), namesArb).chain(([shape, fields]) =>
    fc
      .array(fc.array(value, { minLength: fields.length, maxLength: fields.length }), {
        minLength: count(shape),
        maxLength: count(shape),
      })
      .map((values) => new MatStruct(shape, fields, values)),
  );
  const recarray = fc
    .tuple(shapeArb(3, 2), namesArb)
    .chain(([shape, fields]) =>
      fc
        .array(fixedArrayOf(shape), { minLength: fields.length, maxLength: fields.length })
        .map((cols) => new RecArray(fields, cols)),
    );
  return {
    value: fc.oneof(
      { maxDepth: 3, depthSize: 'small' },
      leafArb,
      fixedArrayArb,
      items,
      items.map((x) => new PyTuple(x)),
      items.map((x) => new PySet(x)),
      fc.array(fc.tuple(value, value), { maxLength: 3 }).map((e) => new PyDict(e)),
      sized((shape, xs) => new MatCell(shape, xs)),
      sized((shape, xs) => new NdArray('object', shape, xs)),
      struct,
      recarray,
    ),
  };
}).value;

/** Larger arrays made by tiling a small one, so payloads pass 1000 bytes and compress. */
export const tiledArrayArb: fc.Arbitrary<NdArray> = fc
  .tuple(
    fixedArrayArb.filter((a) => a.size > 0),
    fc.integer({ min: 10, max: 300 }),
  )
  .map(([a, reps]) => {
    const tile = <T extends { length: number; set(x: ArrayLike<never>, o: number): void }>(
      src: T,
      make: (n: number) => T,
    ): T => {
      const out = make(src.length * reps);
      for (let r = 0; r < reps; r++) out.set(src as never, r * src.length);
      return out;
    };
    const ctor =
      (x: object): ((n: number) => never) =>
      (n) =>
        new (x.constructor as new (n: number) => never)(n);
    const data = tile(a.data as never as Uint8Array, ctor(a.data));
    const imag = a.imag ? tile(a.imag as never as Uint8Array, ctor(a.imag)) : null;
    return new NdArray(a.dtype, [reps, ...a.shape], data as never, imag as never);
  });
