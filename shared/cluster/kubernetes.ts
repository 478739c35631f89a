import type { ResourceRequest } from '../api/schemas/task';
import { runJobArgs, safeName, type Workflow, type WorkflowStep } from './workflow';

/** Labels every Joinery object carries, so `kubectl get jobs -l app.kubernetes.io/managed-by=joinery` finds them. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'joinery' } as const;

/** Kubernetes requests and limits from a task's resources (limits = requests; GPUs as nvidia.com/gpu). */
export function containerResources(r: ResourceRequest): {
  requests: Record<string, string>;
  limits: Record<string, string>;
} {
  const requests: Record<string, string> = { cpu: String(r.cpus) };
  if (r.memory > 0) requests.memory = `${Math.ceil(r.memory / 2 ** 20)}Mi`;
  const limits: Record<string, string> = { ...requests };
  if (r.gpus > 0) limits['nvidia.com/gpu'] = String(r.gpus);
  return { requests, limits };
}

/** Everything the steps of one table share on Kubernetes: resources, deadline and retries come from its task. */
interface TableGroup {
  schema: string;
  table: string;
  steps: WorkflowStep[];
}

function groupByTable(wf: Workflow): TableGroup[] {
  const groups = new Map<string, TableGroup>();
  for (const s of wf.steps) {
    const k = `${s.schema}.${s.table}`;
    if (!groups.has(k)) groups.set(k, { schema: s.schema, table: s.table, steps: [] });
    groups.get(k)!.steps.push(s);
  }
  return [...groups.values()];
}

/**
 * One Indexed `Job` per table (a ConfigMap beside it holds its keys, one JSON per line): pod i
 * runs `joinery run-job` for key i with the task's requests and limits, `activeDeadlineSeconds`
 * per pod from the task's timeout and `backoffLimit` from its retries. Jobs of different tables
 * are independent here; order between tables comes from run-job refusing keys whose parents are
 * missing and being retried, or use the Argo export for a DAG.
 */
export function kubernetesManifests(wf: Workflow, opts: { namespace?: string; parallelism?: number } = {}): object[] {
  return groupByTable(wf).flatMap((g) => {
    const name = safeName(`${wf.name}-${g.schema}-${g.table}`);
    const labels = { ...MANAGED_BY, 'joinery.io/schema': safeName(g.schema), 'joinery.io/table': safeName(g.table) };
    const first = g.steps[0]!;
    const keys = g.steps.map((s) => JSON.stringify(s.key)).join('\n') + '\n';
    const args = runJobArgs(wf, { ...first, key: {} }).slice(0, -1); // --key comes from the keys file
    const script = `${args.map((a) => `'${a.replaceAll("'", `'"'"'`)}'`).join(' ')} "$(sed -n "$((JOB_COMPLETION_INDEX + 1))p" /etc/joinery/keys.jsonl)"`;
    const metadata = { name, labels, ...(opts.namespace ? { namespace: opts.namespace } : {}) };
    return [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { 'keys.jsonl': keys } },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata,
        spec: {
          completionMode: 'Indexed',
          completions: g.steps.length,
          parallelism: Math.min(g.steps.length, opts.parallelism ?? 10),
          backoffLimit: first.retries * g.steps.length,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: 'Never',
              activeDeadlineSeconds: Math.ceil(first.timeoutS),
              containers: [
                {
                  name: 'run-job',
                  image: wf.image,
                  command: ['/bin/sh', '-c', script],
                  env: [
                    {
                      name: 'JOINERY_DB_PASSWORD',
                      valueFrom: { secretKeyRef: { name: 'joinery-db', key: 'password', optional: true } },
                    },
                  ],
                  resources: containerResources(first.resources),
                  volumeMounts: [{ name: 'keys', mountPath: '/etc/joinery', readOnly: true }],
                },
              ],
              volumes: [{ name: 'keys', configMap: { name } }],
            },
          },
        },
      },
    ];
  });
}

/**
 * An Argo Workflow with a DAG template: one task per step, each depending on the steps the plan
 * says it waits for; one container template per table (its resources, deadline and retries).
 */
export function argoWorkflow(wf: Workflow, opts: { namespace?: string } = {}): object {
  const groups = groupByTable(wf);
  const templateOf = new Map(groups.map((g, i) => [`${g.schema}.${g.table}`, `run-${i + 1}`]));
  const templates = groups.map((g) => {
    const first = g.steps[0]!;
    return {
      name: templateOf.get(`${g.schema}.${g.table}`)!,
      inputs: { parameters: [{ name: 'key' }] },
      activeDeadlineSeconds: Math.ceil(first.timeoutS),
      retryStrategy: { limit: first.retries },
      metadata: { labels: { 'joinery.io/schema': safeName(g.schema), 'joinery.io/table': safeName(g.table) } },
      container: {
        name: 'run-job',
        image: wf.image,
        command: [...runJobArgs(wf, { ...first, key: {} }).slice(0, -1), '{{inputs.parameters.key}}'],
        resources: containerResources(first.resources),
      },
    };
  });
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      generateName: `${wf.name}-`,
      labels: { ...MANAGED_BY },
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
    },
    spec: {
      entrypoint: 'pipeline',
      templates: [
        {
          name: 'pipeline',
          dag: {
            tasks: wf.steps.map((s) => ({
              name: s.id,
              template: templateOf.get(`${s.schema}.${s.table}`)!,
              arguments: { parameters: [{ name: 'key', value: JSON.stringify(s.key) }] },
              ...(s.dependsOn.length ? { dependencies: s.dependsOn } : {}),
            })),
          },
        },
        ...templates,
      ],
    },
  };
}
