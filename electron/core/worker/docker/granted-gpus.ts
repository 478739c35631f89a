/**
 * The GPUs a scheduler granted this process (Slurm's SLURM_JOB_GPUS, else CUDA_VISIBLE_DEVICES, as
 * device indexes), so a job started by `run-job` on a node gives its container exactly those.
 * None when neither is set: a populate outside a scheduler runs GPU tasks only through workers.
 */
export function grantedGpus(env: NodeJS.ProcessEnv): number[] {
  const list = env.SLURM_JOB_GPUS ?? env.CUDA_VISIBLE_DEVICES ?? '';
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
}
