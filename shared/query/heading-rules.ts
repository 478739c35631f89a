import type { TableInfo } from '../api/schemas/pipeline';
import { classNameOf } from '../model/naming';
import type { QueryNode } from './ast';
import { queryError } from './errors';
import { namesOf, secondaryOf } from './resolved';
import { comparable, describeType, type QueryAttribute, type QueryHeading, typeOfAttribute } from './types';

/**
 * DataJoint 0.14's heading rules (heading.py / condition.py): how join, restriction and union
 * combine headings and when they are refused. Kept apart from the tree walk so the rules read as
 * DataJoint states them.
 */

/** The heading of a stored table as queries see it (hidden `_` attributes left out, as DataJoint does). */
export function tableHeading(t: Pick<TableInfo, 'attributes' | 'primary_key'>): QueryHeading {
  const attributes = t.attributes
    .filter((a) => !a.hidden)
    .map((a): QueryAttribute => ({
      name: a.name,
      in_key: a.in_key,
      nullable: a.nullable,
      datajoint_type: a.datajoint_type,
      sql_type: a.sql_type,
      uuid: a.uuid,
      is_blob: a.is_blob,
      is_external: a.is_external,
      is_attachment: a.is_attachment,
      json: a.json,
      adapter: a.adapter,
      ...(a.json_text ? { json_text: true } : {}),
      ...(a.lineage ? { lineage: a.lineage } : {}),
    }));
  return { attributes, primary_key: t.primary_key.filter((k) => attributes.some((a) => a.name === k)) };
}

/** A short name of a query for messages: the class name of a table, `U(a)`, or "the query". */
export function labelOf(node: QueryNode): string {
  switch (node.kind) {
    case 'table':
      return classNameOf(node.table);
    case 'universal':
      return `U(${node.attributes.join(', ')})`;
    case 'restrict':
    case 'proj':
    case 'top':
      return labelOf(node.source);
    case 'join':
      return `${labelOf(node.left)} * ${labelOf(node.right)}`;
    case 'aggr':
      return `${labelOf(node.source)}.aggr(...)`;
    case 'union':
      return `${labelOf(node.left)} + ${labelOf(node.right)}`;
  }
}

/**
 * DataJoint's join compatibility: namesake attributes are matched, so an attribute that is
 * secondary in both operands would join on a coincidence of names and is refused. Common
 * attributes must also hold comparable types.
 */
export function checkJoinable(
  l: QueryHeading,
  r: QueryHeading,
  what: { left: string; right: string; op: string; pos?: number },
): string[] {
  const rSecondary = new Set(secondaryOf(r));
  const clash = secondaryOf(l).find((n) => rSecondary.has(n));
  if (clash !== undefined) {
    throw queryError(
      `Cannot ${what.op} ${what.left} and ${what.right} on the dependent attribute "${clash}": it is a secondary (non-key) attribute of both, so matching it would pair rows by a coincidence of names. DataJoint refuses this.`,
      {
        pos: what.pos,
        attribute: clash,
        hint: `Rename it on one side, e.g. ${what.right}.proj(${clash}_2='${clash}'), or promote it into the key with U('${clash}') * ${what.left}.`,
      },
    );
  }
  const common = namesOf(r).filter((n) => l.attributes.some((a) => a.name === n));
  for (const n of common) {
    checkSameType(l, r, n, what);
    checkSameLineage(l, r, n, what);
  }
  return common;
}

/**
 * DataJoint 2.x matches namesakes only when they share a lineage (they come from the same origin
 * attribute); two ids that merely share a name are refused. Attributes without a lineage (0.14
 * schemas, computed attributes) are matched by name as before.
 */
function checkSameLineage(
  l: QueryHeading,
  r: QueryHeading,
  name: string,
  what: { left: string; right: string; pos?: number },
): void {
  const a = l.attributes.find((x) => x.name === name)?.lineage;
  const b = r.attributes.find((x) => x.name === name)?.lineage;
  if (a === undefined || b === undefined || a === b) return;
  throw queryError(
    `Cannot match "${name}" of ${what.left} and ${what.right}: they have different lineages (${a} and ${b}), so they are different things that share a name. DataJoint 2 refuses this.`,
    {
      pos: what.pos,
      attribute: name,
      hint: `Rename it on one side, e.g. ${what.right}.proj(${name}_2='${name}').`,
    },
  );
}

/** Namesake attributes must hold comparable values (an int id cannot match a date). */
export function checkSameType(
  l: QueryHeading,
  r: QueryHeading,
  name: string,
  what: { left: string; right: string; pos?: number },
): void {
  const a = l.attributes.find((x) => x.name === name)!;
  const b = r.attributes.find((x) => x.name === name)!;
  const ta = typeOfAttribute(a);
  const tb = typeOfAttribute(b);
  if (!comparable(ta, tb) || ta.kind === 'opaque') {
    throw queryError(
      `Type mismatch on "${name}": it is ${describeType(ta)} in ${what.left} but ${describeType(tb)} in ${what.right}.`,
      {
        pos: what.pos,
        attribute: name,
        hint: "Rename one of them with .proj(new_name='" + name + "') so they are not matched.",
      },
    );
  }
}

/** DataJoint's Heading.join: the key is the union of both keys; a secondary attribute that is in the other key joins the key. */
export function joinHeadings(l: QueryHeading, r: QueryHeading, nullableRight = false): QueryHeading {
  const lKey = new Set(l.primary_key);
  const rKey = new Set(r.primary_key);
  const get = (h: QueryHeading, n: string) => h.attributes.find((a) => a.name === n)!;
  const rightAttr = (a: QueryAttribute, inKey: boolean): QueryAttribute => ({
    ...a,
    in_key: inKey,
    nullable: inKey ? a.nullable : a.nullable || nullableRight,
  });
  const attributes: QueryAttribute[] = [
    ...l.primary_key.map((n) => ({ ...get(l, n), in_key: true })),
    ...r.primary_key.filter((n) => !lKey.has(n)).map((n) => rightAttr(get(r, n), true)),
    ...secondaryOf(l)
      .filter((n) => !rKey.has(n))
      .map((n) => ({ ...get(l, n), in_key: false })),
    ...secondaryOf(r)
      .filter((n) => !lKey.has(n))
      .map((n) => rightAttr(get(r, n), false)),
  ];
  return { attributes, primary_key: attributes.filter((a) => a.in_key).map((a) => a.name) };
}

/** DataJoint's Heading.set_primary_key: the key attributes first, in the given order. */
export function withPrimaryKey(h: QueryHeading, key: readonly string[]): QueryHeading {
  const inKey = new Set(key);
  const attributes = [
    ...key.map((n) => ({ ...h.attributes.find((a) => a.name === n)!, in_key: true })),
    ...h.attributes.filter((a) => !inKey.has(a.name)).map((a) => ({ ...a, in_key: false })),
  ];
  return { attributes, primary_key: [...key] };
}

/** Every `U(...)` attribute must be an attribute of the other operand. */
export function checkUniversal(
  attrs: readonly string[],
  h: QueryHeading,
  what: { u: string; other: string; pos?: number },
): void {
  const names = namesOf(h);
  const missing = attrs.find((a) => !names.includes(a));
  if (missing !== undefined) {
    throw queryError(`Attribute "${missing}" of ${what.u} is not an attribute of ${what.other}.`, {
      pos: what.pos,
      attribute: missing,
      expected: names,
    });
  }
  const dup = attrs.find((a, i) => attrs.indexOf(a) !== i);
  if (dup !== undefined)
    throw queryError(`Attribute "${dup}" appears twice in ${what.u}.`, { pos: what.pos, attribute: dup });
}

/** Union rules (DataJoint's Union.create): same primary key, no shared secondary attribute. */
export function unionHeading(
  l: QueryHeading,
  r: QueryHeading,
  what: { left: string; right: string; pos?: number },
): QueryHeading {
  const lk = [...l.primary_key].sort();
  const rk = [...r.primary_key].sort();
  if (lk.length !== rk.length || lk.some((k, i) => k !== rk[i])) {
    throw queryError(
      `The operands of a union must share the same primary key, but ${what.left} has (${l.primary_key.join(', ')}) and ${what.right} has (${r.primary_key.join(', ')}).`,
      {
        pos: what.pos,
        expected: l.primary_key,
        hint: 'Project both onto the same key first, e.g. A.proj() + B.proj().',
      },
    );
  }
  const rSecondary = new Set(secondaryOf(r));
  const shared = secondaryOf(l).filter((n) => rSecondary.has(n));
  if (shared.length) {
    throw queryError(
      `The operands of a union must not share secondary attributes, but both have ${shared.map((s) => `"${s}"`).join(', ')}.`,
      {
        pos: what.pos,
        attribute: shared[0],
        hint: 'Rename or drop them on one side with .proj().',
      },
    );
  }
  for (const k of l.primary_key) checkSameType(l, r, k, what);
  const h = joinHeadings(l, r);
  return { ...h, attributes: h.attributes.map((a) => (a.in_key ? a : { ...a, nullable: true })) };
}
