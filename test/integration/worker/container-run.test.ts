import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import {
  removeOrphans,
  runContainer,
  WORKER_LABEL,
  type ContainerRunSpec,
} from '../../../electron/core/worker/docker/container-run';
import { AppError } from '../../../shared/errors';
import { isSkipped } from '../../support/env';

const IMAGE = 'lab/busybox:1';
const docker = new Docker({ socketPath: '/var/run/docker.sock' });

function folders() {
  const inDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-in-'));
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-out-'));
  chmodSync(inDir, 0o755);
  chmodSync(outDir, 0o777);
  writeFileSync(path.join(inDir, 'key.json'), JSON.stringify({ subject_id: 7 }));
  return { inDir, outDir };
}

function spec(command: string, extra: Partial<ContainerRunSpec> = {}): ContainerRunSpec {
  return {
    image: IMAGE,
    command: ['sh', '-c', command],
    ...folders(),
    cpus: 1,
    memoryBytes: 64 * 1024 * 1024,
    gpuIndexes: [],
    network: false,
    runAsRoot: false,
    timeoutMs: 20_000,
    labels: { [WORKER_LABEL]: 'test-worker' },
    ...extra,
  };
}

/** The Docker runner's container step against the real engine and the local busybox image. */
describe.skipIf(isSkipped('docker'))('running a job container', () => {
  it('mounts the contract folders, runs as nobody without network, and keeps the logs', async () => {
    const s = spec(
      'cat /joinery/in/key.json; echo; id -u; ip link | grep -c "^[0-9]"; echo "{\\"rows\\": []}" > /joinery/out/result.json; echo bye >&2; touch /joinery/in/x 2>/dev/null || echo read-only',
    );
    const logs: string[] = [];
    const r = await runContainer(docker, { ...s, onLog: (_stream, t) => logs.push(t) });
    expect(r.exitCode).toBe(0);
    expect(r.oomKilled).toBe(false);
    expect(r.imageId).toMatch(/^sha256:/);
    // stderr ("bye") is a separate stream: under load it may arrive between stdout's lines
    expect(
      r.logTail
        .split('\n')
        .filter((l) => l !== 'bye')
        .slice(0, 3),
    ).toEqual(['{"subject_id":7}', '65534', '1']);
    expect(r.logTail).toContain('read-only');
    expect(r.logTail).toContain('bye');
    expect(logs.join('')).toContain('65534');
    expect(JSON.parse(readFileSync(path.join(s.outDir, 'result.json'), 'utf8'))).toEqual({ rows: [] });
    const left = await docker.listContainers({ all: true, filters: { label: [`${WORKER_LABEL}=test-worker`] } });
    expect(left).toEqual([]);
  });

  it('reports a memory overrun as OOM', async () => {
    const r = await runContainer(
      docker,
      spec('head -c 200000000 /dev/zero | tail -c 150000000 > /dev/null', { memoryBytes: 32 * 1024 * 1024 }),
    );
    expect(r.oomKilled).toBe(true);
  });

  it('kills a container that runs past its time limit', async () => {
    const t0 = Date.now();
    const r = await runContainer(docker, spec('sleep 30', { timeoutMs: 1500 }));
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).not.toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('stops on cancel', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 800);
    const r = await runContainer(docker, spec('sleep 30', { signal: ac.signal }));
    expect(r.cancelled).toBe(true);
  });

  it('keeps only the tail of a chatty log', async () => {
    const r = await runContainer(
      docker,
      spec('for i in $(seq 1 20000); do echo line $i; done', { logLimitBytes: 1000 }),
    );
    expect(r.logTail).toMatch(/^\[\.\.\. \d+ earlier bytes not kept \.\.\.\]/);
    expect(r.logTail).toContain('line 20000');
    expect(r.logTail.length).toBeLessThan(1100);
  });

  it('names a missing image', async () => {
    const e = await runContainer(docker, { ...spec('true'), image: 'lab/does-not-exist:9' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('NOT_FOUND');
    expect((e as AppError).message).toMatch(/lab\/does-not-exist:9 is not on this machine/);
  });

  it('removes containers a crashed worker left behind', async () => {
    const c = await docker.createContainer({
      Image: IMAGE,
      Cmd: ['sleep', '60'],
      Labels: { [WORKER_LABEL]: 'crashed-worker' },
    });
    await c.start();
    expect(await removeOrphans(docker, 'crashed-worker')).toBe(1);
    await expect(c.inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
