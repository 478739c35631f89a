import Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isSkipped, START_SERVICES_HINT } from '../../support/env';

const TEST_IMAGE = 'lab/busybox:1';

/** The real engine answers through dockerode and runs the local test image, offline and limited. */
describe.skipIf(isSkipped('docker'))('Docker engine smoke test', () => {
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });

  it('answers and has the local test image', async () => {
    await docker.ping().catch((e: Error) => {
      throw new Error(`Docker is not reachable: ${e.message}. ${START_SERVICES_HINT}`);
    });
    const image = await docker.getImage(TEST_IMAGE).inspect();
    expect(image.Id).toMatch(/^sha256:/);
  });

  it('runs a container without network, as a non-root user, with limits, and removes it', async () => {
    const container = await docker.createContainer({
      Image: TEST_IMAGE,
      Cmd: [
        'sh',
        '-c',
        'id -u; cat /proc/self/cgroup >/dev/null; ip link 2>/dev/null | grep -c "^[0-9]"; echo done >&2',
      ],
      User: '65534:65534',
      Labels: { 'org.joinery.test': 'smoke' },
      HostConfig: { NetworkMode: 'none', Memory: 64 * 1024 * 1024, NanoCpus: 500_000_000, PidsLimit: 64 },
    });
    try {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      stdout.on('data', (b: Buffer) => out.push(b));
      stderr.on('data', (b: Buffer) => err.push(b));
      const stream = await container.attach({ stream: true, stdout: true, stderr: true });
      container.modem.demuxStream(stream, stdout, stderr);
      await container.start();
      const result = await container.wait();
      expect(result.StatusCode).toBe(0);
      await new Promise((r) => setTimeout(r, 50));
      const lines = Buffer.concat(out).toString().trim().split('\n');
      expect(lines[0]).toBe('65534');
      expect(lines[1]).toBe('1'); // only the loopback interface
      expect(Buffer.concat(err).toString().trim()).toBe('done');
      const info = await container.inspect();
      expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
    } finally {
      await container.remove({ force: true });
    }
    await expect(container.inspect()).rejects.toMatchObject({ statusCode: 404 });
  });
});
