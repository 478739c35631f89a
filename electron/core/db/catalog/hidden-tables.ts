import type { DbSession } from '../driver';

/**
 * Which hidden tables (`~jobs`, `~joinery_*`, `~external_*`) exist in a schema. Reading must not
 * create them (inspecting someone's DataJoint database leaves it untouched); writing does, lazily.
 */
export async function hiddenTables(db: DbSession, schema: string): Promise<Set<string>> {
  if (db.dialect.name !== 'sqlite') {
    const rows = await db.query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_name LIKE '~%'`,
      [schema],
    );
    return new Set(rows.map((r) => r.t));
  }
  const rows = await db.query<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\'`,
    [`${schema.replace(/[\\%_]/g, (c) => `\\${c}`)}.~%`],
  );
  return new Set(rows.map((r) => r.name.slice(schema.length + 1)));
}
