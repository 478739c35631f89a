import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  definitionToDraft,
  draftToText,
  parseText,
  TYPE_CHOICES,
  type AttributeRow,
  type Draft,
} from '../../../renderer/features/designer/draft';
import { canonicalText } from '../../../renderer/features/designer/definition-diff';
import { diffLines } from '../../../renderer/features/designer/line-diff';

const strip = (d: Draft) => ({
  comment: d.comment,
  attributes: d.attributes.map(({ id: _i, line: _l, ...rest }) => rest),
  foreignKeys: d.foreignKeys.map(({ id: _i, line: _l, ...rest }) => rest),
  indexes: d.indexes.map(({ id: _i, line: _l, ...rest }) => rest),
});

function attr(name: string, type: string, extra: Partial<AttributeRow> = {}): AttributeRow {
  return { id: name, name, type, nullable: false, default: '', comment: '', inKey: false, ...extra };
}

describe('designer grid <-> text', () => {
  const draft: Draft = {
    comment: 'a scan',
    attributes: [
      attr('scan_id', 'smallint', { inKey: true }),
      attr('depth', 'float', { default: '0', comment: 'in um' }),
      attr('note', 'varchar(64)', { nullable: true }),
    ],
    foreignKeys: [
      { id: 'f1', parent: 'Subject', inKey: true, nullable: false, unique: false, renames: '' },
      { id: 'f2', parent: 'lab.Subject', inKey: false, nullable: true, unique: true, renames: 'buddy=subject_id' },
    ],
    indexes: [{ id: 'i1', unique: true, attributes: 'depth, note' }],
  };

  it('writes DataJoint text, key section first, and remembers each row line', () => {
    const out = draftToText(draft);
    expect(out.text.split('\n')).toEqual([
      '# a scan',
      '-> Subject',
      'scan_id              : smallint',
      '---',
      '-> [nullable, unique] lab.Subject.proj(buddy="subject_id")',
      expect.stringMatching(/^depth = 0\s+: float\s+# in um$/),
      'note = null          : varchar(64)',
      'unique index (depth, note)',
      '',
    ]);
    expect(out.draft.foreignKeys.map((f) => f.line)).toEqual([2, 5]);
    expect(out.draft.attributes.map((a) => a.line)).toEqual([3, 6, 7]);
    expect(out.draft.indexes[0]!.line).toBe(8);
  });

  it('reads the same grid back through the core parser', () => {
    const parsed = parseText(draftToText(draft).text, undefined, '0.14');
    expect(parsed.problem).toBeNull();
    expect(strip(definitionToDraft(parsed.definition!))).toEqual(strip(draft));
  });

  it('gives a parse problem its line and column', () => {
    expect(parseText('a : int\n---\nb : varchr(8)', undefined, '0.14').problem).toMatchObject({ line: 3, column: 5 });
  });

  it('round-trips any grid of valid names and offered types', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/);
    const type = fc.constantFrom(
      ...TYPE_CHOICES.map((t) => t.type).filter((t) => !/auto_increment|blob|attach|json|text/.test(t)),
    );
    const row = fc.record({ name, type, inKey: fc.boolean(), comment: fc.constantFrom('', 'a comment') });
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => r.name, minLength: 1, maxLength: 6 }), (rows) => {
        const withKey = rows.some((r) => r.inKey) ? rows : [{ ...rows[0]!, inKey: true }, ...rows.slice(1)];
        const d: Draft = {
          comment: '',
          attributes: withKey.map((r) => attr(r.name, r.type, { inKey: r.inKey, comment: r.comment })),
          foreignKeys: [],
          indexes: [],
        };
        const parsed = parseText(draftToText(d).text, undefined, '0.14');
        expect(parsed.problem).toBeNull();
        const back = definitionToDraft(parsed.definition!);
        expect(back.attributes.map((a) => [a.name, a.inKey, a.comment])).toEqual(
          draftToText(d).draft.attributes.map((a) => [a.name, a.inKey, a.comment]),
        );
      }),
    );
  });
});

describe('line diff', () => {
  it('keeps common lines and marks removed and added ones', () => {
    expect(diffLines('a\nb\nc\n', 'a\nx\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'added', text: 'x' },
      { kind: 'removed', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
  });
  it('ignores trailing spaces and a final newline', () => {
    expect(diffLines('a  \nb\n', 'a\nb').every((l) => l.kind === 'same')).toBe(true);
  });
});

describe('canonicalText', () => {
  it("reads 2.x core types in a 2.x schema's definition, so re-aligned columns are not changes", () => {
    const before = 'subject_id : int32\n---\nweight : float32\n';
    const after = 'subject_id   : int32\n---\nweight   : float32\nweight_g : float\n';
    const lines = diffLines(canonicalText(before, '2'), canonicalText(after, '2'));
    expect(lines.filter((l) => l.kind !== 'same').map((l) => [l.kind, l.text.replace(/\s+/g, ' ')])).toEqual([
      ['added', 'weight_g : float'],
    ]);
  });
});
