import { invalidValue } from './invalid';

/**
 * Python's `str(Decimal(text))`: parses a decimal literal the way `decimal.Decimal` does and prints
 * it the way `Decimal.__str__` does (scientific notation when the exponent is positive or the
 * number is smaller than 1e-6). DataJoint stores Decimals as that text, and key_hash hashes it.
 */
export function canonicalDecimal(text: string): string {
  const s = text.trim().replace(/(?<=\d)_(?=\d)/g, '');
  const special = /^([+-])?(?:(inf|infinity)|(s)?nan(\d*))$/i.exec(s);
  if (special) {
    const sign = special[1] === '-' ? '-' : '';
    if (special[2] !== undefined) return `${sign}Infinity`;
    const payload = (special[4] ?? '').replace(/^0+/, '');
    return `${sign}${special[3] !== undefined ? 's' : ''}NaN${payload}`;
  }
  const m = /^([+-])?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:e([+-]?\d+))?$/i.exec(s);
  if (!m) throw invalidValue(`"${text}" is not a decimal number.`, { value: text });
  const sign = m[1] === '-' ? '-' : '';
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? m[4] ?? '';
  const coefficient = (intDigits + fracDigits).replace(/^0+/, '') || '0';
  const exponent = BigInt(m[5] ?? '0') - BigInt(fracDigits.length);
  return sign + formatDecimal(coefficient, exponent);
}

/** Decimal.__str__ for a finite number `coefficient` x 10^`exponent` (no sign). */
function formatDecimal(coefficient: string, exponent: bigint): string {
  const leftDigits = exponent + BigInt(coefficient.length);
  const plain = exponent <= 0n && leftDigits > -6n;
  const dotPlace = plain ? leftDigits : 1n;
  let intPart: string;
  let fracPart: string;
  if (dotPlace <= 0n) {
    intPart = '0';
    fracPart = '.' + '0'.repeat(Number(-dotPlace)) + coefficient;
  } else if (dotPlace >= BigInt(coefficient.length)) {
    intPart = coefficient + '0'.repeat(Number(dotPlace - BigInt(coefficient.length)));
    fracPart = '';
  } else {
    const at = Number(dotPlace);
    intPart = coefficient.slice(0, at);
    fracPart = '.' + coefficient.slice(at);
  }
  const shown = leftDigits - dotPlace;
  const exp = leftDigits === dotPlace ? '' : `E${shown >= 0n ? '+' : '-'}${shown < 0n ? -shown : shown}`;
  return intPart + fracPart + exp;
}
