import path from 'node:path';
import { appError } from '../../../shared/errors';
import { optionValue, parseArgs, portOption, usage } from '../args';
import { filePathOf, serverOf } from '../../core/db/url';
import { createHeadlessCore, PACKAGE_ROOT } from '../headless-core';
import { startWebServer } from '../web-server';
import type { LoginMode } from '../web-login';
import { callOrThrow } from './call';
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
    const db = optionValue(args, 'db');
    const login = loginMode(optionValue(args, 'auth'), db);
    const sessionIdleMs = minutes(optionValue(args, 'session-minutes'));
    const core = createHeadlessCore('web');
    try {
      // in MySQL login mode nobody's connection is opened by the server itself
      const opened = login.kind === 'account' ? null : await openDb(core, db, { create: true });
      const info = await callOrThrow(core, 'app.info', {});
      const server = await startWebServer({
        core,
        host,
        port,
        rendererDir: path.join(PACKAGE_ROOT, 'dist/renderer'),
        login,
        sessionIdleMs,
        sqlite: { dir: info.dataDir, files: [opened ? filePathOf(opened.url) : null].filter((f) => f !== null) },
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
        const who = login.kind === 'account' ? 'anyone with a database account' : 'anyone with the link';
        process.stderr.write(
          `joinery: warning: listening on ${host}, reachable from other machines; ${who} can log in. Use HTTPS in front of it.\n`,
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

/** `--auth` values: the token link, or each person's account on the database server. */
const AUTH_KINDS: Record<string, LoginMode['kind']> = { token: 'token', mysql: 'account' };

/** `--auth`: the token link (default), or MySQL accounts on the server `--db` names. */
function loginMode(auth: string | undefined, db: string | undefined): LoginMode {
  const kind = AUTH_KINDS[auth ?? 'token'];
  if (!kind) throw usage(`--auth must be token or mysql, got "${auth}"`, 'serve');
  if (kind === 'token') return { kind };
  const server = db ? serverOf(db) : null;
  if (!server) throw usage('--auth mysql needs the server to log in to: --db mysql://host:port', 'serve');
  return { kind, host: server.host, port: server.port, newCore: () => createHeadlessCore('web') };
}

function minutes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw usage(`--session-minutes must be a positive number, got "${value}"`, 'serve');
  return n * 60_000;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
