import type { ResolvedTable } from '../../model/definition/heading';

/**
 * The secondary indexes MariaDB/InnoDB ends up with for a DataJoint CREATE TABLE, in SHOW KEYS
 * order. InnoDB adds an index for every foreign key that no other index starts with, and
 * MariaDB sorts keys unique-first (sql_table.cc: foreign_key_prefix, sort_keys). DataJoint
 * reports these indexes (describe() prints them), so SQLite creates the same ones to read back
 * the same table.
 */

/** One secondary index as the server keeps it. */
export interface ServerIndex {
  columns: string[];
  unique: boolean;
  /** Added by the server for a foreign key (not declared). */
  generated: boolean;
}

interface Key extends ServerIndex {
  primary: boolean;
  position: number;
}

/** True when one key is generated and the generated (shorter) one is a prefix of the other. */
function redundantPair(a: Key, b: Key): boolean {
  let [short, long] = [a, b];
  if (a.generated) {
    if (b.generated && a.columns.length > b.columns.length) [short, long] = [b, a];
  } else {
    if (!b.generated) return false;
    [short, long] = [b, a];
  }
  if (short.columns.length > long.columns.length) return false;
  return short.columns.every((c, i) => long.columns[i] === c);
}

/** Keys in the order of DataJoint's statement: column UNIQUEs (serial), PRIMARY KEY, foreign keys, indexes. */
function declaredKeys(t: ResolvedTable): Key[] {
  const keys: Omit<Key, 'position'>[] = [
    ...t.indexes
      .filter((ix) => ix.origin === 'serial')
      .map((ix) => ({ columns: ix.columns, unique: true, generated: false, primary: false })),
    { columns: t.primaryKey, unique: true, generated: false, primary: true },
    ...t.foreignKeys.map((fk) => ({ columns: fk.columns, unique: false, generated: true, primary: false })),
    ...t.indexes
      .filter((ix) => ix.origin !== 'serial')
      .map((ix) => ({ columns: ix.columns, unique: ix.unique, generated: false, primary: false })),
  ];
  return keys.map((k, position) => ({ ...k, position }));
}

/** The secondary indexes the server keeps for `t`, in the order SHOW KEYS lists them. */
export function serverIndexes(t: ResolvedTable): ServerIndex[] {
  const alive: Key[] = [];
  for (const key of declaredKeys(t)) {
    let keep = true;
    for (const [i, other] of alive.entries()) {
      if (!redundantPair(key, other)) continue;
      if (!other.generated || (key.generated && key.columns.length < other.columns.length)) keep = false;
      else alive.splice(i, 1);
      break;
    }
    if (keep) alive.push(key);
  }
  const nullable = new Set(t.columns.filter((c) => c.nullable).map((c) => c.name));
  const rank = (k: Key) => (!k.unique ? 2 : k.columns.some((c) => nullable.has(c)) ? 1 : 0);
  return alive
    .filter((k) => !k.primary)
    .sort((a, b) => rank(a) - rank(b) || a.position - b.position)
    .map(({ columns, unique, generated }) => ({ columns: [...columns], unique, generated }));
}
