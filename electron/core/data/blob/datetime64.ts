import type { DatetimeUnit } from './dtypes';

/** numpy's NaT ("not a time"): the smallest int64. */
export const NAT = -(2n ** 63n);

const SUBDAY: Partial<Record<DatetimeUnit, { perDay: bigint; fracDigits: number; fields: number }>> = {
  h: { perDay: 24n, fracDigits: 0, fields: 1 },
  m: { perDay: 1440n, fracDigits: 0, fields: 2 },
  s: { perDay: 86_400n, fracDigits: 0, fields: 3 },
  ms: { perDay: 86_400n * 10n ** 3n, fracDigits: 3, fields: 3 },
  us: { perDay: 86_400n * 10n ** 6n, fracDigits: 6, fields: 3 },
  ns: { perDay: 86_400n * 10n ** 9n, fracDigits: 9, fields: 3 },
  ps: { perDay: 86_400n * 10n ** 12n, fracDigits: 12, fields: 3 },
  fs: { perDay: 86_400n * 10n ** 15n, fracDigits: 15, fields: 3 },
  as: { perDay: 86_400n * 10n ** 18n, fracDigits: 18, fields: 3 },
};

const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));
const mod = (a: bigint, b: bigint): bigint => ((a % b) + b) % b;
const two = (n: bigint): string => n.toString().padStart(2, '0');

function yearText(y: bigint): string {
  return y >= 0n && y < 10_000n ? y.toString().padStart(4, '0') : y.toString();
}

/** Proleptic Gregorian date of a day count since 1970-01-01 (days-from-civil, inverted). */
function civil(days: bigint): string {
  const z = days + 719_468n;
  const era = floorDiv(z, 146_097n);
  const doe = z - era * 146_097n;
  const yoe = (doe - doe / 1460n + doe / 36_524n - doe / 146_096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = doy - (153n * mp + 2n) / 5n + 1n;
  const m = mp < 10n ? mp + 3n : mp - 9n;
  const y = yoe + era * 400n + (m <= 2n ? 1n : 0n);
  return `${yearText(y)}-${two(m)}-${two(d)}`;
}

/**
 * numpy's `str(np.datetime64(ticks, unit))`: `2024-01-01`, `2024-01-01T10:30`, `...T10:30:00.250`,
 * `NaT`. Used for the readable `iso_values` of the JSON form; the ticks themselves stay exact.
 */
export function datetime64Iso(ticks: bigint, unit: DatetimeUnit): string {
  if (ticks === NAT) return 'NaT';
  if (unit === 'Y') return yearText(1970n + ticks);
  if (unit === 'M') return `${yearText(1970n + floorDiv(ticks, 12n))}-${two(mod(ticks, 12n) + 1n)}`;
  if (unit === 'W' || unit === 'D') return civil(unit === 'W' ? ticks * 7n : ticks);
  const sub = SUBDAY[unit]!;
  const days = floorDiv(ticks, sub.perDay);
  let rest = mod(ticks, sub.perDay);
  const scale = 10n ** BigInt(sub.fracDigits);
  const frac = rest % scale;
  rest /= scale; // whole units of the coarsest field below a day (hours, minutes or seconds)
  const parts =
    sub.fields === 1
      ? [rest]
      : sub.fields === 2
        ? [rest / 60n, rest % 60n]
        : [rest / 3600n, (rest / 60n) % 60n, rest % 60n];
  const clock = parts.map(two).join(':');
  const fraction = sub.fracDigits ? `.${frac.toString().padStart(sub.fracDigits, '0')}` : '';
  return `${civil(days)}T${clock}${fraction}`;
}
