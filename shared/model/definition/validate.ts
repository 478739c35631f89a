import type { AttributeItem, DataType, SourcePosition, TableDefinition } from './ast';
import { definitionError, type LineCursor } from './cursor';
import { formatDataType } from './types';
import type { Conventions } from '../conventions';

/**
 * Whole-definition rules that need no parent table: a primary key exists, names are unique,
 * key attributes have key-able types, auto_increment sits in the key once. DataJoint lets the
 * server reject most of these (or silently drops duplicates); Joinery names the line instead.
 */

interface Context {
  divider: LineCursor | null;
  lastLine: number;
  table?: string;
  /** DataJoint 2.x gives a table without key attributes a hidden `_singleton` key. */
  conventions?: Conventions;
}

/** Types MySQL cannot put in a primary key as DataJoint declares them (no prefix lengths). */
export function keyTypeProblem(t: DataType): string | null {
  switch (t.kind) {
    case 'blob':
      return t.store
        ? 'externally stored attributes cannot be in the primary key'
        : 'blob attributes cannot be in the primary key';
    case 'attach':
      return 'attachments cannot be in the primary key';
    case 'filepath':
      return 'filepath attributes cannot be in the primary key';
    case 'json':
      return 'json attributes cannot be in the primary key';
    case 'text':
      return 'text attributes cannot be in the primary key';
    default:
      return null;
  }
}

/** True for integer types declared auto_increment and for `serial`. */
export function isAutoIncrement(t: DataType): boolean {
  return t.kind === 'serial' || (t.kind === 'integer' && t.autoIncrement);
}

function fail(pos: SourcePosition | undefined, ctx: Context, expected: string, found: string, why: string): never {
  throw definitionError({ line: pos?.line ?? 1, column: pos?.column ?? 1, expected, found, table: ctx.table }, why);
}

/** Throws VALIDATION for the first rule the definition breaks. */
export function validateDefinition(def: TableDefinition, ctx: Context): void {
  const attributes = def.items.filter((i): i is AttributeItem => i.kind === 'attribute');
  const seen = new Map<string, AttributeItem>();
  for (const a of attributes) {
    const first = seen.get(a.name);
    if (first)
      fail(
        a.at,
        ctx,
        'a new attribute name',
        `"${a.name}"`,
        `"${a.name}" is already declared on line ${first.at?.line ?? '?'}`,
      );
    seen.set(a.name, a);
  }
  const hasKey = def.items.some((i) => i.inKey && (i.kind === 'attribute' || i.kind === 'foreign_key'));
  if (!hasKey && ctx.conventions !== '2') {
    const pos = ctx.divider ? ctx.divider.here() : { line: Math.max(1, ctx.lastLine), column: 1 };
    fail(
      pos,
      ctx,
      'a primary-key attribute or "-> Parent" before "---"',
      ctx.divider ? '"---"' : 'end of definition',
      'a table needs a primary key',
    );
  }
  let auto: AttributeItem | null = null;
  for (const a of attributes) {
    const problem = !a.inKey
      ? null
      : a.marker?.startsWith('<')
        ? 'codec attributes cannot be in the primary key'
        : keyTypeProblem(a.type);
    if (problem)
      fail(a.typeAt, ctx, 'a type allowed in the primary key', `"${a.marker ?? formatDataType(a.type)}"`, problem);
    if (!isAutoIncrement(a.type)) continue;
    if (!a.inKey)
      fail(
        a.typeAt,
        ctx,
        'a type without auto_increment',
        `"${formatDataType(a.type)}"`,
        'auto_increment attributes must be in the primary key',
      );
    if (auto)
      fail(
        a.typeAt,
        ctx,
        'a type without auto_increment',
        `"${formatDataType(a.type)}"`,
        `only one auto_increment attribute per table ("${auto.name}" is one)`,
      );
    auto = a;
  }
}
