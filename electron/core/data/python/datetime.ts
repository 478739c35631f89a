import { checkIntRange, invalidValue, pad } from './invalid';

/**
 * Python's `datetime.date`, `datetime.time`, `datetime.datetime` and `datetime.timedelta`, as
 * plain validated fields. JS `Date` carries a time zone and milliseconds only, which would shift
 * or round values that DataJoint stores exactly.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar (Python's calendar). */
export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function checkDate(year: number, month: number, day: number): void {
  checkIntRange(year, 1, 9999, 'year');
  checkIntRange(month, 1, 12, 'month');
  checkIntRange(day, 1, daysInMonth(year, month), 'day');
}

function checkTime(hour: number, minute: number, second: number, microsecond: number): void {
  checkIntRange(hour, 0, 23, 'hour');
  checkIntRange(minute, 0, 59, 'minute');
  checkIntRange(second, 0, 59, 'second');
  checkIntRange(microsecond, 0, 999_999, 'microsecond');
}

const dateText = (y: number, m: number, d: number): string => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
const timeText = (h: number, mi: number, s: number, us: number): string =>
  `${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${us ? `.${pad(us, 6)}` : ''}`;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

function parseParts(re: RegExp, text: string, what: string): number[] {
  const m = re.exec(text);
  if (!m) throw invalidValue(`"${text}" is not an ISO ${what}.`, { value: text });
  return m.slice(1).map((g, i) => (g === undefined ? 0 : Number(i === 3 ? g.padEnd(6, '0') : g)));
}

/** A Python `datetime.date`. */
export class PyDate {
  readonly kind = 'date' as const;
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
  ) {
    checkDate(year, month, day);
  }
  /** Parses `YYYY-MM-DD`. */
  static parse(text: string): PyDate {
    const [y, m, d] = parseParts(DATE_RE, text, 'date');
    return new PyDate(y!, m!, d!);
  }
  /** Python's `str(date)` and `date.isoformat()`. */
  toString(): string {
    return dateText(this.year, this.month, this.day);
  }
}

/** A Python `datetime.time` (naive). */
export class PyTime {
  readonly kind = 'time' as const;
  constructor(
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    readonly microsecond = 0,
  ) {
    checkTime(hour, minute, second, microsecond);
  }
  /** Parses `HH:MM:SS[.ffffff]`. */
  static parse(text: string): PyTime {
    const [h, mi, s, us] = parseParts(TIME_RE, text, 'time');
    return new PyTime(h!, mi!, s!, us!);
  }
  /** Python's `str(time)` and `time.isoformat()`. */
  toString(): string {
    return timeText(this.hour, this.minute, this.second, this.microsecond);
  }
}

/** A Python `datetime.datetime` (naive: DataJoint drops time zones). */
export class PyDateTime {
  readonly kind = 'datetime' as const;
  constructor(
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour = 0,
    readonly minute = 0,
    readonly second = 0,
    readonly microsecond = 0,
  ) {
    checkDate(year, month, day);
    checkTime(hour, minute, second, microsecond);
  }
  /** Parses `YYYY-MM-DDTHH:MM:SS[.ffffff]` (a space instead of `T` too). */
  static parse(text: string): PyDateTime {
    const at = text.search(/[T ]/);
    if (at < 0) throw invalidValue(`"${text}" is not an ISO datetime.`, { value: text });
    const [y, m, d] = parseParts(DATE_RE, text.slice(0, at), 'datetime');
    const [h, mi, s, us] = parseParts(TIME_RE, text.slice(at + 1), 'datetime');
    return new PyDateTime(y!, m!, d!, h!, mi!, s!, us!);
  }
  /** The date part. */
  get date(): PyDate {
    return new PyDate(this.year, this.month, this.day);
  }
  /** The time part. */
  get time(): PyTime {
    return new PyTime(this.hour, this.minute, this.second, this.microsecond);
  }
  /** Python's `str(datetime)`: a space between date and time. */
  toString(): string {
    return `${this.date.toString()} ${this.time.toString()}`;
  }
  /** Python's `datetime.isoformat()`: a `T` between date and time. */
  toIsoString(): string {
    return `${this.date.toString()}T${this.time.toString()}`;
  }
}

const US_PER_DAY = 86_400_000_000n;

/**
 * A Python `datetime.timedelta`, which is what pymysql returns for MySQL `time` columns (so it is
 * what DataJoint's key_hash sees). Stored as Python does: days, seconds < 86400, microseconds < 1e6.
 */
export class PyTimedelta {
  readonly kind = 'timedelta' as const;
  readonly days: number;
  readonly seconds: number;
  readonly microseconds: number;
  constructor(totalMicroseconds: bigint) {
    let days = totalMicroseconds / US_PER_DAY;
    let rest = totalMicroseconds % US_PER_DAY;
    if (rest < 0n) {
      rest += US_PER_DAY;
      days -= 1n;
    }
    if (days > 999_999_999n || days < -999_999_999n) throw invalidValue('A timedelta must stay within 999999999 days.');
    this.days = Number(days);
    this.seconds = Number(rest / 1_000_000n);
    this.microseconds = Number(rest % 1_000_000n);
  }

  /** Parses MySQL `time` text (`-838:59:59.000000`) the way pymysql's convert_timedelta does. */
  static parseMysqlTime(text: string): PyTimedelta {
    const m = /^(-)?(\d{1,3}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$/.exec(text.trim());
    if (!m) throw invalidValue(`"${text}" is not a MySQL time value.`, { value: text });
    const us =
      ((BigInt(m[2]!) * 60n + BigInt(m[3]!)) * 60n + BigInt(m[4]!)) * 1_000_000n + BigInt((m[5] ?? '').padEnd(6, '0'));
    return new PyTimedelta(m[1] ? -us : us);
  }

  /** Python's `str(timedelta)`: `9:30:00`, `1 day, 2:00:00`, `-1 day, 23:00:00.000500`. */
  toString(): string {
    const h = Math.floor(this.seconds / 3600);
    const clock = `${h}:${pad(Math.floor(this.seconds / 60) % 60, 2)}:${pad(this.seconds % 60, 2)}`;
    const frac = this.microseconds ? `.${pad(this.microseconds, 6)}` : '';
    const days = this.days ? `${this.days} day${Math.abs(this.days) === 1 ? '' : 's'}, ` : '';
    return days + clock + frac;
  }
}
