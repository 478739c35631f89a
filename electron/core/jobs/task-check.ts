import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import type { TaskSpec, TaskValidation } from '../../../shared/api/schemas/task';

type Problem = TaskValidation['problems'][number];

const LABEL = /^[A-Za-z][\w.-]*(\s*(>=|<=|==|=|>|<)\s*[\w.-]+)?$/;

/** Ancestors of a table through its foreign keys (parents, their parents...), by full name. */
export function ancestorsOf(table: TableInfo, byName: ReadonlyMap<string, TableInfo>): Set<string> {
  const seen = new Set<string>();
  const stack = table.foreign_keys.map((fk) => fk.parent);
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const t = byName.get(name);
    if (t) stack.push(...t.foreign_keys.map((fk) => fk.parent), ...(t.master ? [t.master] : []));
  }
  return seen;
}

/**
 * Checks a task against the pipeline: the table is auto-populated, exactly one way to run is
 * given, declared inputs are upstream tables (or their parts) with existing attributes, and the
 * resource request is well formed. Each problem names the spec field it is about.
 */
export function checkTask(spec: TaskSpec, table: TableInfo, tables: readonly TableInfo[]): Problem[] {
  const problems: Problem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (table.tier !== 'Imported' && table.tier !== 'Computed') {
    add('', `${table.full_name} is a ${table.tier ?? 'untiered'} table; only Imported and Computed tables have tasks.`);
  }
  if (!spec.image && !spec.command && !spec.inline)
    add('command', 'Give an image (docker runner), a command (process runner) or an inline function name.');
  if (spec.inline && (spec.image || spec.command))
    add('inline', 'An inline function cannot be combined with an image or a command.');
  if (spec.backoff_max_s < spec.backoff_s)
    add('backoff_max_s', `backoff_max_s (${spec.backoff_max_s}) is shorter than backoff_s (${spec.backoff_s}).`);
  spec.resources.labels.forEach((l, i) => {
    if (!LABEL.test(l))
      add(`resources.labels.${i}`, `"${l}" is not a label: a name, optionally compared with a value (cuda>=12).`);
  });
  const byName = new Map(tables.map((t) => [t.full_name, t]));
  const upstream = ancestorsOf(table, byName);
  spec.inputs.forEach((input, i) => checkInput(input, i, table, byName, upstream, add));
  return problems;
}

function checkInput(
  input: TaskSpec['inputs'][number],
  i: number,
  table: TableInfo,
  byName: ReadonlyMap<string, TableInfo>,
  upstream: ReadonlySet<string>,
  add: (path: string, message: string) => void,
): void {
  const source = byName.get(input.table);
  if (!source) {
    add(`inputs.${i}.table`, `There is no table ${input.table} (give schema.table with the stored table name).`);
    return;
  }
  const isUpstream = upstream.has(source.full_name) || (source.master !== null && upstream.has(source.master));
  if (!isUpstream)
    add(
      `inputs.${i}.table`,
      `${input.table} is not upstream of ${table.full_name}; a job can only receive rows it depends on.`,
    );
  for (const [j, name] of (input.attributes ?? []).entries()) {
    if (!source.attributes.some((a) => a.name === name)) {
      add(
        `inputs.${i}.attributes.${j}`,
        `${input.table} has no attribute "${name}" (attributes: ${source.attributes.map((a) => a.name).join(', ')}).`,
      );
    }
  }
}
