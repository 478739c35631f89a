import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { kubernetesManifests, safeName, type Workflow } from '../../../shared/cluster';
import type { DbDriver } from '../db/driver';
import { keyJson } from '../jobs/job-keys';
import type { Logger } from '../log';
import { ensureClusterTable, writeClusterJobs } from './cluster-jobs';
import { claimableKeys } from './pending-keys';
import type { SlurmTableCounts } from './slurm-populate';

/** What `populate --backend k8s` is asked to do. */
export interface K8sPopulateInput {
  schema?: string;
  table?: string;
  restriction?: Record<string, unknown> | Record<string, unknown>[];
  namespace?: string;
  /** The image with Joinery in it that runs `joinery run-job` in each pod. */
  image: string;
  /** Pods of one Job at once. */
  parallelism: number;
}

/** The kubeconfig to use: KUBECONFIG, else ~/.kube/config; null when there is none. */
export function findKubeconfig(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [
    ...(env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean),
    path.join(os.homedir(), '.kube', 'config'),
  ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * `populate --backend k8s`: the claimable keys of each table as one Indexed Job (and its keys
 * ConfigMap) per table, created through the official Kubernetes client with the kubeconfig's
 * current context; each pod runs `joinery run-job` for its key. It submits what is claimable now
 * and returns (downstream keys appear as these commit: run it again, or use `export argo` for a DAG).
 */
export async function k8sPopulate(
  deps: { db: DbDriver; tables: readonly TableInfo[]; dbUrl: string; log: Logger; kubeconfig: string },
  input: K8sPopulateInput,
): Promise<SlurmTableCounts[]> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(deps.kubeconfig);
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  const namespace = input.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  const { tables } = await claimableKeys(deps.db, deps.tables, input, Date.now());
  const out: SlurmTableCounts[] = [];
  const stamp = Date.now().toString(36);
  for (const p of tables.filter((t) => t.keys.length > 0)) {
    const wf: Workflow = {
      name: safeName(`jy-${stamp}`),
      db: deps.dbUrl,
      joinery: 'joinery',
      image: input.image,
      steps: p.keys.map((k, i) => ({
        id: `k${i}`,
        schema: p.table.schema,
        table: p.table.table_name,
        key: k.key,
        keyHash: k.keyHash,
        dependsOn: [],
        resources: p.task.spec.resources,
        timeoutS: p.task.spec.timeout_s,
        retries: p.task.spec.retries,
      })),
    };
    const manifests = kubernetesManifests(wf, { namespace, parallelism: input.parallelism }) as {
      kind: string;
      metadata: { name: string };
    }[];
    for (const m of manifests) await api.create(m as never);
    const jobName = manifests.find((m) => m.kind === 'Job')!.metadata.name;
    await ensureClusterTable(deps.db, p.table.schema);
    const now = Date.now();
    await writeClusterJobs(
      deps.db,
      p.table.schema,
      p.keys.map((k, i) => ({
        table_name: p.table.table_name,
        key_hash: k.keyHash,
        key_json: keyJson(k.key),
        backend: 'k8s',
        external_id: `${namespace}/${jobName}/${i}`,
        state: 'SUBMITTED',
        submissions: 1,
        log_path: `kubectl logs -n ${namespace} job/${jobName} (index ${i})`,
        submitted: now,
        updated: now,
      })),
    );
    deps.log.info(`created Kubernetes Job ${namespace}/${jobName} for ${p.keys.length} key(s) of ${p.table.full_name}`);
    out.push({
      full_name: p.table.full_name,
      submitted: p.keys.length,
      resubmitted: 0,
      completed: 0,
      failed: 0,
      lost: 0,
    });
  }
  return out;
}
