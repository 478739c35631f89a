import { describe, expect, it } from 'vitest';
import { parseQueryExpression } from '../../../../shared/query/expression-parser';
import { nextSorting } from '../../../../renderer/features/data/sorting';
import { childValues, parentSearchQuery } from '../../../../renderer/features/data/fk-search';
import {
  baseExpression,
  gridQueryText,
  isBareCondition,
  parentOperand,
  restrictionLocation,
} from '../../../../renderer/features/data/grid-query';
import {
  pagesFor,
  pageSizeFor,
  ROW_HEIGHT,
  scrollableRows,
  visibleRows,
} from '../../../../renderer/features/data/page-window';

const anyTable = (path: readonly string[]) => ({ schema: 's', table: path.join('.') });

describe('the grid query', () => {
  const table = { schema: 'lab', class_name: 'Session', foreign_keys: [] };

  it('joins ticked parents and restricts by what the bar holds, in text the parser accepts', () => {
    const base = baseExpression({ kind: 'table', table, joins: [] }, ['lab.Subject']);
    expect(base).toBe('lab.Session * lab.Subject');
    for (const r of [
      "weight > 20 AND name = 'x\"y'",
      "{'sex': 'F'}",
      "'a > 1'",
      'Not(lab.Subject)',
      "[{'a': 1}, 'b < 2']",
    ]) {
      const q = gridQueryText(base, r);
      expect(() => parseQueryExpression(q.text, anyTable)).not.toThrow();
    }
    expect(gridQueryText(base, '   ')).toEqual({ text: base, restriction: null });
  });

  it('quotes bare conditions only: attributes are lower case, classes CamelCase', () => {
    expect(isBareCondition('weight > 20')).toBe(true);
    expect(isBareCondition('Session')).toBe(false);
    expect(isBareCondition("{'a': 1}")).toBe(false);
    expect(isBareCondition('dj.Top(5)')).toBe(false);
  });

  it("maps the core's error position back to the bar's line and column", () => {
    const bare = gridQueryText('lab.Subject', 'weight > 20 AND wieght < 5');
    // the core points at "wieght" inside the quoted condition
    const pos = bare.text.indexOf('wieght');
    expect(restrictionLocation(bare, pos)).toEqual({ line: 1, column: 17 });
    const escaped = gridQueryText('lab.Subject', 'name = "a" AND bad');
    expect(restrictionLocation(escaped, escaped.text.indexOf('bad'))).toEqual({ line: 1, column: 16 });
    const typed = gridQueryText('lab.Subject', "{'sex': 'F',\n 'x' 1}");
    expect(restrictionLocation(typed, typed.text.indexOf('1}'))).toEqual({ line: 2, column: 6 });
    // before the restriction: about the table itself
    expect(restrictionLocation(typed, 2)).toBeNull();
  });

  it('projects renamed foreign keys onto the child names', () => {
    expect(parentOperand({ attr_map: { subject_id: 'subject_id' }, aliased: false }, 'lab.Subject')).toBe(
      'lab.Subject',
    );
    expect(
      parentOperand(
        { attr_map: { ref_session: 'session_idx', ref_subject: 'subject_id' }, aliased: true },
        'e.Session',
      ),
    ).toBe("e.Session.proj(..., ref_session='session_idx', ref_subject='subject_id')");
  });

  it('searches parent keys with a restriction the user cannot break out of', () => {
    const parent = { schema: 'lab', class_name: 'Species', primary_key: ['species'] };
    expect(parentSearchQuery(parent, ' mus ')).toBe(`lab.Species & "concat(species) LIKE '%mus%'"`);
    expect(parentSearchQuery(parent, `x' OR "1"="1`)).toBe(`lab.Species & "concat(species) LIKE '%x OR 1=1%'"`);
    expect(parentSearchQuery(parent, '')).toBe('lab.Species');
    expect(() => parseQueryExpression(parentSearchQuery(parent, `a\\'"%_b`), anyTable)).not.toThrow();
    expect(childValues({ attr_map: { ref: 'subject_id' } }, { subject_id: 3 })).toEqual({ ref: '3' });
  });

  it('cycles header sorting and adds columns with shift', () => {
    expect(nextSorting([], 'a', false)).toEqual([{ id: 'a', desc: false }]);
    expect(nextSorting([{ id: 'a', desc: false }], 'a', false)).toEqual([{ id: 'a', desc: true }]);
    expect(nextSorting([{ id: 'a', desc: true }], 'a', false)).toEqual([]);
    expect(nextSorting([{ id: 'a', desc: false }], 'b', true)).toEqual([
      { id: 'a', desc: false },
      { id: 'b', desc: false },
    ]);
  });
});

describe('the pages the grid fetches', () => {
  it('is one viewport of rows per page, so one screen of scrolling fetches one page', () => {
    const size = pageSizeFor(20 * ROW_HEIGHT);
    expect(size).toBe(20);
    for (const screen of [0, 1, 7, 49_999]) {
      const { first, last } = visibleRows(screen * size * ROW_HEIGHT, 20 * ROW_HEIGHT);
      expect(pagesFor(first, last, size, 1_000_000)).toEqual([screen]);
    }
    // between two page boundaries, the two pages on screen
    const mid = visibleRows(10 * ROW_HEIGHT, 20 * ROW_HEIGHT);
    expect(pagesFor(mid.first, mid.last, size, 1_000_000)).toEqual([0, 1]);
  });

  it('stops at the last row and fetches nothing for an empty result', () => {
    expect(pagesFor(0, 19, 20, 0)).toEqual([]);
    expect(pagesFor(90, 130, 20, 100)).toEqual([4]);
  });

  it('keeps the scrolled height under what browsers can draw', () => {
    expect(scrollableRows(1_000_000)).toBe(1_000_000);
    expect(scrollableRows(10_000_000) * ROW_HEIGHT).toBeLessThanOrEqual(30_000_000);
  });
});
