import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors';
import { classResolver } from '../../../../shared/query/class-resolver';
import { parseQueryExpression } from '../../../../shared/query/expression-parser';
import { resolveQuery } from '../../../../shared/query/resolve';
import type { RQuery } from '../../../../shared/query/resolved';
import { LAB, labLookup } from '../../../support/query-lab';

const resolver = classResolver(
  LAB.filter((t) => t.schema === 'lab').map((t) => ({ schema: t.schema, table_name: t.table })),
);
const lookup = labLookup();
const resolve = (text: string): RQuery => resolveQuery(parseQueryExpression(text, resolver), lookup);
const heading = (text: string) => {
  const h = resolve(text).heading;
  return { key: h.primary_key, attrs: h.attributes.map((a) => a.name) };
};

function refused(text: string): AppError {
  try {
    resolve(text);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('VALIDATION');
    return e as AppError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe("DataJoint's heading rules", () => {
  it('join: the key is the union of both keys, left key first (Heading.join)', () => {
    expect(heading('Subject * Session')).toEqual({
      key: ['subject_id', 'session_idx'],
      attrs: [
        'subject_id',
        'session_idx',
        'species',
        'sex',
        'date_of_birth',
        'weight',
        'notes',
        'session_date',
        'rig',
        'start_time',
        'operator',
      ],
    });
    expect(heading('Session * Subject').key).toEqual(['subject_id', 'session_idx']);
    // species is secondary in Subject but the key of Species: it joins the key
    expect(heading('Subject * Species').key).toEqual(['subject_id', 'species']);
    // no common attribute: a cross product keyed by both keys
    expect(heading('Species * Session').key).toEqual(['species', 'subject_id', 'session_idx']);
  });

  it('join: refuses matching on a secondary attribute of both operands, and says why', () => {
    const e = refused('Subject * Scan');
    expect(e.message).toContain('dependent attribute "notes"');
    expect(e.message).toContain('secondary (non-key) attribute of both');
    expect(e.details?.attribute).toBe('notes');
    expect(e.hint).toContain("proj(notes_2='notes')");
    expect(refused('Subject & Scan').message).toContain('Cannot restrict Subject and Scan');
    expect(heading("Subject * Scan.proj(scan_notes='notes')").key).toEqual(['subject_id', 'session_idx', 'scan_id']);
    expect(heading("U('notes') * Subject * Scan").key).toEqual(['subject_id', 'notes', 'session_idx', 'scan_id']);
  });

  it('join and restriction: common attributes must hold comparable types', () => {
    const e = refused("Session * Species.proj(session_date='species')");
    expect(e.message).toContain('Type mismatch on "session_date"');
  });

  it('restriction keeps the heading; semijoin matches on common attributes', () => {
    const r = resolve('Subject & Session');
    expect(r.kind).toBe('restrict');
    expect(r.heading).toEqual(resolve('Subject').heading);
    expect(r).toMatchObject({ cond: { kind: 'match', on: ['subject_id'] } });
    expect(resolve('Subject - Species')).toMatchObject({
      cond: { kind: 'not', item: { kind: 'match', on: ['species'] } },
    });
  });

  it('proj: keeps the key, renames keep key membership, computed attributes are secondary', () => {
    expect(heading('Session.proj()')).toEqual({
      key: ['subject_id', 'session_idx'],
      attrs: ['subject_id', 'session_idx'],
    });
    expect(heading("Session.proj(sid='subject_id')")).toEqual({
      key: ['sid', 'session_idx'],
      attrs: ['sid', 'session_idx'],
    });
    expect(heading("Session.proj('rig', d='(session_date)', y='year(session_date)')")).toEqual({
      key: ['subject_id', 'session_idx'],
      attrs: ['subject_id', 'session_idx', 'd', 'rig', 'y'],
    });
    expect(heading('Session.proj(..., -operator)').attrs).not.toContain('operator');
    const y = resolve("Session.proj(y='year(session_date)', w='session_idx / 2')").heading.attributes;
    expect(y.find((a) => a.name === 'y')).toMatchObject({ in_key: false, datajoint_type: 'bigint' });
    expect(y.find((a) => a.name === 'w')).toMatchObject({ datajoint_type: 'double' });
  });

  it('proj: refuses what DataJoint refuses', () => {
    expect(refused("Session.proj('-subject_id')").message).toContain(
      'Cannot exclude the primary key attribute "subject_id"',
    );
    expect(refused("Session.proj('nope')").message).toContain('Attribute "nope" not found');
    expect(refused("Session.proj('rig', rig='operator')").message).toContain('already exists');
    expect(refused("Session.proj(x='nope')").message).toContain('"nope" not found');
    expect(refused("Session.proj(n='count(*)')").message).toContain('only allowed in aggr');
    expect(refused("Session.proj(x='rig + 1')").message).toContain('needs numbers');
  });

  it('aggr: keyed by the left operand, computations over the group', () => {
    expect(heading("Subject.aggr(Session, n='count(*)', last='max(session_date)')")).toEqual({
      key: ['subject_id'],
      attrs: ['subject_id', 'n', 'last'],
    });
    expect(heading("Subject.aggr(Session, ..., n='count(*)')").attrs).toEqual([
      'subject_id',
      'species',
      'sex',
      'date_of_birth',
      'weight',
      'notes',
      'n',
    ]);
    const r = resolve("Subject.aggr(Session, 'sex', n='count(*)', keep_all_rows=True)");
    expect(r).toMatchObject({ kind: 'aggr', keepAllRows: true, on: ['subject_id'], groupBy: ['subject_id', 'sex'] });
    expect(r.heading.attributes.find((a) => a.name === 'n')).toMatchObject({
      datajoint_type: 'bigint',
      nullable: false,
    });
    expect(heading("U('rig').aggr(Session, n='count(*)')")).toEqual({ key: ['rig'], attrs: ['rig', 'n'] });
    expect(heading("U().aggr(Session, n='count(*)')")).toEqual({ key: [], attrs: ['n'] });
  });

  it('aggr: group attributes must be aggregated; U() cannot keep all rows', () => {
    expect(refused("Subject.aggr(Session, r='rig')").message).toContain('comes from the aggregated query');
    expect(refused('Subject.aggr(Session, x=\'rig = "A"\')').message).toContain(
      'must be inside count, sum, avg, min or max',
    );
    expect(refused("Subject.aggr(Session, x='sum(max(session_idx))')").message).toContain('cannot be nested');
    expect(refused("U('rig').aggr(Session, n='count(*)', keep_all_rows=True)").message).toContain('keep_all_rows=True');
    expect(refused("Subject.aggr(Session, s='sum(rig)')").message).toContain('needs numbers');
  });

  it('union: same primary key, no shared secondary attribute; secondaries become nullable', () => {
    const r = resolve("Session.proj(d='session_date') + Session.proj(o='operator')");
    expect(r.heading.primary_key).toEqual(['subject_id', 'session_idx']);
    expect(r.heading.attributes.map((a) => [a.name, a.nullable])).toEqual([
      ['subject_id', false],
      ['session_idx', false],
      ['d', true],
      ['o', true],
    ]);
    expect(refused('Subject + Session').message).toContain('must share the same primary key');
    expect(refused('Session + Session').message).toContain('must not share secondary attributes');
  });

  it('U: distinct values and key promotion', () => {
    expect(heading("U('rig') & Session")).toEqual({ key: ['rig'], attrs: ['rig'] });
    expect(heading("U('rig', 'operator') & Session").key).toEqual(['rig', 'operator']);
    expect(refused("U('nope') & Session").message).toContain('"nope" of U(nope) is not an attribute of Session');
    expect(refused("U('rig') - Session").message).toContain('may not be subtracted');
    expect(refused("U('rig')").message).toContain('not a query by itself');
    expect(refused("U('rig') & 'rig = \"A\"'").message).toContain('can only be restricted by a query');
    expect(resolve("Session & U('rig')")).toMatchObject({ cond: { kind: 'bool', value: true } });
  });

  it('conditions: unknown attributes and type mismatches are refused with a position', () => {
    const unknown = refused('Session & \'sesion_date > "2024-01-01"\'');
    expect(unknown.message).toBe('Unknown attribute "sesion_date".');
    expect(unknown.hint).toContain('Did you mean "session_date"?');
    expect(unknown.details).toMatchObject({ attribute: 'sesion_date', position: 11 });
    expect(refused("Session & 'session_date > 5'").message).toContain(
      'cannot compare "session_date" (date) with 5 (integer)',
    );
    expect(refused('Session & \'session_date > "2024-13-01"\'').message).toContain('is not a valid date');
    expect(refused('Session & \'rig = "Z"\'').message).toContain("enum's values");
    expect(refused('Session & \'subject_id = "1"\'').hint).toContain('Remove the quotes');
    expect(refused("Session & 'rig'").message).toContain('Expected a condition');
    expect(refused("Analysis & 'result = 1'").message).toContain('blob');
    expect(refused('Analysis & \'run_id > "00000000-0000-4000-8000-000000000001"\'').message).toContain(
      'only be tested for equality',
    );
    expect(refused("Session & 'frobnicate(rig)'").message).toContain('Unknown function "frobnicate"');
    expect(refused("Session & 'year(rig) = 1'").message).toContain('Argument 1 of year()');
    expect(refused("Session & 'rig LIKE operator'").message).toContain('quoted pattern');
  });

  it('conditions: string literals become typed canonical values', () => {
    const r = resolve('Session & \'start_time >= "2024-01-02"\'');
    expect(r).toMatchObject({
      cond: { expr: { right: { kind: 'value', value: '2024-01-02 00:00:00', type: { kind: 'datetime' } } } },
    });
    const u = resolve('Analysis & \'run_id = "00000000000040008000000000000001"\'');
    expect(u).toMatchObject({ cond: { expr: { right: { value: { uuid: '00000000-0000-4000-8000-000000000001' } } } } });
  });

  it("dicts: the keys shared with the query, values checked against the attribute's type", () => {
    expect(resolve('Session & {"subject_id": 1, "other": 5}')).toMatchObject({
      cond: { kind: 'expr', expr: { op: '=', left: { name: 'subject_id' } } },
    });
    expect(resolve('Session & {"operator": None}')).toMatchObject({ cond: { expr: { kind: 'is_null' } } });
    expect(resolve('Session & {}')).toMatchObject({ cond: { kind: 'bool', value: true } });
    expect(refused('Session & {"other": 5}').message).toContain('None of the keys');
    expect(refused('Session & {"session_date": "yesterday"}').message).toContain('expects a date');
    expect(refused('Session & {"rig": "Z"}').message).toContain('must be one of');
  });

  it('Top: order by attributes or KEY, with the key as tie-breaker', () => {
    expect(resolve("Session & Top(2, 'rig DESC')")).toMatchObject({
      kind: 'top',
      limit: 2,
      offset: 0,
      order: [
        { attribute: 'rig', descending: true },
        { attribute: 'subject_id', descending: false },
        { attribute: 'session_idx', descending: false },
      ],
    });
    expect(resolve("Session & Top(1, 'KEY DESC')")).toMatchObject({
      order: [
        { attribute: 'subject_id', descending: true },
        { attribute: 'session_idx', descending: true },
      ],
    });
    expect(refused("Session & Top(1, 'nope')").message).toContain('Cannot order by "nope"');
    expect(refused("Session & Top(1, 'rig; DROP')").message).toContain('Cannot order by');
    expect(refused('Session & Top(-1)').message).toContain('Expected a whole number');
    expect(() =>
      resolveQuery(
        { kind: 'top', source: { kind: 'table', schema: 'lab', table: 'session' }, limit: -1, offset: 0, orderBy: [] },
        lookup,
      ),
    ).toThrow('limit must be a whole number');
  });
});
