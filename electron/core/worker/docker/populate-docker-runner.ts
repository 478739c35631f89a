import os from 'node:os';
import Docker from 'dockerode';
import { DockerJobRunner } from './docker-runner';
import { GpuPool } from './gpu-pool';

/**
 * The Docker runner for populates started from the app or `joinery populate --runner docker`: the
 * same container contract as a donated worker's, on this machine's Docker, without GPUs (those go
 * through a worker's capacity gate). Docker is contacted only when a job runs.
 */
export function populateDockerRunner(): DockerJobRunner {
  return new DockerJobRunner({
    docker: new Docker(),
    workerId: `populate-${os.hostname()}-${process.pid}`,
    gpus: new GpuPool([]),
    defaultMemoryBytes: () => Math.max(256 * 1024 ** 2, Math.floor(os.totalmem() / 4)),
  });
}
