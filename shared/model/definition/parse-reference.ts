import type { ForeignKeyItem, ForeignKeyRef, IndexItem } from './ast';
import type { LineCursor } from './cursor';
import { isClassName } from '../naming';
import { checkAttributeName } from './names';

/**
 * Foreign-key lines (`-> [nullable, unique] schema.Parent.proj(new="old")`) and index lines
 * (`unique index (a, b)`), read with DataJoint's rules from declare.py: options are
 * case-insensitive, `proj` may only rename, a lowercase first segment names a schema (DataJoint:
 * a module), CamelCase segments name a class and its part.
 */

const WORD = /[A-Za-z_][A-Za-z0-9_]*/;

/** Reads a foreign-key line; `c` stands at the `->`. */
export function parseForeignKey(c: LineCursor, inKey: boolean): ForeignKeyItem {
  const at = c.here();
  c.expect('->', '"->"');
  const { nullable, unique } = parseOptions(c, inKey);
  c.skipSpace();
  const refAt = c.here();
  const ref = parseRef(c);
  const renames = c.eat('.') ? parseProj(c) : null;
  const comment = trailingComment(c);
  return { kind: 'foreign_key', inKey, ref, nullable, unique, renames, comment, at, refAt };
}

function parseOptions(c: LineCursor, inKey: boolean): { nullable: boolean; unique: boolean } {
  const opts = { nullable: false, unique: false };
  if (!c.eat('[')) return opts;
  for (;;) {
    c.skipSpace();
    const start = c.pos;
    const word = c.match(/[A-Za-z]+/);
    const name = word?.[0].toLowerCase();
    if (name !== 'nullable' && name !== 'unique') c.fail('"nullable" or "unique"', { at: start });
    if (opts[name]) c.fail('"nullable" or "unique"', { at: start, why: `the option "${name}" is given twice` });
    if (name === 'nullable' && inKey) {
      c.fail('"unique"', {
        at: start,
        found: '"nullable"',
        why: 'a foreign key above "---" is part of the primary key and cannot be nullable',
      });
    }
    opts[name] = true;
    if (c.eat(',')) continue;
    c.expect(']', '"," or "]"');
    return opts;
  }
}

function parseRef(c: LineCursor): ForeignKeyRef {
  const start = c.pos;
  const first = c.match(WORD);
  if (!first) c.fail('a table class name (for example Session)');
  const word = first[0];
  if (word === 'master') return { schema: null, name: 'master' };
  let schema: string | null = null;
  let cls = word;
  if (/^[a-z_]/.test(word)) {
    schema = word;
    if (!c.eat('.')) c.fail('"." and a class name after the schema name');
    c.skipSpace();
    const clsStart = c.pos;
    const m = c.match(WORD);
    if (!m || !isClassName(m[0])) c.fail('a CamelCase class name', { at: clsStart });
    cls = m[0];
  } else if (!isClassName(word)) {
    c.fail('a CamelCase class name', { at: start });
  }
  // `Master.Part`: a dot followed by another CamelCase name (`.proj` is lower case)
  const part = /^\.\s*([A-Z][A-Za-z0-9]*)(?![A-Za-z0-9_])/.exec(c.text.slice(c.pos));
  if (part) {
    c.pos += part[0].length;
    cls = `${cls}.${part[1]}`;
  }
  return { schema, name: cls };
}

/** `proj(new="old", ...)`: renames only, as DataJoint requires of a dependency. */
function parseProj(c: LineCursor): Array<[string, string]> {
  c.skipSpace();
  const start = c.pos;
  if (!c.match(/proj(?![A-Za-z0-9_])/)) c.fail('"proj(" after "."', { at: start });
  c.expect('(', '"("');
  const renames: Array<[string, string]> = [];
  if (c.eat(')')) return renames;
  for (;;) {
    c.skipSpace();
    const nameAt = c.pos;
    const m = c.match(WORD);
    if (!m) c.fail('new_name="parent_attribute"');
    checkAttributeName(c, m[0], nameAt);
    if (renames.some(([n]) => n === m[0]))
      c.fail('distinct new names', { at: nameAt, why: `"${m[0]}" is renamed twice` });
    c.expect('=', '"=" (proj may only rename: new_name="parent_attribute")');
    c.skipSpace();
    const oldAt = c.pos;
    const old = c.match(/"([a-z][a-z0-9_]*)"|'([a-z][a-z0-9_]*)'/);
    if (!old) c.fail('a quoted parent attribute name');
    const oldName = old[1] ?? old[2]!;
    if (renames.some(([, o]) => o === oldName))
      c.fail('distinct parent attributes', { at: oldAt, why: `"${oldName}" is renamed twice` });
    renames.push([m[0], oldName]);
    if (c.eat(',')) continue;
    c.expect(')', '"," or ")"');
    return renames;
  }
}

/** An optional `# comment` at the end of a line; anything else there is an error. */
export function trailingComment(c: LineCursor): string {
  c.skipSpace();
  if (c.pos >= c.text.length) return '';
  if (c.text[c.pos] !== '#') c.fail('end of line or "# comment"');
  return c.text.slice(c.pos + 1).trim();
}

/** Reads `[unique] index (a, b)`; `c` stands at the first word. */
export function parseIndex(c: LineCursor, inKey: boolean): IndexItem {
  const at = c.here();
  const unique = c.match(/unique(?=\s)/i) !== null;
  c.match(/index/i);
  c.expect('(', '"(" and attribute names');
  const attributes: string[] = [];
  const attributesAt = [];
  for (;;) {
    c.skipSpace();
    const nameAt = c.pos;
    const m = c.match(WORD);
    if (!m) c.fail('an attribute name');
    checkAttributeName(c, m[0], nameAt, { reservedOk: true });
    if (attributes.includes(m[0]))
      c.fail('distinct attribute names', { at: nameAt, why: `"${m[0]}" appears twice in the index` });
    attributes.push(m[0]);
    attributesAt.push(c.here(nameAt));
    if (c.eat(',')) continue;
    c.expect(')', '"," or ")"');
    break;
  }
  const comment = trailingComment(c);
  return { kind: 'index', inKey, unique, attributes, comment, at, attributesAt };
}
