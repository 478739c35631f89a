import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ClusterJob, ClusterPopulateInput, ClusterPopulateSummary } from '../../../shared/api/schemas/cluster';
import type { JobSelector } from '../../../shared/api/schemas/jobs';
import { appError } from '../../../shared/errors';
import { ensureClusterTable, FINAL_STATES, readClusterJobs, updateClusterStates } from '../cluster/cluster-jobs';
import { type SlurmCli } from '../cluster/slurm-cli';
import { slurmPopulate } from '../cluster/slurm-populate';
import { findKubeconfig, k8sPopulate } from '../cluster/k8s-populate';
import { hiddenTables } from '../db/catalog/hidden-tables';
import type { EventBus } from '../events/event-bus';
import { hashCanonicalKey } from '../jobs/canonical-key-hash';
import type { Logger } from '../log';
import type { ConnectionService } from './connection-service';
import type { PipelineService } from './pipeline-service';
import { CLUSTER_JOB_TABLE } from '../cluster/cluster-jobs';

interface Deps {
  connections: ConnectionService;
  pipeline: PipelineService;
  events: EventBus;
  log: Logger;
  slurm: SlurmCli;
  /** Default spool folder (keys files, scheduler logs): `<data folder>/cluster`. */
  spool: string;
}

/**
 * Populating through the lab's cluster scheduler: submit, follow, list and cancel the scheduler
 * jobs of keys. The jobs themselves are `joinery run-job`, which reserve through the job protocol.
 */
export class ClusterService {
  private readonly runs = new Map<string, { summary: ClusterPopulateSummary; done: Promise<void> }>();

  constructor(private readonly deps: Deps) {}

  /** Starts a cluster populate; progress comes as `cluster.progress` events. */
  async populate(input: ClusterPopulateInput): Promise<{ runId: string }> {
    const db = this.deps.connections.driver(input.connectionId);
    const kubeconfig = input.backend === 'k8s' ? requireKubeconfig() : '';
    const runId = randomUUID();
    const summary: ClusterPopulateSummary = {
      runId,
      backend: input.backend,
      state: 'running',
      tables: [],
      message: null,
    };
    const emit = () => this.deps.events.emit('cluster.progress', { connectionId: input.connectionId, summary });
    const work =
      input.backend === 'k8s'
        ? k8sPopulate(
            {
              db,
              tables: await this.deps.pipeline.tables(input.connectionId),
              dbUrl: db.url,
              log: this.deps.log,
              kubeconfig,
            },
            input,
          )
        : slurmPopulate(
            {
              db,
              tables: async () => {
                this.deps.pipeline.invalidate(input.connectionId);
                return this.deps.pipeline.tables(input.connectionId);
              },
              slurm: this.deps.slurm,
              log: this.deps.log,
              joinery: input.joinery ?? ['joinery'],
              dbUrl: db.url,
              spool: input.spool ?? path.join(this.deps.spool, runId),
              pollMs: input.poll_ms,
              onProgress: (tables) => {
                summary.tables = tables;
                emit();
              },
            },
            { ...input, arrayParallel: input.array_parallel },
          );
    const done = work.then(
      (tables) => {
        summary.tables = tables;
        summary.state = 'finished';
        emit();
      },
      (e: unknown) => {
        summary.state = 'failed';
        summary.message = e instanceof Error ? e.message : String(e);
        emit();
      },
    );
    this.runs.set(runId, { summary, done });
    return { runId };
  }

  /** The summary of a cluster populate started in this process. */
  status(runId: string): ClusterPopulateSummary {
    const run = this.runs.get(runId);
    if (!run) throw appError('NOT_FOUND', `No cluster populate ${runId} in this process.`);
    return run.summary;
  }

  /** Keys handed to schedulers, with the state the scheduler last reported (refreshed for unfinished ones). */
  async jobs(input: { connectionId: string; schemas?: string[]; table?: string }): Promise<{ jobs: ClusterJob[] }> {
    const db = this.deps.connections.driver(input.connectionId);
    const tables = await this.deps.pipeline.tables(input.connectionId);
    const out: ClusterJob[] = [];
    for (const schema of new Set(tables.map((t) => t.schema))) {
      if (input.schemas && !input.schemas.includes(schema)) continue;
      if (!(await hiddenTables(db, schema)).has(CLUSTER_JOB_TABLE)) continue;
      let rows = await readClusterJobs(db, schema, input.table);
      const open = rows.filter((r) => r.backend === 'slurm' && !FINAL_STATES.has(r.state));
      if (open.length) {
        const states = await this.deps.slurm
          .states(open.map((r) => r.external_id))
          .catch(() => new Map<string, string>());
        const changed = new Map(
          [...states].filter(([id, s]) => open.some((r) => r.external_id === id && r.state !== s)),
        );
        await updateClusterStates(db, schema, changed, Date.now());
        rows = rows.map((r) => ({ ...r, state: changed.get(r.external_id) ?? r.state }));
      }
      for (const r of rows)
        out.push({
          schema,
          table_name: r.table_name,
          key_hash: r.key_hash,
          key: safeJson(r.key_json),
          backend: r.backend,
          external_id: r.external_id,
          state: r.state,
          submissions: r.submissions,
          log_path: r.log_path,
          submitted: r.submitted,
        });
    }
    return { jobs: out };
  }

  /** scancel of the scheduler jobs of the selected keys that the scheduler still has; resolves with how many. */
  async cancel(sel: JobSelector): Promise<{ count: number }> {
    const db = this.deps.connections.driver(sel.connectionId);
    if (!(await hiddenTables(db, sel.schema)).has(CLUSTER_JOB_TABLE)) return { count: 0 };
    await ensureClusterTable(db, sel.schema);
    const tables = (await this.deps.pipeline.tables(sel.connectionId)).filter((t) => t.schema === sel.schema);
    const wanted = new Set(sel.key_hashes ?? []);
    for (const key of sel.keys ?? [])
      for (const t of tables.filter((x) => !sel.table || x.table_name === sel.table))
        wanted.add(hashCanonicalKey(key, t));
    const rows = (await readClusterJobs(db, sel.schema, sel.table)).filter(
      (r) =>
        r.backend === 'slurm' &&
        !FINAL_STATES.has(r.state) &&
        (wanted.size ? wanted.has(r.key_hash) : sel.status === 'running' || sel.status === 'reserved'),
    );
    await this.deps.slurm.cancel(rows.map((r) => r.external_id));
    await updateClusterStates(db, sel.schema, new Map(rows.map((r) => [r.external_id, 'CANCELLED'])), Date.now());
    return { count: rows.length };
  }
}

/** Kubernetes needs a kubeconfig; without one the user is told at once how to get one, or to export instead. */
function requireKubeconfig(): string {
  const found = findKubeconfig();
  if (!found)
    throw appError('UNSUPPORTED', 'No kubeconfig: set KUBECONFIG or write ~/.kube/config to submit to Kubernetes.', {
      hint: 'Or write the manifests with "joinery export k8s" and apply them yourself (kubectl apply -f).',
    });
  return found;
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}
