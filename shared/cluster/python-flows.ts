import { runJobArgs, type Workflow } from './workflow';

const py = (v: unknown) => JSON.stringify(v);
/** A Python identifier for a step's future/promise variable. */
const v = (id: string) => `s_${id}`;

/**
 * A Prefect 3 flow: one task run per step (`subprocess` of `joinery run-job`), submitted with
 * `wait_for` on the steps it depends on; the flow fails if any step fails.
 */
export function prefectFlow(wf: Workflow): string {
  const body = wf.steps.map(
    (s) =>
      `    ${v(s.id)} = run_job.with_options(name=${py(`${s.schema}.${s.table} ${s.id}`)}, retries=${s.retries}).submit(${py(runJobArgs(wf, s))}, wait_for=[${s.dependsOn.map(v).join(', ')}])`,
  );
  return [
    `"""Joinery workflow "${wf.name}": ${wf.steps.length} job(s) in dependency order (Prefect 3).`,
    '',
    'Run with: python <this file>. Each step is `joinery run-job`; JOINERY_DB_PASSWORD gives the database password.',
    '"""',
    'import subprocess',
    '',
    'from prefect import flow, task',
    '',
    '',
    '@task',
    'def run_job(args: list[str]) -> None:',
    '    subprocess.run(args, check=True)',
    '',
    '',
    `@flow(name=${py(wf.name)})`,
    'def pipeline() -> None:',
    ...(body.length ? body : ['    pass']),
    ...(wf.steps.length ? [`    for f in [${wf.steps.map((s) => v(s.id)).join(', ')}]:`, '        f.result()'] : []),
    '',
    '',
    'if __name__ == "__main__":',
    '    pipeline()',
    '',
  ].join('\n');
}

/**
 * A Flyte workflow: one task call per step (`joinery run-job` in the Joinery image) with the
 * task's CPU and memory requests, chained with `>>` where the plan says a step waits for another.
 */
export function flyteWorkflow(wf: Workflow): string {
  const calls = wf.steps.map((s) => {
    const cpu = String(Math.max(1, Math.ceil(s.resources.cpus)));
    const mem = s.resources.memory > 0 ? `${Math.ceil(s.resources.memory / 2 ** 20)}Mi` : '512Mi';
    const gpu = s.resources.gpus > 0 ? `, gpu=${py(String(s.resources.gpus))}` : '';
    return `    ${v(s.id)} = run_job(args=${py(runJobArgs(wf, s))}).with_overrides(node_name=${py(s.id)}, requests=Resources(cpu=${py(cpu)}, mem=${py(mem)}${gpu}), retries=${s.retries})`;
  });
  const chains = wf.steps.flatMap((s) => s.dependsOn.map((d) => `    ${v(d)} >> ${v(s.id)}`));
  return [
    `"""Joinery workflow "${wf.name}": ${wf.steps.length} job(s) in dependency order (Flyte).`,
    '',
    'Register with: pyflyte run --remote <this file> pipeline. Each step is `joinery run-job` in the Joinery image.',
    '"""',
    'import subprocess',
    'from typing import List',
    '',
    'from flytekit import Resources, task, workflow',
    '',
    '',
    `@task(container_image=${py(wf.image)})`,
    'def run_job(args: List[str]) -> None:',
    '    subprocess.run(args, check=True)',
    '',
    '',
    '@workflow',
    'def pipeline() -> None:',
    ...(calls.length ? [...calls, ...chains] : ['    pass']),
    '',
  ].join('\n');
}
