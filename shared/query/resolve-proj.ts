import type { NamedAttribute } from './ast';
import { closest, queryError } from './errors';
import { checkExpr, type ExprScope } from './expr-check';
import type { RColumn, RExpr } from './resolved';
import { computedAttribute, type QueryAttribute, type QueryHeading, typeOfAttribute } from './types';

/**
 * DataJoint's projection (expression.py `proj`): the primary key always stays (renamed keys stay
 * in the key), `...` adds every secondary attribute, `-name` drops one, `new='old'` renames,
 * `new='(old)'` copies, anything else is a computed attribute. Shared by proj and aggr.
 */
export interface ProjOptions {
  /** Scope for computed expressions (aggr allows aggregates here). */
  scope: ExprScope;
  /** Attributes that `...` expands to (proj: the secondary attributes; aggr: the left operand's). */
  ellipsis: readonly string[];
  /** When set, positional attributes and renames must come from these (aggr: the left operand). */
  own?: { names: ReadonlySet<string>; label: string };
  label: string;
  pos?: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The projected heading and, for each attribute of it, the expression that computes it. */
export function project(
  source: QueryHeading,
  attributes: readonly string[],
  named: readonly NamedAttribute[],
  o: ProjOptions,
): { heading: QueryHeading; columns: RColumn[] } {
  const renamedFrom = new Set(
    named.filter((n) => n.kind === 'rename').map((n) => (n as { attribute: string }).attribute),
  );
  const include = new Set<string>();
  const exclude = new Set<string>();
  let all = false;
  for (const a of attributes) {
    const t = a.trim();
    if (t === '...') all = true;
    else if (t.startsWith('-')) exclude.add(t.slice(1).trim());
    else include.add(t);
  }
  for (const k of source.primary_key) if (!renamedFrom.has(k)) include.add(k);
  if (all) for (const n of o.ellipsis) if (!renamedFrom.has(n)) include.add(n);
  for (const x of exclude) {
    if (source.primary_key.includes(x))
      throw queryError(`Cannot exclude the primary key attribute "${x}"; the key of ${o.label} always stays.`, {
        pos: o.pos,
        attribute: x,
      });
    include.delete(x);
  }
  for (const a of include) requireAttr(source, a, o, 'include');
  checkNames(named, include, source, o);
  const result = build(source, include, named, o);
  if (result.heading.attributes.length === 0) {
    throw queryError(`The projection of ${o.label} leaves no attributes (it has no primary key to keep).`, {
      pos: o.pos,
      hint: 'Name at least one attribute to keep or compute.',
    });
  }
  return result;
}

function requireAttr(source: QueryHeading, name: string, o: ProjOptions, use: 'include' | 'rename'): QueryAttribute {
  const a = source.attributes.find((x) => x.name === name);
  if (!a) {
    const names = source.attributes.map((x) => x.name);
    const guess = closest(name, names);
    throw queryError(`Attribute "${name}" not found in ${o.label}.`, {
      pos: o.pos,
      attribute: name,
      expected: names,
      hint: guess ? `Did you mean "${guess}"?` : `Attributes: ${names.join(', ')}.`,
    });
  }
  if (o.own && !o.own.names.has(name) && !source.primary_key.includes(name)) {
    throw queryError(
      `"${name}" comes from the aggregated query; to ${use} it, aggregate it, e.g. ${name}_max='max(${name})'.`,
      {
        pos: o.pos,
        attribute: name,
        expected: [...o.own.names],
        hint: `Only attributes of ${o.own.label} can be kept as they are.`,
      },
    );
  }
  return a;
}

function checkNames(
  named: readonly NamedAttribute[],
  include: ReadonlySet<string>,
  source: QueryHeading,
  o: ProjOptions,
): void {
  const seen = new Set<string>();
  for (const n of named) {
    if (!NAME.test(n.name))
      throw queryError(`"${n.name}" is not a valid attribute name (letters, digits and _, starting with a letter).`, {
        pos: n.pos ?? o.pos,
        attribute: n.name,
      });
    if (include.has(n.name) || seen.has(n.name)) {
      throw queryError(`Attribute "${n.name}" already exists in the projection.`, {
        pos: n.pos ?? o.pos,
        attribute: n.name,
        hint: 'Choose another name, or leave the existing attribute out.',
      });
    }
    seen.add(n.name);
    if (n.kind !== 'compute') requireAttr(source, n.attribute, { ...o, pos: n.pos ?? o.pos }, 'rename');
  }
}

function build(
  source: QueryHeading,
  include: ReadonlySet<string>,
  named: readonly NamedAttribute[],
  o: ProjOptions,
): { heading: QueryHeading; columns: RColumn[] } {
  const attrs: QueryAttribute[] = [];
  const columns: RColumn[] = [];
  const ref = (a: QueryAttribute): RExpr => ({
    kind: 'attr',
    name: a.name,
    type: typeOfAttribute(a),
    nullable: a.nullable,
  });
  for (const a of source.attributes) {
    if (include.has(a.name)) {
      attrs.push(a);
      columns.push({ name: a.name, expr: ref(a) });
    }
    for (const n of named) {
      if (n.kind !== 'compute' && n.attribute === a.name) {
        attrs.push({ ...a, name: n.name });
        columns.push({ name: n.name, expr: ref(a) });
      }
    }
  }
  for (const n of named) {
    if (n.kind !== 'compute') continue;
    const expr = checkExpr(n.expr, o.scope);
    attrs.push(computedAttribute(n.name, expr.type, expr.nullable));
    columns.push({ name: n.name, expr });
  }
  return { heading: { attributes: attrs, primary_key: attrs.filter((a) => a.in_key).map((a) => a.name) }, columns };
}
