import {
  formatDataType,
  formatDefault,
  parseDefinition,
  type DefinitionErrorDetails,
  type TableDefinition,
} from '../../../shared/model/definition';
import { isAppError } from '../../../shared/errors';
import type { Conventions } from '../../../shared/api/schemas/pipeline';

/**
 * The designer's grid model and its two-way bridge to definition text. Text -> grid goes through
 * the core's own parser (shared/model/definition), so what the grid shows is what the core will
 * declare; grid -> text writes DataJoint's layout, key section first, and remembers each row's line
 * so a problem at line:column can be shown next to the row it is about.
 */

export interface AttributeRow {
  id: string;
  name: string;
  /** The DataJoint type as written (`int`, `varchar(64)`, `enum("a","b")`). */
  type: string;
  nullable: boolean;
  /** The default as written (`0`, `"mouse"`, `CURRENT_TIMESTAMP`); empty: none. */
  default: string;
  comment: string;
  inKey: boolean;
  line?: number;
}

export interface ForeignKeyRow {
  id: string;
  /** What follows `->`: `Subject`, `lab.Subject`. */
  parent: string;
  inKey: boolean;
  nullable: boolean;
  unique: boolean;
  /** `.proj` renames as `new=old, ...`; empty: none. */
  renames: string;
  line?: number;
}

export interface IndexRow {
  id: string;
  unique: boolean;
  /** Attribute names, comma separated. */
  attributes: string;
  line?: number;
}

export interface Draft {
  comment: string;
  attributes: AttributeRow[];
  foreignKeys: ForeignKeyRow[];
  indexes: IndexRow[];
}

/** A problem of the definition text, at a 1-based line and column. */
export interface TextProblem {
  message: string;
  line: number;
  column: number;
}

let nextId = 0;
/** A fresh row id (React keys; never written anywhere). */
export function rowId(): string {
  nextId += 1;
  return `r${nextId}`;
}

export function emptyAttribute(inKey: boolean): AttributeRow {
  return {
    id: rowId(),
    name: '',
    type: inKey ? 'int' : 'varchar(255)',
    nullable: false,
    default: '',
    comment: '',
    inKey,
  };
}

export function emptyForeignKey(parent: string, inKey: boolean): ForeignKeyRow {
  return { id: rowId(), parent, inKey, nullable: false, unique: false, renames: '' };
}

export function emptyIndex(): IndexRow {
  return { id: rowId(), unique: false, attributes: '' };
}

function attributeLine(a: AttributeRow): string {
  const def = a.nullable ? 'null' : a.default.trim();
  const lhs = def ? `${a.name.trim()} = ${def}` : a.name.trim();
  const line = `${lhs.padEnd(20)} : ${a.type.trim()}`;
  return a.comment.trim() ? `${line.padEnd(50)} # ${a.comment.trim()}` : line;
}

function foreignKeyLine(f: ForeignKeyRow): string {
  const opts = [f.nullable && 'nullable', f.unique && 'unique'].filter(Boolean);
  const renames = f.renames
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const [n, o] = p.split('=').map((s) => s.trim().replace(/^["']|["']$/g, ''));
      return `${n}="${o ?? ''}"`;
    });
  const proj = renames.length ? `.proj(${renames.join(', ')})` : '';
  return `->${opts.length ? ` [${opts.join(', ')}]` : ''} ${f.parent.trim()}${proj}`;
}

function indexLine(ix: IndexRow): string {
  return `${ix.unique ? 'unique ' : ''}index (${ix.attributes.trim()})`;
}

/** Grid -> text; rows get the line they were written on. */
export function draftToText(d: Draft): { text: string; draft: Draft } {
  const lines: string[] = [];
  if (d.comment.trim()) lines.push(`# ${d.comment.trim()}`);
  const place = <T extends { line?: number }>(row: T, text: string): T => {
    lines.push(text);
    return { ...row, line: lines.length };
  };
  const keyFks = d.foreignKeys.filter((f) => f.inKey).map((f) => place(f, foreignKeyLine(f)));
  const keyAttrs = d.attributes.filter((a) => a.inKey).map((a) => place(a, attributeLine(a)));
  lines.push('---');
  const fks = d.foreignKeys.filter((f) => !f.inKey).map((f) => place(f, foreignKeyLine(f)));
  const attrs = d.attributes.filter((a) => !a.inKey).map((a) => place(a, attributeLine(a)));
  const indexes = d.indexes.map((ix) => place(ix, indexLine(ix)));
  if (lines[lines.length - 1] === '---') lines.pop();
  return {
    text: lines.join('\n') + '\n',
    draft: { comment: d.comment, foreignKeys: [...keyFks, ...fks], attributes: [...keyAttrs, ...attrs], indexes },
  };
}

/** A parsed definition -> grid rows (comment lines inside the definition are not kept by the grid). */
export function definitionToDraft(def: TableDefinition): Draft {
  const d: Draft = { comment: def.comment, attributes: [], foreignKeys: [], indexes: [] };
  for (const item of def.items) {
    const line = item.at?.line;
    if (item.kind === 'attribute') {
      const isNull = item.default?.kind === 'null';
      d.attributes.push({
        id: rowId(),
        name: item.name,
        type: item.marker ?? formatDataType(item.type),
        nullable: isNull,
        default: item.default && !isNull ? formatDefault(item.default) : '',
        comment: item.comment,
        inKey: item.inKey,
        line,
      });
    } else if (item.kind === 'foreign_key') {
      d.foreignKeys.push({
        id: rowId(),
        parent: item.ref.schema ? `${item.ref.schema}.${item.ref.name}` : item.ref.name,
        inKey: item.inKey,
        nullable: item.nullable,
        unique: item.unique,
        renames: (item.renames ?? []).map(([n, o]) => `${n}=${o}`).join(', '),
        line,
      });
    } else if (item.kind === 'index') {
      d.indexes.push({ id: rowId(), unique: item.unique, attributes: item.attributes.join(', '), line });
    }
  }
  return d;
}

/** Text -> tree with the core's parser; a problem comes back with its line and column instead of a throw. */
export function parseText(
  text: string,
  table: string | undefined,
  conventions: Conventions,
): { definition: TableDefinition; problem: null } | { definition: null; problem: TextProblem } {
  try {
    return { definition: parseDefinition(text, { table, conventions }), problem: null };
  } catch (e) {
    if (!isAppError(e)) throw e;
    const d = (e.details ?? {}) as Partial<DefinitionErrorDetails>;
    return { definition: null, problem: { message: e.message, line: d.line ?? 1, column: d.column ?? 1 } };
  }
}

/** The DataJoint types offered by the type chooser (any other spelling the parser accepts can be typed). */
export const TYPE_CHOICES: readonly { type: string; what: string }[] = [
  { type: 'int', what: 'whole number' },
  { type: 'int unsigned', what: 'whole number ≥ 0' },
  { type: 'tinyint', what: 'small whole number' },
  { type: 'smallint', what: 'whole number up to 32767' },
  { type: 'bigint', what: 'large whole number' },
  { type: 'int auto_increment', what: 'numbered automatically' },
  { type: 'float', what: 'floating point' },
  { type: 'double', what: 'double precision' },
  { type: 'decimal(10,3)', what: 'exact decimal' },
  { type: 'bool', what: 'true / false' },
  { type: 'varchar(255)', what: 'text up to n characters' },
  { type: 'char(8)', what: 'text of n characters' },
  { type: 'enum("a","b")', what: 'one of the listed values' },
  { type: 'date', what: 'date' },
  { type: 'datetime', what: 'date and time' },
  { type: 'time', what: 'time of day' },
  { type: 'timestamp', what: 'date and time (UTC)' },
  { type: 'json', what: 'JSON document' },
  { type: 'uuid', what: 'UUID' },
  { type: 'longblob', what: 'array or object (blob)' },
  { type: 'blob', what: 'small blob' },
  { type: 'attach', what: 'file attachment' },
  { type: 'text', what: 'long text' },
];

/** The type chooser's offer in a DataJoint 2 schema: its core types and built-in codecs. */
export const TYPE_CHOICES_V2: readonly { type: string; what: string }[] = [
  { type: 'int32', what: 'whole number' },
  { type: 'int16', what: 'whole number up to 32767' },
  { type: 'int8', what: 'small whole number' },
  { type: 'int64', what: 'large whole number' },
  { type: 'float32', what: 'floating point' },
  { type: 'float64', what: 'double precision' },
  { type: 'decimal(10,3)', what: 'exact decimal' },
  { type: 'bool', what: 'true / false' },
  { type: 'varchar(255)', what: 'text up to n characters' },
  { type: 'char(8)', what: 'text of n characters' },
  { type: "enum('a','b')", what: 'one of the listed values' },
  { type: 'date', what: 'date' },
  { type: 'datetime(3)', what: 'date and time' },
  { type: 'json', what: 'JSON document' },
  { type: 'uuid', what: 'UUID' },
  { type: 'bytes', what: 'raw bytes' },
  { type: '<blob>', what: 'array or object (blob)' },
  { type: '<attach>', what: 'file attachment' },
  { type: '<blob@store>', what: 'blob kept in a store' },
  { type: '<object@store>', what: 'file or folder kept in a store' },
];
