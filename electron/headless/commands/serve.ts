import path from 'node:path';
import { appError } from '../../../shared/errors';
import { optionValue, parseArgs, portOption } from '../args';
import { createHeadlessCore, PACKAGE_ROOT } from '../headless-core';
import { startWebServer } from '../web-server';
import type { Command } from './command';
import { serveSpec } from './catalog';
import { openDb } from './open-db';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** `joinery serve`: the UI in a browser, behind a login token. */
export const serveCommand: Command = {
  ...serveSpec,
  async run(argv) {
    const args = parseArgs(argv, this.options, this.name);
    const port = portOption(optionValue(args, 'port'), 8765, this.name);
    const host = optionValue(args, 'host') ?? '127.0.0.1';
    const core = createHeadlessCore('web');
    try {
      await openDb(core, optionValue(args, 'db'), { create: true });
      const server = await startWebServer({
        core,
        host,
        port,
        rendererDir: path.join(PACKAGE_ROOT, 'dist/renderer'),
      }).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE')
          throw appError('VALIDATION', `Port ${port} is already in use.`, {
            hint: 'Choose another one with --port N (0 picks a free port).',
          });
        if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND')
          throw appError('VALIDATION', `Cannot listen on ${host}.`, {
            hint: 'Give an address of this machine with --host.',
          });
        throw e;
      });
      if (!LOOPBACK.has(host)) {
        process.stderr.write(
          `joinery: warning: listening on ${host}, reachable from other machines; anyone with the link can log in. Use HTTPS in front of it.\n`,
        );
      }
      process.stdout.write(`${server.loginUrl}\n`);
      await waitForSignal();
      await server.close();
      return 0;
    } finally {
      await core.dispose();
    }
  },
};

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
