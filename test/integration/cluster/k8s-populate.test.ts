import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runJoinery, runJoineryAsync } from '../../support/cli';
import { type JobsSetup, openJobsSetup } from '../jobs/support';

// these tests start joinery processes (and containers, Slurm jobs): slow on a loaded machine, never timed
vi.setConfig({ testTimeout: 600_000, hookTimeout: 300_000 });

/**
 * `populate --backend k8s`. No Kubernetes runs on these machines: the manifests are checked against
 * the Kubernetes OpenAPI schema offline, and the official client's requests are received by a
 * stand-in API server on 127.0.0.1 that answers discovery and records what was created.
 */
describe('populate --backend k8s', () => {
  let s: JobsSetup;
  let dataDir: string;
  let server: Server;
  let kubeconfig: string;
  const created: { path: string; body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    s = await openJobsSetup('sqlite', 'k8s');
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'joinery-k8s-data-'));
    await s.call('table.declare', {
      tables: [
        { schema: s.schema, class_name: 'Session', tier: 'Manual', definition: 'session_id : int' },
        { schema: s.schema, class_name: 'Fit', tier: 'Computed', definition: '-> Session\n---\nscore : double' },
      ],
    });
    await s.call('data.insert', {
      schema: s.schema,
      table: 'session',
      rows: [1, 2, 3].map((session_id) => ({ session_id })),
    });
    await s.call('task.set', {
      schema: s.schema,
      table: '__fit',
      spec: {
        image: 'lab/fit@sha256:' + 'a'.repeat(64),
        resources: { cpus: 2, memory: '4G', gpus: 1 },
        timeout_s: 1800,
        retries: 2,
      },
    });
    await s.core.dispose();
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        const discovery = (groupVersion: string, resources: [string, string][]) =>
          res.end(
            JSON.stringify({
              kind: 'APIResourceList',
              groupVersion,
              resources: resources.map(([name, kind]) => ({ name, kind, namespaced: true, verbs: ['create'] })),
            }),
          );
        if (req.method === 'GET' && req.url === '/api/v1') return discovery('v1', [['configmaps', 'ConfigMap']]);
        if (req.method === 'GET' && req.url === '/apis/batch/v1') return discovery('batch/v1', [['jobs', 'Job']]);
        if (req.method === 'POST') {
          created.push({ path: req.url!.split('?')[0]!, body: JSON.parse(body) });
          res.statusCode = 201;
          return res.end(body);
        }
        res.statusCode = 404;
        return res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    kubeconfig = path.join(dataDir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: lab\n  cluster:\n    server: http://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\nusers:\n- name: me\n  user:\n    token: t0k3n\ncontexts:\n- name: lab\n  context:\n    cluster: lab\n    user: me\n    namespace: imaging\ncurrent-context: lab\n`,
    );
  });
  afterAll(() => new Promise<void>((r) => server?.close(() => r())));

  it('without a kubeconfig it says how to get one, or to export the manifests', () => {
    const r = runJoinery(['populate', '--db', s.url, '--schema', s.schema, '--backend', 'k8s'], {
      dataDir,
      env: { KUBECONFIG: path.join(dataDir, 'missing'), HOME: dataDir },
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('No kubeconfig');
    expect(r.stderr).toContain('joinery export k8s');
  });

  it('creates one Indexed Job and its keys ConfigMap through the client, valid against the OpenAPI schema', async () => {
    // asynchronously: the stand-in API server answers from this process
    const r = await runJoineryAsync(
      ['populate', '--db', s.url, '--schema', s.schema, '--backend', 'k8s', '--image', 'lab/joinery:0.1', '--json'],
      { dataDir, env: { KUBECONFIG: kubeconfig } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).tables).toEqual([
      expect.objectContaining({ full_name: `${s.schema}.__fit`, submitted: 3 }),
    ]);
    expect(created.map((c) => c.path).sort()).toEqual([
      '/api/v1/namespaces/imaging/configmaps',
      '/apis/batch/v1/namespaces/imaging/jobs',
    ]);
    const job = created.find((c) => c.body.kind === 'Job')!.body;
    new Job(job as never).validate();
    new ConfigMap(created.find((c) => c.body.kind === 'ConfigMap')!.body as never).validate();
    expect(job).toMatchObject({
      spec: {
        completions: 3,
        completionMode: 'Indexed',
        template: {
          spec: {
            activeDeadlineSeconds: 1800,
            containers: [{ image: 'lab/joinery:0.1', resources: { limits: { 'nvidia.com/gpu': '1' } } }],
          },
        },
      },
    });
    const jobs = JSON.parse(runJoinery(['jobs', '--db', s.url, '--schema', s.schema, '--json'], { dataDir }).stdout);
    expect(jobs.cluster).toHaveLength(3);
    expect(jobs.cluster[0]).toMatchObject({ backend: 'k8s', state: 'SUBMITTED' });
  });
});
