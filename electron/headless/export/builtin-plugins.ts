import {
  argoWorkflow,
  flyteWorkflow,
  kubernetesManifests,
  prefectFlow,
  slurmScript,
  snakefile,
} from '../../../shared/cluster';
import type { WorkflowPlugin } from '../../../shared/cluster/plugin';

/** The built-in targets of `joinery export`, each a {@link WorkflowPlugin} like a lab's own. */
export const BUILTIN_PLUGINS: readonly WorkflowPlugin[] = [
  {
    name: 'slurm',
    summary: 'a bash script of sbatch calls chained with --dependency=afterok',
    export: ({ workflow, options }) => [
      {
        name: `${workflow.name}.slurm.sh`,
        content: slurmScript(workflow, { partition: options.partition, account: options.account }),
      },
    ],
  },
  {
    name: 'argo',
    summary: 'an Argo Workflow with a DAG template',
    export: ({ workflow, options }) => [
      {
        name: `${workflow.name}.argo.yaml`,
        content: { yaml: [argoWorkflow(workflow, { namespace: options.namespace })] },
      },
    ],
  },
  {
    name: 'k8s',
    summary: 'Kubernetes Indexed Jobs (one per table) with their key ConfigMaps',
    export: ({ workflow, options }) => [
      {
        name: `${workflow.name}.k8s.yaml`,
        content: { yaml: kubernetesManifests(workflow, { namespace: options.namespace }) },
      },
    ],
  },
  {
    name: 'prefect',
    summary: 'a Prefect 3 flow (Python)',
    export: ({ workflow }) => [{ name: `${workflow.name}_prefect.py`, content: prefectFlow(workflow) }],
  },
  {
    name: 'flyte',
    summary: 'a Flyte workflow (Python)',
    export: ({ workflow }) => [{ name: `${workflow.name}_flyte.py`, content: flyteWorkflow(workflow) }],
  },
  {
    name: 'snakemake',
    summary: 'a Snakefile',
    export: ({ workflow }) => [{ name: 'Snakefile', content: snakefile(workflow) }],
  },
];
