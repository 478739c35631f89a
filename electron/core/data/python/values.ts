import { canonicalDecimal } from './decimal';
import { invalidValue } from './invalid';

/**
 * Python scalar types that JavaScript has no exact equivalent for. Blobs and key hashes must keep
 * Python's distinctions (int vs float, Decimal vs float, UUID vs str), so each gets a small class.
 *
 * Numbers follow one rule everywhere: a JS `number` that is a safe integer (and not -0) stands for a
 * Python `int`; any other `number` is a Python `float`; a `bigint` is always an `int`; a float whose
 * value is a safe integer (3.0) is a {@link PyFloat}.
 */

/** A Python float whose value is a safe integer (`3.0`), which a bare JS number would turn into an int. */
export class PyFloat {
  readonly kind = 'float' as const;
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
}

/** A Python complex (two float64 parts). */
export class PyComplex {
  readonly kind = 'complex' as const;
  constructor(
    readonly re: number,
    readonly im: number,
  ) {}
}

/** A Python `decimal.Decimal`, kept as the text `str(Decimal)` prints, so no digit is lost. */
export class PyDecimal {
  readonly kind = 'decimal' as const;
  /** Canonical text, exactly Python's `str(Decimal(text))`. */
  readonly text: string;
  constructor(text: string) {
    this.text = canonicalDecimal(text);
  }
  toString(): string {
    return this.text;
  }
}

/** A Python `uuid.UUID` (16 bytes, big-endian as in RFC 4122). */
export class PyUuid {
  readonly kind = 'uuid' as const;
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    if (bytes.length !== 16) throw invalidValue(`A UUID has 16 bytes, got ${bytes.length}.`);
    this.bytes = Uint8Array.from(bytes);
  }

  /** Parses `0c2b6c36-1b7e-4d5f-9a2e-3c1d0e9f8a7b`, with or without hyphens or braces, any case. */
  static parse(text: string): PyUuid {
    const hex = text
      .trim()
      .replace(/^urn:uuid:/i, '')
      .replace(/^\{(.*)\}$/, '$1')
      .replace(/-/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw invalidValue(`"${text}" is not a UUID.`, { value: text });
    return new PyUuid(Uint8Array.from(Buffer.from(hex, 'hex')));
  }

  /** 32 lowercase hex digits, no hyphens (the external store's file name). */
  get hex(): string {
    return Buffer.from(this.bytes).toString('hex');
  }

  /** Python's `str(uuid)`: lowercase, hyphenated 8-4-4-4-12. */
  toString(): string {
    const h = this.hex;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

/** True when a JS number stands for a Python int under the rule above. */
export function isIntNumber(x: number): boolean {
  return Number.isSafeInteger(x) && !Object.is(x, -0);
}

/** The JS value for a Python float: a bare number unless that would read back as an int. */
export function pyFloat(x: number): number | PyFloat {
  return isIntNumber(x) ? new PyFloat(x) : x;
}

/** The JS value for a Python int: a number when it is safe, else a bigint. */
export function pyInt(x: bigint): number | bigint {
  return x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
}
