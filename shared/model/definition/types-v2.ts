import type { DataType } from './ast';
import type { LineCursor } from './cursor';
import { formatDataType, parseDataType } from './types';

/**
 * Attribute types as DataJoint 2.x declares them (declare.py CORE_TYPES, codecs.py): core types
 * (`int32`, `float64`, `bool`, `bytes`, `varchar(n)`...) and the built-in codecs (`<blob>`,
 * `<blob@store>`...). Each is read into the {@link DataType} it is stored as, plus the marker 2.x
 * writes into the column comment (`:int32:`). Native SQL types are still accepted without a marker
 * (2.x warns). 0.14's special spellings and codecs Joinery does not know are refused, never guessed.
 */

/** A 2.x type: how it is stored, and its `:marker:` text (null for native SQL types). */
export interface V2Type {
  type: DataType;
  marker: string | null;
}

const int = (base: 'tinyint' | 'smallint' | 'int' | 'bigint'): DataType => ({
  kind: 'integer',
  base,
  width: null,
  unsigned: false,
  autoIncrement: false,
});
const float = (base: 'float' | 'double'): DataType => ({
  kind: 'float',
  base,
  precision: null,
  scale: null,
  unsigned: false,
});

/** Core types spelled as one word, and their storage on MySQL (PostgreSQL maps the same DataType). */
const CORE_WORDS: Readonly<Record<string, DataType>> = {
  int8: int('tinyint'),
  int16: int('smallint'),
  int32: int('int'),
  int64: int('bigint'),
  float32: float('float'),
  float64: float('double'),
  // 2.x stores bool as tinyint (MariaDB reports tinyint(4)), not 0.14's tinyint(1)
  bool: int('tinyint'),
  uuid: { kind: 'uuid' },
  json: { kind: 'json' },
  bytes: { kind: 'blob', size: 'long', store: null },
  date: { kind: 'temporal', base: 'date', precision: null },
};

/** The built-in codecs: whether a store is required, and what the row holds. */
const CODECS: Readonly<Record<string, { store: 'optional' | 'required'; inRow: DataType }>> = {
  blob: { store: 'optional', inRow: { kind: 'blob', size: 'long', store: null } },
  attach: { store: 'optional', inRow: { kind: 'blob', size: 'long', store: null } },
  hash: { store: 'required', inRow: { kind: 'json' } },
  object: { store: 'required', inRow: { kind: 'json' } },
  npy: { store: 'required', inRow: { kind: 'json' } },
  filepath: { store: 'required', inRow: { kind: 'json' } },
};

/** Names of the built-in codecs, for messages. */
export const BUILTIN_CODECS = Object.keys(CODECS);

/** Reads a 2.x type from `c` up to its end (the caller has cut the line before any `#` comment). */
export function parseDataTypeV2(c: LineCursor): V2Type {
  c.skipSpace();
  const start = c.pos;
  if (c.text[c.pos] === '<') return parseCodec(c);
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(c.text.slice(c.pos))?.[0].toLowerCase() ?? '';
  const core = CORE_WORDS[word];
  if (core && /^\s*$/.test(c.text.slice(c.pos + word.length))) {
    c.pos += word.length;
    return { type: core, marker: word };
  }
  const type = parseDataType(c);
  return { type, marker: coreMarker(c, type, start) };
}

/** The marker of a type the 0.14 parser read: core types keep theirs, native ones have none, 0.14 specials are refused. */
function coreMarker(c: LineCursor, t: DataType, at: number): string | null {
  switch (t.kind) {
    case 'char':
    case 'enum':
      return formatDataType(t);
    case 'decimal':
      return t.precision !== null && t.scale !== null && !t.unsigned ? formatDataType(t) : null;
    case 'temporal':
      return t.base === 'datetime' ? formatDataType(t) : null;
    case 'attach':
    case 'filepath':
    case 'serial':
      return refuse014(c, t, at);
    case 'blob':
      return t.store ? refuse014(c, t, at) : null;
    default:
      return null;
  }
}

function refuse014(c: LineCursor, t: DataType, at: number): never {
  const v2 =
    t.kind === 'serial'
      ? 'int64 with an explicit key'
      : t.kind === 'attach' || t.kind === 'blob' || t.kind === 'filepath'
        ? `<${t.kind}${t.store ? `@${t.store}` : ''}>`
        : formatDataType(t);
  return c.fail('a DataJoint 2 type', {
    at,
    found: `"${formatDataType(t)}"`,
    why: `"${formatDataType(t)}" is DataJoint 0.14's spelling; in a DataJoint 2 schema write ${v2}`,
  });
}

/** `<codec>` or `<codec@store>` (`@` alone: the default store). */
function parseCodec(c: LineCursor): V2Type {
  const start = c.pos;
  const m = /^<([A-Za-z_][A-Za-z0-9_]*)(?:@([a-z][a-z0-9_-]*)?)?>/.exec(c.text.slice(c.pos));
  if (!m) c.fail('a codec such as <blob> or <blob@store>');
  const [text, name] = [m[0], m[1]!];
  const hasAt = text.includes('@');
  const codec = CODECS[name];
  if (!codec) {
    c.fail('a codec Joinery knows', {
      at: start,
      found: `"${text}"`,
      why: `${text} is a codec Joinery does not know (a plugin codec?); Joinery declares only the built-in codecs ${BUILTIN_CODECS.map((n) => `<${n}>`).join(', ')}`,
    });
  }
  if (codec.store === 'required' && !hasAt)
    c.fail(`<${name}@store>`, {
      at: start,
      found: `"${text}"`,
      why: `<${name}> keeps its data in a store: write <${name}@store> (or <${name}@> for the default store)`,
    });
  c.pos += text.length;
  if (!c.atEnd()) c.fail('end of type');
  return { type: hasAt ? { kind: 'json' } : codec.inRow, marker: text };
}

/** A codec marker's parts: `<blob@store>` -> codec `blob`, store `store` (`''` for the default store). */
export function codecOf(marker: string | null): { codec: string; store: string | null } | null {
  const m = marker ? /^<([a-z_][a-z0-9_]*)(?:(@)([a-z0-9_-]*))?>$/i.exec(marker) : null;
  return m ? { codec: m[1]!, store: m[2] ? m[3]! : null } : null;
}
