import type { DeclareTable } from '../api/schemas/schema';
import type { TableInfo } from '../api/schemas/pipeline';
import { appError, AppError } from '../errors';
import type { ForeignKeyRef, ResolvedTable, TableDefinition } from './definition';
import {
  parentFromResolved,
  parentFromTableInfo,
  parseDefinition,
  resolveDefinition,
  type ParentHeading,
} from './definition';
import { definitionDifferences } from './declare-compare';
import { tableNameOf } from './naming';
import type { Conventions } from './conventions';

/**
 * Plans the declaration of a file of tables (in any order) against what the database already
 * holds: every definition parsed and resolved, parents first, before a single statement runs.
 * `-> Name` finds a class in the same schema first, then in the other schemas of the file, then
 * in the database; an ambiguous name is an error.
 */
export interface DeclarePlan {
  /** Tables to create, parents first. */
  tables: ResolvedTable[];
  /** Full names of tables that already exist and are left as they are. */
  existing: string[];
  /** Existing tables whose definition differs from the file's (also in `existing`), and how. */
  differing: { table: string; differences: string[] }[];
}

interface Entry {
  input: DeclareTable;
  tableName: string;
  fullName: string;
  definition: TableDefinition;
  conventions: Conventions;
  resolved?: ResolvedTable;
  /** The table as the database has it, when it exists: children refer to this, not to the file. */
  existing?: TableInfo;
}

/** Options of {@link planDeclare}. */
export interface PlanOptions {
  /** Whose conventions each schema's tables follow (default 0.14 everywhere). */
  conventionsOf?: (schema: string) => Conventions;
  /** 2.x: give Imported and Computed tables the hidden `_job_*` metadata columns. */
  jobMetadata?: boolean;
}

/** Builds the plan; throws VALIDATION naming the table (and line/column for definition errors). */
export function planDeclare(
  inputs: readonly DeclareTable[],
  existing: readonly TableInfo[],
  adapters: Readonly<Record<string, string>> = {},
  options: PlanOptions = {},
): DeclarePlan {
  const conventionsOf = options.conventionsOf ?? (() => '0.14' as const);
  const entries = inputs.map((input) => toEntry(input, inputs, existing, conventionsOf(input.schema)));
  const dupe = entries.find((e, i) => entries.findIndex((o) => o.fullName === e.fullName) !== i);
  if (dupe)
    throw appError('VALIDATION', `${dupe.input.schema}.${dupe.input.class_name} is declared twice in the file.`, {
      details: { table: dupe.fullName },
    });
  const existingByName = new Map(existing.map((t) => [t.full_name, t]));
  for (const e of entries) e.existing = existingByName.get(e.fullName);
  const byClass = (schema: string | null, name: string) => findClass(schema, name, entries, existing);
  const ordered = dependencyOrder(entries, byClass);
  const plan: DeclarePlan = { tables: [], existing: [], differing: [] };
  for (const e of ordered) {
    const resolved = resolveEntry(e, adapters, byClass, options.jobMetadata === true);
    if (e.existing) {
      plan.existing.push(e.fullName);
      const differences = definitionDifferences(resolved, e.existing);
      if (differences.length) plan.differing.push({ table: e.fullName, differences });
      continue;
    }
    e.resolved = resolved;
    plan.tables.push(resolved);
  }
  return plan;
}

function resolveEntry(
  e: Entry,
  adapters: Readonly<Record<string, string>>,
  byClass: FindClass,
  jobMetadata: boolean,
): ResolvedTable {
  const autoPopulated = e.input.tier === 'Imported' || e.input.tier === 'Computed';
  return withTable(e, () =>
    resolveDefinition(e.definition, {
      conventions: e.conventions,
      jobMetadata: jobMetadata && autoPopulated,
      schema: e.input.schema,
      tableName: e.tableName,
      table: `${e.input.schema}.${e.input.class_name}`,
      master: e.input.class_name.includes('.') ? e.input.class_name.split('.')[0] : undefined,
      adapterType: (name) => adapters[name],
      lookup: (ref) => parentOf(e, ref, byClass),
    }),
  );
}

function toEntry(
  input: DeclareTable,
  all: readonly DeclareTable[],
  existing: readonly TableInfo[],
  conventions: Conventions,
): Entry {
  const isPart = input.class_name.includes('.');
  if (isPart !== (input.tier === 'Part')) {
    throw appError(
      'VALIDATION',
      `${input.schema}.${input.class_name}: ${isPart ? 'a Master.Part class name needs tier "Part"' : 'a Part table needs a class name Master.Part'}.`,
      { details: { table: `${input.schema}.${input.class_name}`, field: 'tier' } },
    );
  }
  let tableName: string;
  if (isPart) {
    const [master, part] = input.class_name.split('.') as [string, string];
    const m = all.find((t) => t.schema === input.schema && t.class_name === master && t.tier !== 'Part');
    const masterTable = m
      ? tableNameOf(m.class_name, m.tier)
      : existing.find((t) => t.schema === input.schema && t.class_name === master)?.table_name;
    if (!masterTable)
      throw appError(
        'VALIDATION',
        `${input.schema}.${input.class_name}: its master ${master} is neither in the file nor in schema ${input.schema}.`,
        { details: { table: `${input.schema}.${input.class_name}` } },
      );
    tableName = tableNameOf(part, 'Part', masterTable);
  } else {
    tableName = tableNameOf(input.class_name, input.tier);
  }
  if (tableName.length > 64)
    throw appError(
      'VALIDATION',
      `${input.schema}.${input.class_name}: the table name ${tableName} is longer than 64 characters.`,
      { details: { table: tableName } },
    );
  const definition = withTable({ input } as Entry, () =>
    parseDefinition(input.definition, { table: `${input.schema}.${input.class_name}`, conventions }),
  );
  return { input, tableName, fullName: `${input.schema}.${tableName}`, definition, conventions };
}

type Found = { entry: Entry } | { table: TableInfo };
type FindClass = (schema: string | null, name: string) => Found[];

/** Candidates for `-> [schema.]Name`, preferring the referring table's own schema. */
function findClass(
  schema: string | null,
  name: string,
  entries: readonly Entry[],
  existing: readonly TableInfo[],
): Found[] {
  const inFile = entries
    .filter((e) => e.input.class_name === name && (schema === null || e.input.schema === schema))
    .map((entry) => ({ entry }));
  const fileNames = new Set(inFile.map((f) => f.entry.fullName));
  const inDb = existing
    .filter((t) => t.class_name === name && (schema === null || t.schema === schema) && !fileNames.has(t.full_name))
    .map((table) => ({ table }));
  return [...inFile, ...inDb];
}

function schemaOf(f: Found): string {
  return 'entry' in f ? f.entry.input.schema : f.table.schema;
}
function nameOf(f: Found): string {
  return 'entry' in f ? f.entry.fullName : f.table.full_name;
}

/** Resolves a reference from `e`; throws for unknown or ambiguous names. */
function pick(e: Entry, ref: ForeignKeyRef, byClass: FindClass): Found | undefined {
  const name = ref.name === 'master' && e.input.class_name.includes('.') ? e.input.class_name.split('.')[0]! : ref.name;
  const all = byClass(ref.schema, name);
  // the referring table's own schema first, then the file's tables, then the rest of the database
  const local = ref.schema === null ? all.filter((f) => schemaOf(f) === e.input.schema) : all;
  const inFile = all.filter((f) => 'entry' in f);
  const candidates = local.length ? local : inFile.length ? inFile : all;
  if (candidates.length > 1) {
    throw appError(
      'VALIDATION',
      `${e.input.schema}.${e.input.class_name}: "-> ${name}" is ambiguous (${candidates.map(nameOf).join(', ')}).`,
      {
        details: { table: `${e.input.schema}.${e.input.class_name}`, reference: name },
        hint: 'Write -> schema.Name to say which one.',
      },
    );
  }
  return candidates[0];
}

function parentOf(e: Entry, ref: ForeignKeyRef, byClass: FindClass): ParentHeading | undefined {
  const found = pick(e, ref, byClass);
  if (!found) return undefined;
  if ('table' in found) return parentFromTableInfo(found.table);
  if (found.entry.existing) return parentFromTableInfo(found.entry.existing);
  return found.entry.resolved ? parentFromResolved(found.entry.resolved) : undefined;
}

/** File tables sorted so every parent (and master) comes before its children; cycles are errors. */
function dependencyOrder(entries: Entry[], byClass: FindClass): Entry[] {
  const out: Entry[] = [];
  const state = new Map<Entry, 'visiting' | 'done'>();
  const visit = (e: Entry, path: string[]) => {
    if (state.get(e) === 'done') return;
    if (state.get(e) === 'visiting')
      throw appError('VALIDATION', `Foreign keys form a cycle: ${[...path, e.fullName].join(' -> ')}.`, {
        details: { tables: path },
      });
    state.set(e, 'visiting');
    const refs = e.definition.items.filter((i) => i.kind === 'foreign_key').map((i) => i.ref);
    if (e.input.class_name.includes('.'))
      refs.push({ schema: e.input.schema, name: e.input.class_name.split('.')[0]! });
    for (const ref of refs) {
      const found = pick(e, ref, byClass);
      if (found && 'entry' in found && found.entry !== e) visit(found.entry, [...path, e.fullName]);
    }
    state.set(e, 'done');
    out.push(e);
  };
  for (const e of entries) visit(e, []);
  return out;
}

function withTable<T>(e: Pick<Entry, 'input'>, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof AppError && !String(err.details?.table ?? '')) {
      throw new AppError({
        code: err.code,
        message: `${e.input.schema}.${e.input.class_name}: ${err.message}`,
        hint: err.hint,
        details: { ...err.details, table: `${e.input.schema}.${e.input.class_name}` },
      });
    }
    throw err;
  }
}
