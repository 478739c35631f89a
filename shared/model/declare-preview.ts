import type { Dialect } from '../api/schemas/connection';
import type { PreviewError, PreviewField, PreviewTable, TablePreview } from '../api/schemas/designer';
import type { TableInfo } from '../api/schemas/pipeline';
import type { DeclareTable } from '../api/schemas/schema';
import { isAppError } from '../errors';
import type { CompiledSql } from '../sql/dialect';
import { createTableDdl } from '../sql/ddl';
import { planDeclare, type PlanOptions } from './declare-plan';
import { lineageTable, parseDefinition, type ResolvedTable } from './definition';
import { knownLineageOf, lineageInsertSql, lineageRows } from './lineage';
import { DIALECTS } from '../sql/dialects';
import { tableNameOf } from './naming';

/**
 * The designer's dry run of `table.declare`: the same checks and the same DDL the core would run,
 * with every problem tied to the field it is about (and to line:column of the definition), so the
 * UI can show it in place. Nothing here writes; the core passes in what the database holds.
 */

const SCHEMA_RE = /^[a-z][a-z0-9_]{0,63}$/;
const CLASS_RE = /^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)?$/;

/** Checks and compiles `inputs` against `existing` for `dialect`; problems come back, never thrown. */
export function previewDeclare(
  inputs: readonly PreviewTable[],
  existing: readonly TableInfo[],
  dialect: Dialect,
  adapters: Readonly<Record<string, string>> = {},
  options: PlanOptions & { failure?: unknown } = {},
): TablePreview {
  const errors = inputs.flatMap((t) => fieldProblems(t, existing));
  if (errors.length) return { dialect, tables: [], errors };
  let plan: ReturnType<typeof planDeclare>;
  try {
    if (options.failure) throw options.failure;
    plan = planDeclare(inputs as DeclareTable[], existing, adapters, options);
  } catch (e) {
    return { dialect, tables: [], errors: [fromThrown(e, inputs)] };
  }
  for (const fullName of plan.existing) {
    const t = inputs.find((i) => fullName.startsWith(`${i.schema}.`))!;
    errors.push(clash(t, fullName));
  }
  const tables: TablePreview['tables'] = [];
  const lineage = v2LineageDdl(dialect, plan.tables, existing);
  for (const r of plan.tables) {
    const input = inputs.find((i) => i.schema === r.schema && fullNameOf(i, inputs) === `${r.schema}.${r.tableName}`);
    try {
      const ddl = [...createTableDdl(dialect, r), ...(lineage.get(`${r.schema}.${r.tableName}`) ?? [])].map(displaySql);
      tables.push({ full_name: `${r.schema}.${r.tableName}`, table_name: r.tableName, ddl });
    } catch (e) {
      errors.push(engineProblem(e, input ?? inputs[0]!));
    }
  }
  return { dialect, tables: errors.length ? [] : tables, errors };
}

/**
 * What a 2.x declaration runs beside each table: `~lineage` in a schema that holds no table yet
 * (IF NOT EXISTS: an empty schema may have it), then the table's lineage rows.
 */
function v2LineageDdl(
  dialect: Dialect,
  tables: readonly ResolvedTable[],
  existing: readonly TableInfo[],
): Map<string, CompiledSql[]> {
  const v2 = tables.filter((t) => t.conventions === '2');
  const rows = lineageRows(v2, knownLineageOf(existing));
  const out = new Map<string, CompiledSql[]>();
  const started = new Set(existing.map((t) => t.schema));
  for (const t of v2) {
    const sql: CompiledSql[] = [];
    if (!started.has(t.schema)) sql.push(...createTableDdl(dialect, lineageTable(t.schema)));
    started.add(t.schema);
    const list = rows.get(`${t.schema}.${t.tableName}`) ?? [];
    if (list.length) sql.push(lineageInsertSql(DIALECTS[dialect], t.schema, list));
    out.set(`${t.schema}.${t.tableName}`, sql);
  }
  return out;
}

function label(t: PreviewTable): string {
  return `${t.schema}.${t.class_name}`;
}

function problem(
  t: PreviewTable,
  field: PreviewField,
  message: string,
  extra: Partial<PreviewError> = {},
): PreviewError {
  return { table: label(t), field, code: 'VALIDATION', message, ...extra };
}

/** Problems of the fields around the definition, found before parsing it. */
function fieldProblems(t: PreviewTable, existing: readonly TableInfo[]): PreviewError[] {
  const out: PreviewError[] = [];
  if (!SCHEMA_RE.test(t.schema))
    out.push(
      problem(t, 'schema', 'Schema names start with a lower-case letter and hold only a-z, 0-9 and _ (at most 64).'),
    );
  if (!CLASS_RE.test(t.class_name)) {
    out.push(
      problem(
        t,
        'class_name',
        t.class_name === ''
          ? 'Give the table a class name (CamelCase, for example SessionScan).'
          : `"${t.class_name}" is not a class name: use CamelCase letters and digits, starting with a capital (Master.Part for a part table).`,
      ),
    );
  } else if (t.class_name.includes('.') !== (t.tier === 'Part')) {
    out.push(
      problem(
        t,
        'tier',
        t.tier === 'Part'
          ? 'A Part table needs a class name Master.Part.'
          : 'A Master.Part class name needs tier Part.',
      ),
    );
  } else if (t.tier !== 'Part') {
    const other = existing.find((e) => e.schema === t.schema && e.class_name === t.class_name);
    if (other) out.push(clash(t, other.full_name, other.tier ?? undefined));
  }
  if (t.definition.trim() === '')
    out.push(
      problem(t, 'definition', 'The definition is empty: add at least one primary-key attribute or foreign key.', {
        line: 1,
        column: 1,
      }),
    );
  return out;
}

function clash(t: PreviewTable, fullName: string, tier?: string): PreviewError {
  return problem(
    t,
    'class_name',
    `${t.class_name} clashes with the existing table ${fullName}${tier ? ` (${tier})` : ''} in schema ${t.schema}.`,
    {
      code: 'CONFLICT',
      hint: 'Choose another class name, or edit the existing table instead.',
    },
  );
}

function fullNameOf(t: PreviewTable, all: readonly PreviewTable[]): string {
  if (t.tier !== 'Part') return `${t.schema}.${tableNameOf(t.class_name, t.tier)}`;
  const [master, part] = t.class_name.split('.') as [string, string];
  const m = all.find((o) => o.schema === t.schema && o.class_name === master);
  return m ? `${t.schema}.${tableNameOf(part, 'Part', tableNameOf(master, m.tier))}` : '';
}

/** An error thrown by planning, tied to the table it names and to its definition line when it has one. */
function fromThrown(e: unknown, inputs: readonly PreviewTable[]): PreviewError {
  if (!isAppError(e)) throw e;
  const d = e.details ?? {};
  const t = inputs.find((i) => label(i) === d.table) ?? inputs[0]!;
  const where =
    typeof d.line === 'number' && typeof d.column === 'number' ? { line: d.line, column: d.column } : undefined;
  const field: PreviewField = d.field === 'tier' ? 'tier' : 'definition';
  return { ...problem(t, field, e.message, { code: e.code, hint: e.hint }), ...(where ?? {}) };
}

/** The engine refused what DataJoint allows (a type or key it lacks): pointed at the attribute's line. */
function engineProblem(e: unknown, t: PreviewTable): PreviewError {
  if (!isAppError(e)) throw e;
  const attribute = typeof e.details?.attribute === 'string' ? e.details.attribute : null;
  let at: { line: number; column: number } | undefined;
  try {
    const item = parseDefinition(t.definition).items.find((i) => i.kind === 'attribute' && i.name === attribute);
    if (item?.kind === 'attribute') at = item.typeAt ?? item.at;
  } catch {
    // it parsed during planning; a failure here only loses the position
  }
  return problem(t, 'definition', e.message, { code: e.code, hint: e.hint, ...(at ?? {}) });
}

/** A statement as text to read: bound parameters written in as literals of the engine. */
function displaySql(s: CompiledSql): string {
  if (!s.params.length) return s.sql;
  let i = 0;
  return s.sql.replace(/\?/g, () => {
    const v = s.params[i++];
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
    if (v === null || v === undefined) return 'NULL';
    // standard SQL quoting, for reading only (only SQLite's metadata row has bound values)
    return `'${String(v).replaceAll("'", "''")}'`;
  });
}
