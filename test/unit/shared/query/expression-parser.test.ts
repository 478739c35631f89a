import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import type { QueryNode } from '../../../../shared/query/ast';
import { classResolver } from '../../../../shared/query/class-resolver';
import { withLocation } from '../../../../shared/query/errors';
import { parseQueryExpression } from '../../../../shared/query/expression-parser';
import { LAB } from '../../../support/query-lab';

const resolver = classResolver(LAB.map((t) => ({ schema: t.schema, table_name: t.table })));
const parse = (text: string) => parseQueryExpression(text, resolver);

/** A compact rendering of a tree: tables by name, operators as in Python. */
function show(n: QueryNode): string {
  switch (n.kind) {
    case 'table':
      return `${n.schema}.${n.table}`;
    case 'universal':
      return `U(${n.attributes.join(',')})`;
    case 'join':
      return `(${show(n.left)} * ${show(n.right)})`;
    case 'union':
      return `(${show(n.left)} + ${show(n.right)})`;
    case 'restrict': {
      const r = n.restriction;
      const neg = r.kind === 'not';
      const inner = neg ? r.item : r;
      const what = inner.kind === 'query' ? show(inner.query) : inner.kind;
      return `(${show(n.source)} ${neg ? '-' : '&'} ${what})`;
    }
    case 'proj':
      return `${show(n.source)}.proj(${[...n.attributes, ...n.named.map((x) => `${x.name}:${x.kind}`)].join(',')})`;
    case 'aggr':
      return `${show(n.source)}.aggr(${show(n.group)}${n.keepAllRows ? ',all' : ''})`;
    case 'top':
      return `(${show(n.source)} & Top(${n.limit},${n.orderBy.join(';')},${n.offset}))`;
  }
}

function refused(text: string): AppError {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('VALIDATION');
    return e as AppError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe('query expression parser (DataJoint Python syntax)', () => {
  it('resolves class names by DataJoint naming: tiers, parts, schema.Class', () => {
    expect(show(parse('Species'))).toBe('lab.#species');
    expect(show(parse('Scan.Field'))).toBe('lab._scan__field');
    expect(show(parse('Analysis'))).toBe('lab.__analysis');
    expect(show(parse('ephys.Subject'))).toBe('ephys.subject');
    expect(show(parse('lab.Scan.Field'))).toBe('lab._scan__field');
  });

  it('refuses ambiguous and unknown classes with the choices', () => {
    const amb = refused('Subject * Session');
    expect(amb.message).toContain('ambiguous');
    expect(amb.details?.expected).toEqual(['lab.Subject', 'ephys.Subject']);
    expect(amb.details?.position).toBe(0);
    const unknown = refused('lab.Subject * Sesion');
    expect(unknown.message).toContain('no table class "Sesion"');
    expect(unknown.hint).toContain('Session');
    expect(unknown.details?.position).toBe(14);
  });

  it("uses Python's precedence: * before + and -, which come before &", () => {
    expect(show(parse('lab.Subject * Session & Scan'))).toBe('((lab.subject * lab.session) & lab._scan)');
    expect(show(parse('Session & lab.Subject - Scan'))).toBe('(lab.session & (lab.subject - lab._scan))');
    expect(show(parse('Session - Scan + Analysis'))).toBe('((lab.session - lab._scan) + lab.__analysis)');
    expect(show(parse('(Session & lab.Subject) - Scan'))).toBe('((lab.session & lab.subject) - lab._scan)');
    expect(show(parse('Session * Scan * Scan.Field'))).toBe('((lab.session * lab._scan) * lab._scan__field)');
  });

  it('takes conditions, dicts, lists, Not and AndList as restrictions', () => {
    const cond = parse(`Session & 'session_date > "2024-01-01"'`);
    expect(cond).toMatchObject({
      kind: 'restrict',
      restriction: { kind: 'condition', expr: { kind: 'binary', op: '>' } },
    });
    expect(parse('Session & {"subject_id": 1, \'rig\': "A", "operator": None}')).toMatchObject({
      restriction: { kind: 'dict', values: { subject_id: 1, rig: 'A', operator: null } },
    });
    expect(parse(`Session - [{"subject_id": 1}, 'rig = "B"', Scan]`)).toMatchObject({
      restriction: {
        kind: 'not',
        item: { kind: 'or', items: [{ kind: 'dict' }, { kind: 'condition' }, { kind: 'query' }] },
      },
    });
    expect(parse(`Session & dj.AndList(['rig = "A"', {"subject_id": 2}])`)).toMatchObject({
      restriction: { kind: 'and', items: [{ kind: 'condition' }, { kind: 'dict' }] },
    });
    expect(parse(`Session & Not(Scan)`)).toMatchObject({ restriction: { kind: 'not', item: { kind: 'query' } } });
    expect(parse('Session & True')).toMatchObject({ restriction: { kind: 'bool', value: true } });
    expect(parse('Session & []')).toMatchObject({ restriction: { kind: 'or', items: [] } });
  });

  it('reads proj: keep, ..., -exclude, rename, copy, compute', () => {
    const p = parse(`lab.Subject.proj('sex', weight_g='weight', dob='(date_of_birth)', w2="weight * 2")`);
    expect(p).toMatchObject({
      kind: 'proj',
      attributes: ['sex'],
      named: [
        { kind: 'rename', name: 'weight_g', attribute: 'weight' },
        { kind: 'copy', name: 'dob', attribute: 'date_of_birth' },
        { kind: 'compute', name: 'w2' },
      ],
    });
    expect(parse('lab.Subject.proj(sex, notes)')).toMatchObject({ attributes: ['sex', 'notes'] });
    expect(parse("lab.Subject.proj(..., '-notes')")).toMatchObject({ attributes: ['...', '-notes'] });
    expect(parse('lab.Subject.proj(..., -notes)')).toMatchObject({ attributes: ['...', '-notes'] });
    expect(parse("lab.Subject.proj(flag='TRUE')")).toMatchObject({
      named: [{ kind: 'compute', expr: { kind: 'literal', value: true } }],
    });
  });

  it('reads aggr, U and Top', () => {
    expect(show(parse("lab.Subject.aggr(Session & 'rig = \"A\"', n='count(*)', keep_all_rows=True)"))).toBe(
      'lab.subject.aggr((lab.session & condition),all)',
    );
    expect(parse("lab.Subject.aggr(Session, 'sex', n='count(*)')")).toMatchObject({
      attributes: ['sex'],
      keepAllRows: false,
    });
    expect(show(parse("dj.U('rig') & Session"))).toBe('(U(rig) & lab.session)');
    expect(show(parse('U(rig, session_date) * Session'))).toBe('(U(rig,session_date) * lab.session)');
    expect(show(parse("U().aggr(Session, n='count(*)')"))).toBe('U().aggr(lab.session)');
    expect(show(parse("Session & dj.Top(2, 'session_date DESC', offset=1)"))).toBe(
      '(lab.session & Top(2,session_date DESC,1))',
    );
    expect(show(parse("Session & Top(order_by=['rig', 'KEY DESC'], limit=None)"))).toBe(
      '(lab.session & Top(null,rig;KEY DESC,0))',
    );
    expect(show(parse('Session & Top()'))).toBe('(lab.session & Top(1,KEY,0))');
  });

  it('points into quoted conditions for errors inside them', () => {
    const text = `Session & 'rig = "A" AND (session_date > 1'`;
    const e = refused(text);
    expect(text[e.details?.position as number]).toBe("'");
    const inner = refused(`Session & 'rig = "A" AND ; session_date'`);
    expect(inner.details?.position).toBe(25);
    const located = withLocation(inner, `Session & 'rig = "A" AND ; session_date'`) as AppError;
    expect(located.details).toMatchObject({ line: 1, column: 26 });
    expect(located.hint).toContain('^');
  });

  it.each([
    ['Session &', 'Expected a table name'],
    ["Session & 'rig = 1", 'Unbalanced quote'],
    ['(Session * Scan', 'Unbalanced "("'],
    ['Session * Scan)', 'Expected an operator'],
    ["'rig = 1' & Session", 'left operand of & must be a query'],
    ['Session * {"a": 1}', 'right operand of * must be a query'],
    ["Session + 'x > 1'", 'must be a query'],
    ['Session.fetch()', 'Unknown method .fetch()'],
    ['Session.proj(x=1)', 'must be a quoted'],
    ['Session & {"a": [1]}', 'a value'],
    ['Session & {"a": 1, "a": 2}', 'appears twice'],
    ['Session; DROP TABLE session', 'Unexpected character ";"'],
    ['Session & Top(1, 2, 3, 4)', 'at most'],
    ["Session.aggr(n='count(*)')", '.aggr() needs the query'],
    ['Session.aggr(Scan, keep_all_rows=1)', 'True or False'],
    ['Subject()', 'not a query operand'],
    ['Session - Top(1)', 'cannot be subtracted'],
    ['', 'empty'],
  ])('refuses %j: %s', (text, fragment) => {
    expect(refused(text).message).toContain(fragment);
  });

  it('fuzz: any text parses or fails with a VALIDATION error and a position inside it', () => {
    const pieces = [
      'Session',
      'lab.Subject',
      'Scan.Field',
      '*',
      '&',
      '-',
      '+',
      '(',
      ')',
      "'x > 1'",
      '"',
      "'",
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '.proj(',
      '.aggr(',
      'U(',
      ')',
      '...',
      'n=',
      "'count(*)'",
      ';',
      '--',
      '\\',
      '😀',
      ' ',
    ];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.array(fc.constantFrom(...pieces), { maxLength: 25 }).map((xs) => xs.join('')),
        ),
        (text) => {
          try {
            parse(text);
          } catch (e) {
            expect(e).toBeInstanceOf(AppError);
            expect((e as AppError).code).toBe('VALIDATION');
            const pos = (e as AppError).details?.position as number;
            expect(pos).toBeGreaterThanOrEqual(0);
            expect(pos).toBeLessThanOrEqual(text.length);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
