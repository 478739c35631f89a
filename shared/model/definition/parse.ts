import type { AttributeItem, DefinitionItem, TableDefinition } from './ast';
import { definitionError, LineCursor } from './cursor';
import { checkDefault, parseDefault } from './defaults';
import { checkAttributeName } from './names';
import { parseForeignKey, parseIndex } from './parse-reference';
import { parseDataType } from './types';
import { validateDefinition } from './validate';
import { parseDataTypeV2 } from './types-v2';
import type { Conventions } from '../conventions';

/**
 * Parser of DataJoint's definition language, line by line as prepare_declare (declare.py) does:
 * the first line `# ...` is the table comment, `---`/`___` ends the primary key, `->` before any
 * quote or `#` makes a foreign key, `[unique] index` an index, anything else an attribute.
 */

/** Options of {@link parseDefinition}. */
export interface ParseOptions {
  /** Named in error messages and details (for example `Session` or `lab.session`). */
  table?: string;
  /** Whose type names to read: DataJoint 0.14's (default) or 2.x's core types and codecs. */
  conventions?: Conventions;
}

/** Longest table comment MySQL accepts. */
const MAX_TABLE_COMMENT = 2048;

/**
 * Parses a definition; throws AppError VALIDATION with `details {line, column, expected, found}`
 * at the first problem. Checks everything that needs no parent table (see `resolveDefinition`).
 */
export function parseDefinition(text: string, options: ParseOptions = {}): TableDefinition {
  const lines = text.split(/\r\n|\r|\n/);
  const def: TableDefinition = { comment: '', items: [] };
  let inKey = true;
  let divider = null as LineCursor | null;
  let seenContent = false;
  for (const [i, raw] of lines.entries()) {
    const c = new LineCursor(raw, i + 1, 0, options.table);
    rejectControlCharacters(c);
    c.skipSpace();
    if (c.atEnd()) continue;
    const body = raw.slice(c.pos);
    if (!seenContent && body.startsWith('#')) {
      def.comment = tableComment(c, body);
    } else if (body.startsWith('#')) {
      def.items.push({ kind: 'comment', inKey, text: body.slice(1).trim(), at: c.here() });
    } else if (body.startsWith('---') || body.startsWith('___')) {
      if (divider)
        c.fail('one "---" per definition', {
          found: '"---"',
          why: `a second "---" (the first is on line ${divider.line})`,
        });
      divider = new LineCursor(raw, i + 1, c.pos, options.table);
      readDivider(c);
      inKey = false;
    } else {
      def.items.push(parseLine(c, body, inKey, options.conventions === '2'));
    }
    seenContent = true;
  }
  validateDefinition(def, {
    divider,
    lastLine: lines.length,
    table: options.table,
    conventions: options.conventions,
  });
  return def;
}

function parseLine(c: LineCursor, body: string, inKey: boolean, v2: boolean): DefinitionItem {
  if (isForeignKey(body)) return parseForeignKey(c, inKey);
  if (/^(unique\s+)?index(?![A-Za-z0-9_])/i.test(body)) return parseIndex(c, inKey);
  return parseAttribute(c, inKey, v2);
}

/** DataJoint's is_foreign_key: an arrow with no quote or `#` before it. */
function isForeignKey(body: string): boolean {
  const arrow = body.indexOf('->');
  return arrow >= 0 && !/["#']/.test(body.slice(0, arrow));
}

/** Control characters (tab aside) could end a literal or hide text, so no definition may hold them. */
function rejectControlCharacters(c: LineCursor): void {
  for (let i = 0; i < c.text.length; i++) {
    const code = c.text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      c.fail('printable text', { at: i, found: `character U+${code.toString(16).padStart(4, '0')}` });
    }
  }
}

function tableComment(c: LineCursor, body: string): string {
  const comment = body.slice(1).trim();
  const at = c.pos + body.indexOf(comment.charAt(0) || '#');
  if (comment.startsWith(':'))
    c.fail('a table comment not starting with ":"', { at, why: 'DataJoint reserves comments starting with ":"' });
  if (comment.length > MAX_TABLE_COMMENT)
    c.fail(`at most ${MAX_TABLE_COMMENT} characters`, {
      at,
      found: `${comment.length} characters`,
      why: 'the table comment is too long',
    });
  return comment;
}

function readDivider(c: LineCursor): void {
  c.match(/[-_]+/);
  c.skipSpace();
  if (c.pos < c.text.length && c.text[c.pos] !== '#') c.fail('end of line after "---"');
}

/** `name [= default] : type [# comment]`. */
function parseAttribute(c: LineCursor, inKey: boolean, v2: boolean): AttributeItem {
  const at = c.here();
  const word = c.match(/[A-Za-z0-9_]+/);
  if (!word) c.fail('an attribute name, "->", "index" or "---"');
  checkAttributeName(c, word[0], at.column - 1);
  let dflt = null;
  let defaultAt;
  if (c.eat('=')) {
    c.skipSpace();
    defaultAt = c.here();
    dflt = parseDefault(c);
  }
  c.expect(':', dflt ? '":"' : '"=" or ":"');
  const end = commentStart(c.text, c.pos);
  const tc = new LineCursor(c.text.slice(0, end), c.line, c.pos, c.table);
  tc.skipSpace();
  const typeAt = tc.here();
  const { type, marker } = v2 ? parseDataTypeV2(tc) : { type: parseDataType(tc), marker: null };
  const comment = end < c.text.length ? c.text.slice(end + 1).trim() : '';
  if (comment.startsWith(':')) {
    c.fail('a comment not starting with ":"', {
      at: c.text.indexOf(':', end),
      why: 'DataJoint reserves comments starting with ":" for its type markers',
    });
  }
  const item: AttributeItem = { kind: 'attribute', inKey, name: word[0], type, default: dflt, comment, at, typeAt };
  if (marker) item.marker = marker;
  if (defaultAt) item.defaultAt = defaultAt;
  if (dflt) item.default = checkedDefault(c, item, defaultAt!);
  return item;
}

function checkedDefault(c: LineCursor, item: AttributeItem, at: { column: number }) {
  const d = item.default!;
  if (d.kind === 'null' && item.inKey) {
    c.fail('a non-null default or none', {
      at: at.column - 1,
      found: '"null"',
      why: 'primary-key attributes cannot be nullable',
    });
  }
  const checked = checkDefault(item.type, d);
  if ('problem' in checked) {
    const found =
      d.kind === 'string'
        ? `"${d.value}"`
        : d.kind === 'number'
          ? d.text
          : d.kind === 'null'
            ? 'null'
            : 'CURRENT_TIMESTAMP';
    throw definitionError(
      { line: c.line, column: at.column, expected: checked.problem.expected, found, table: c.table },
      `bad default for "${item.name}": ${checked.problem.why}`,
    );
  }
  return checked.ok;
}

/** Offset of the `#` that starts the comment (outside quotes), or the line's length. */
function commentStart(text: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#') {
      return i;
    }
  }
  return text.length;
}
