import path from 'node:path';
import type { ClusterPopulateSummary } from '../../../shared/api/schemas/cluster';
import type { Core } from '../../core/container';
import { optionValue, type ParsedArgs, usage } from '../args';
import { callOrThrow } from './call';
import { intOption, parseRestriction, tableName } from './jobs-cli';

/**
 * `joinery populate --backend slurm`: hands the pending keys to Slurm as job arrays of `joinery
 * run-job` and follows them to the end (or, with --detach, returns once submitted). Nodes start
 * Joinery as this process was started unless `--joinery` says how.
 */
export async function clusterPopulate(core: Core, connectionId: string, args: ParsedArgs): Promise<number> {
  const backend = optionValue(args, 'backend');
  if (backend !== 'slurm' && backend !== 'k8s')
    throw usage(`--backend must be slurm or k8s (got "${backend}")`, 'populate');
  const schema = optionValue(args, 'schema');
  const joinery = optionValue(args, 'joinery');
  const { runId } = await callOrThrow(core, 'cluster.populate', {
    connectionId,
    backend,
    schema,
    table: await tableName(core, connectionId, schema, optionValue(args, 'table')),
    restriction: parseRestriction(optionValue(args, 'restrict'), 'populate'),
    partition: optionValue(args, 'partition'),
    account: optionValue(args, 'account'),
    array_parallel: intOption(optionValue(args, 'array-parallel'), 0, 'array-parallel', 'populate'),
    detach: args.options.has('detach'),
    spool: optionValue(args, 'spool') ? path.resolve(optionValue(args, 'spool')!) : undefined,
    joinery: joinery ? joinery.split(' ').filter(Boolean) : [process.execPath, path.resolve(process.argv[1]!)],
    namespace: optionValue(args, 'namespace'),
    image: optionValue(args, 'image'),
    parallelism: intOption(optionValue(args, 'parallelism'), 10, 'parallelism', 'populate') || 10,
  });
  const summary = await finished(core, runId);
  process.stdout.write(
    args.options.has('json') ? JSON.stringify(summary) + '\n' : format(summary, args.options.has('detach')),
  );
  if (summary.state === 'failed') return 1;
  return summary.tables.some((t) => t.failed > 0 || t.lost > t.resubmitted) ? 1 : 0;
}

/** Polls cluster.status until the run ends (the run itself asks the scheduler every poll_ms). */
async function finished(core: Core, runId: string): Promise<ClusterPopulateSummary> {
  for (;;) {
    const s = await callOrThrow(core, 'cluster.status', { runId });
    if (s.state !== 'running') return s;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function format(s: ClusterPopulateSummary, detached: boolean): string {
  const lines = [
    s.state === 'failed'
      ? `${s.backend} populate failed: ${s.message}`
      : detached || s.backend === 'k8s'
        ? `submitted to ${s.backend}; follow with "joinery jobs"`
        : 'slurm populate finished',
  ];
  for (const t of s.tables)
    lines.push(
      `  ${t.full_name}: ${t.submitted} submitted${t.resubmitted ? `, ${t.resubmitted} resubmitted` : ''}` +
        (detached
          ? ''
          : `, ${t.completed} completed, ${t.failed} failed${t.lost ? `, ${t.lost} lost (time-out or node failure)` : ''}`),
    );
  if (s.tables.some((t) => t.failed > 0))
    lines.push('  Failed keys are error rows: "joinery jobs --status error" shows them with their Slurm log.');
  return lines.join('\n') + '\n';
}
