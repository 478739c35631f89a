import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import { type Conventions, conventionsOfExisting, NEW_DATABASE_CONVENTIONS } from '../../../shared/model/conventions';
import { LINEAGE_TABLE, lineageTable, type ResolvedTable } from '../../../shared/model/definition';
import { knownLineageOf, lineageInsertSql, lineageRows } from '../../../shared/model/lineage';
import type { CompiledSql } from '../../../shared/sql/dialect';
import { createTableDdl } from '../../../shared/sql/ddl';
import { readCatalog } from '../db/catalog/read-catalog';
import type { DbDriver } from '../db/driver';
import type { StoreLookup } from '../data/external-read';

/**
 * The DataJoint conventions of a declaration, per schema: an existing schema keeps its own
 * (asking for the other one is an error naming it); a new or empty one follows the user's
 * choice, else the database's (`newSchemas`; 2.x when not given). Also the 2.x parts of declaring: `~lineage` and its
 * rows, and the check that every store a codec names is configured on this machine.
 */

/** A step of a declaration: statements, and what undoes them where DDL cannot be rolled back. */
export interface DeclareStep {
  sql: CompiledSql[];
  undo?: CompiledSql;
}

/** Conventions of every schema the declaration touches. */
export async function conventionsBySchema(
  db: DbDriver,
  inputs: readonly { schema: string }[],
  existingSchemas: ReadonlySet<string>,
  asked: Conventions | undefined,
  newSchemas: () => Promise<Conventions> = async () => NEW_DATABASE_CONVENTIONS,
): Promise<Map<string, Conventions>> {
  const schemas = [...new Set(inputs.map((t) => t.schema))];
  const present = schemas.filter((s) => existingSchemas.has(s));
  const catalog = present.length ? await readCatalog(db, present) : { schemas: [] };
  const out = new Map<string, Conventions>();
  for (const s of schemas) {
    const tables = catalog.schemas.find((c) => c.name === s)?.tables ?? [];
    const theirs = conventionsOfExisting(tables);
    if (theirs && asked && theirs !== asked) {
      throw appError(
        'VALIDATION',
        `Schema ${s} follows DataJoint ${theirs} conventions, so tables cannot be declared into it in DataJoint ${asked} conventions.`,
        {
          details: { schema: s, conventions: theirs, field: 'conventions' },
          hint: `Declare into ${s} without choosing conventions (it keeps ${theirs}), or pick a new schema for DataJoint ${asked}; nothing was declared.`,
        },
      );
    }
    out.set(s, theirs ?? asked ?? (await newSchemas()));
  }
  return out;
}

/** Fails before anything is written when a 2.x codec names a store this machine has not configured. */
export function checkCodecStores(tables: readonly ResolvedTable[], stores: StoreLookup): void {
  for (const t of tables) {
    for (const store of t.codecStores ?? []) {
      const name = store || 'default';
      try {
        stores.store(name);
      } catch {
        const attr = t.columns.find((c) => c.sqlComment.includes(`@${store}>`))?.name ?? '?';
        throw appError(
          'VALIDATION',
          `${t.schema}.${t.tableName}: attribute ${attr} keeps its data in the store "${name}", which is not configured on this machine; nothing was declared.`,
          {
            details: { table: `${t.schema}.${t.tableName}`, attribute: attr, store: name },
            hint: `Set the store's folder in Settings (or JOINERY_STORES='${name}=/path/to/store' for the CLI), then declare again.`,
          },
        );
      }
    }
  }
}

/** Steps that create `~lineage` where a 2.x schema lacks it and write the rows of the tables declared. */
export function lineageSteps(
  db: DbDriver,
  tables: readonly ResolvedTable[],
  existing: readonly TableInfo[],
  hiddenBefore: ReadonlySet<string>,
): { create: DeclareStep[]; rows: Map<string, DeclareStep> } {
  const v2 = tables.filter((t) => t.conventions === '2');
  const create: DeclareStep[] = [];
  for (const schema of new Set(v2.map((t) => t.schema))) {
    if (hiddenBefore.has(`${schema}.${LINEAGE_TABLE}`)) continue;
    const drop = `DROP TABLE IF EXISTS ${db.dialect.qualify(schema, LINEAGE_TABLE)}`;
    create.push({ sql: createLineageDdl(db, schema), undo: { sql: drop, params: [] } });
  }
  const rows = new Map<string, DeclareStep>();
  const all = lineageRows(v2, knownLineageOf(existing));
  for (const t of v2) {
    const list = all.get(`${t.schema}.${t.tableName}`) ?? [];
    if (list.length === 0) continue;
    const into = db.dialect.qualify(t.schema, LINEAGE_TABLE);
    rows.set(`${t.schema}.${t.tableName}`, {
      sql: [lineageInsertSql(db.dialect, t.schema, list)],
      undo: { sql: `DELETE FROM ${into} WHERE ${db.dialect.quoteIdent('table_name')} = ?`, params: [t.tableName] },
    });
  }
  return { create, rows };
}

/** `CREATE TABLE ~lineage` of a schema (a 2.x schema has one from its first table on). */
export function createLineageDdl(db: DbDriver, schema: string): CompiledSql[] {
  return createTableDdl(db.dialect, lineageTable(schema));
}
