import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import type { Expr } from '../../../../shared/query/ast';
import { parseCondition } from '../../../../shared/query/condition-parser';

/** Strips positions so trees compare by shape. */
function shape(e: unknown): unknown {
  if (Array.isArray(e)) return e.map(shape);
  if (e && typeof e === 'object')
    return Object.fromEntries(
      Object.entries(e)
        .filter(([k]) => k !== 'pos')
        .map(([k, v]) => [k, shape(v)]),
    );
  return e;
}

const attr = (name: string): Expr => ({ kind: 'attr', name });
const lit = (value: string | number | boolean | null): Expr => ({ kind: 'literal', value });

function parseError(text: string): AppError {
  try {
    parseCondition(text);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('VALIDATION');
    return e as AppError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe('condition parser', () => {
  it('parses the example of the issue', () => {
    expect(shape(parseCondition('session_date > "2024-01-01" AND rig IN ("A","B")'))).toEqual({
      kind: 'binary',
      op: 'and',
      left: { kind: 'binary', op: '>', left: attr('session_date'), right: lit('2024-01-01') },
      right: { kind: 'in', arg: attr('rig'), items: [lit('A'), lit('B')], negated: false },
    });
  });

  it('gives AND precedence over OR, comparison over NOT, * over +', () => {
    expect(shape(parseCondition('a = 1 OR b = 2 AND c = 3'))).toMatchObject({ op: 'or', right: { op: 'and' } });
    expect(shape(parseCondition('NOT a = 1'))).toMatchObject({ kind: 'unary', op: 'not', arg: { op: '=' } });
    expect(shape(parseCondition('a + b * 2 > 3'))).toMatchObject({ op: '>', left: { op: '+', right: { op: '*' } } });
    expect(shape(parseCondition('(a + b) * 2'))).toMatchObject({ op: '*', left: { op: '+' } });
  });

  it('reads every predicate form', () => {
    expect(shape(parseCondition('x IS NOT NULL'))).toEqual({ kind: 'is_null', arg: attr('x'), negated: true });
    expect(shape(parseCondition('x NOT BETWEEN 1 AND 5'))).toEqual({
      kind: 'between',
      arg: attr('x'),
      low: lit(1),
      high: lit(5),
      negated: true,
    });
    expect(shape(parseCondition("name NOT LIKE 'A%'"))).toEqual({
      kind: 'like',
      arg: attr('name'),
      pattern: lit('A%'),
      negated: true,
    });
    expect(shape(parseCondition('x <=> NULL'))).toMatchObject({ op: '<=>', right: lit(null) });
    expect(shape(parseCondition('x != 1'))).toMatchObject({ op: '<>' });
    expect(shape(parseCondition('x == 1'))).toMatchObject({ op: '=' });
    expect(shape(parseCondition('x DIV 2 = 1 && y MOD 3 = 0 || z % 2 = 1'))).toMatchObject({
      op: 'or',
      left: { op: 'and', left: { left: { op: 'div' } }, right: { left: { op: '%' } } },
    });
  });

  it('reads literals as MySQL does', () => {
    expect(shape(parseCondition("'it''s'"))).toEqual(lit("it's"));
    expect(shape(parseCondition('"say \\"hi\\""'))).toEqual(lit('say "hi"'));
    expect(shape(parseCondition("'a\\%b'"))).toEqual(lit('a\\%b'));
    expect(shape(parseCondition('-2.50'))).toEqual(lit(-2.5));
    expect(shape(parseCondition('1e3'))).toEqual(lit(1000));
    expect(shape(parseCondition('TRUE'))).toEqual(lit(true));
    expect(shape(parseCondition('`select` = 1'))).toMatchObject({ left: attr('select') });
  });

  it('reads function calls and aggregates', () => {
    expect(shape(parseCondition('YEAR(session_date) = 2024'))).toMatchObject({
      left: { kind: 'call', fn: 'year', args: [attr('session_date')] },
    });
    expect(shape(parseCondition('count(*)'))).toEqual({ kind: 'aggregate', fn: 'count', arg: null, distinct: false });
    expect(shape(parseCondition('COUNT(DISTINCT rig)'))).toEqual({
      kind: 'aggregate',
      fn: 'count',
      arg: attr('rig'),
      distinct: true,
    });
    expect(shape(parseCondition('max(a) - min(a)'))).toMatchObject({
      op: '-',
      left: { fn: 'max' },
      right: { fn: 'min' },
    });
  });

  it('records positions for error messages', () => {
    const e = parseCondition('a > 1 AND bb < 2') as Extract<Expr, { kind: 'binary' }>;
    expect(e.pos).toBe(6);
    expect((e.right as Extract<Expr, { kind: 'binary' }>).left.pos).toBe(10);
  });

  it.each([
    ["x > 'abc", 4, 'Unbalanced quote'],
    ['x > "abc', 4, 'Unbalanced quote'],
    ['(x > 1', 6, 'Expected'],
    ['x > 1)', 5, 'Expected'],
    ['x >', 3, 'Expected'],
    ['x > 1; DROP TABLE subject', 5, '";"'],
    ['x > 1 -- comment', 6, 'Comments'],
    ['x > 1 # comment', 6, 'Comments'],
    ['x > 1 /* c */', 6, 'Comments'],
    ['x = ?', 4, 'placeholders'],
    ['x IN ()', 6, 'Expected'],
    ['x BETWEEN 1', 11, 'AND'],
    ['and = 1', 0, 'keyword'],
    ['x = 1 2', 6, 'Expected'],
    ['12abc = 1', 0, 'Malformed number'],
    ['`x = 1', 0, 'backquote'],
    ['x = 99999999999999999999', 4, 'too large'],
    ['x > 1 AND', 9, 'Expected'],
    ['x = @var', 4, 'Unexpected character'],
    ['x = 1 | 2', 6, 'Unexpected character'],
  ])('refuses %j at position %i', (text, position, fragment) => {
    const e = parseError(text);
    expect(e.details?.position).toBe(position);
    expect(`${e.message} ${e.hint ?? ''}`).toContain(fragment);
  });

  it('maps positions into the text the condition was quoted in', () => {
    let caught: AppError | undefined;
    try {
      parseCondition('x >', { mapPos: (p) => p + 100 });
    } catch (e) {
      caught = e as AppError;
    }
    expect(caught?.details?.position).toBe(103);
  });

  it('refuses oversized and deeply nested input without overflowing the stack', () => {
    expect(parseError('x = 1 OR '.repeat(20_000) + 'x = 1').message).toContain('characters long');
    expect(parseError('('.repeat(5000) + 'x' + ')'.repeat(5000)).message).toContain('nests deeper');
    expect(parseError('-'.repeat(3000) + 'x').message).toMatch(/nests deeper|Comments/);
    expect(parseError('NOT '.repeat(3000) + 'x').message).toContain('nests deeper');
  });

  describe('fuzz: hostile text is either a condition or a clear error', () => {
    const hostile = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.constantFrom(
        "'; DROP TABLE subject; --",
        '1=1 OR 1=1',
        "x' OR '1'='1",
        'x = 1 /*',
        '*/',
        '--',
        '#',
        '\\',
        '\u0000',
        '`',
        '```',
        "x = '\\'",
        'x = "\\"',
        'sleep(10)',
        'x = (SELECT 1)',
        'x = 1 UNION SELECT password FROM mysql.user',
        'load_file("/etc/passwd")',
        '𝔁 = 1',
        'x = "ñ😀"',
        '\u202e x = 1',
      ),
      fc
        .array(
          fc.constantFrom(
            'x',
            '=',
            '1',
            "'",
            '"',
            '(',
            ')',
            'AND',
            'OR',
            'NOT',
            ';',
            '--',
            ' ',
            'IN',
            ',',
            '`',
            '\\',
            '%',
            'LIKE',
            'NULL',
            '*',
          ),
          { maxLength: 30 },
        )
        .map((xs) => xs.join('')),
    );

    it('never throws anything but a VALIDATION error with a position inside the text', () => {
      fc.assert(
        fc.property(hostile, (text) => {
          try {
            parseCondition(text);
          } catch (e) {
            expect(e).toBeInstanceOf(AppError);
            expect((e as AppError).code).toBe('VALIDATION');
            const pos = (e as AppError).details?.position;
            expect(typeof pos).toBe('number');
            expect(pos as number).toBeGreaterThanOrEqual(0);
            expect(pos as number).toBeLessThanOrEqual(text.length);
          }
        }),
        { numRuns: 3000 },
      );
    });

    it('turns every string into a literal value, never into SQL', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 80 }), (s) => {
          const quoted = "'" + s.replaceAll('\\', '\\\\').replaceAll("'", "''") + "'";
          const e = parseCondition(`name = ${quoted}`) as Extract<Expr, { kind: 'binary' }>;
          expect(e.right).toEqual({ kind: 'literal', value: s, pos: 7 });
        }),
        { numRuns: 1000 },
      );
    });

    it('handles huge inputs quickly', () => {
      const big = Array.from({ length: 2000 }, (_, i) => `a${i} = ${i}`).join(' AND ');
      const t0 = Date.now();
      expect(parseCondition(big).kind).toBe('binary');
      expect(Date.now() - t0).toBeLessThan(1000);
    });
  });
});
