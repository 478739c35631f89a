/**
 * Hidden names of shadow and kept-old tables. They start with `~`, so neither DataJoint nor
 * Joinery lists them as tables (a `x__old` name would read as a part table of `x`), and carry the
 * migration id, so a crashed migration's leftovers are found and never collide with another's.
 */

const MAX = 64;

/** A fresh migration id: short, lowercase, safe inside table names. */
export function newMigrationId(random: () => number = Math.random): string {
  let id = '';
  for (let i = 0; i < 6; i++) id += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)];
  return `m${id}`;
}

/** The shadow (new) table's name during a migration. */
export function shadowName(id: string, tableName: string): string {
  return hiddenName(id, 'n', tableName);
}

/** The name a replaced table keeps after the swap, until the migration is discarded. */
export function oldName(id: string, tableName: string): string {
  return hiddenName(id, 'o', tableName);
}

/** Name stem of the write blockers of a migration on one table (the engine adds a letter per event). */
export function triggerName(id: string, index: number): string {
  return `~${id}_w${index}`;
}

function hiddenName(id: string, kind: string, tableName: string): string {
  const prefix = `~${id}${kind}_`;
  const name = prefix + tableName;
  if (name.length <= MAX) return name;
  const tag = hash(tableName);
  return prefix + tableName.slice(0, MAX - prefix.length - tag.length - 1) + '~' + tag;
}

function hash(s: string): string {
  let h = 5381;
  for (let i = 0; i < s.length; i++) h = ((h * 33) ^ s.charCodeAt(i)) >>> 0;
  return h.toString(36);
}
