import { startWebServer } from '../electron/headless/web-server';
import { bestSeconds, report } from './harness';
import { createTestCore, fakeRendererDir } from '../test/support/core';

/** Cost of the HTTP transport per call, against calling the dispatcher in-process. */
const CALLS = 2000;
const { core } = createTestCore('web');
const server = await startWebServer({ core, host: '127.0.0.1', port: 0, rendererDir: fakeRendererDir() });
const login = await fetch(server.loginUrl, { redirect: 'manual' });
const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

const inProcess = await bestSeconds(async () => {
  for (let i = 0; i < CALLS; i++) await core.dispatch('app.info', {}, { transport: 'in-process', host: 'web' });
});
const overHttp = await bestSeconds(async () => {
  for (let i = 0; i < CALLS; i++) {
    const res = await fetch(`${server.url}/rpc/app.info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: '{}',
    });
    await res.json();
  }
});
report({
  bench: 'rpc-overhead',
  metric: 'http_calls_per_s',
  value: CALLS / overHttp,
  unit: 'calls/s',
  baseline: 'in-process dispatch of the same call',
  baseline_value: CALLS / inProcess,
});
await server.close();
await core.dispose();
