import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

const MARIADBD = '/usr/sbin/mariadbd';
const INSTALL_DB = '/usr/bin/mariadb-install-db';

/** Why a private server cannot run here, or null when it can (scripts/services.sh installs MariaDB). */
export function privateMariadbMissing(): string | null {
  if (!existsSync(MARIADBD) || !existsSync(INSTALL_DB))
    return `${MARIADBD} or ${INSTALL_DB} is missing; install MariaDB with "bash scripts/services.sh mysql"`;
  if (spawnSync('id', ['mysql']).status !== 0) return 'there is no "mysql" system user to run mariadbd as';
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A MariaDB server of a test's own (own data folder under the temp folder, own port and socket),
 * so a test may kill -9 and restart it without touching the shared server on 3306. Grants are
 * off (`--skip-grant-tables`): root connects over TCP without a password.
 */
export class PrivateMariadb {
  private child: ChildProcess | null = null;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** `mysql://root@127.0.0.1:<port>` */
  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}`;
  }

  /** Creates the data folder and starts the server. */
  static async create(): Promise<PrivateMariadb> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-mariadb-'));
    chownSync(
      dir,
      Number(spawnSync('id', ['-u', 'mysql'], { encoding: 'utf8' }).stdout.trim()),
      Number(spawnSync('id', ['-g', 'mysql'], { encoding: 'utf8' }).stdout.trim()),
    );
    const install = spawnSync(
      INSTALL_DB,
      [
        '--no-defaults',
        `--datadir=${dir}`,
        '--user=mysql',
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ],
      { encoding: 'utf8' },
    );
    if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
    const server = new PrivateMariadb(dir, await freePort());
    await server.start();
    return server;
  }

  /** Starts mariadbd on the data folder and waits until it answers. */
  async start(): Promise<void> {
    this.child = spawn(
      MARIADBD,
      [
        '--no-defaults',
        `--datadir=${this.dir}`,
        `--port=${this.port}`,
        `--socket=${path.join(this.dir, 'mysqld.sock')}`,
        `--pid-file=${path.join(this.dir, 'mysqld.pid')}`,
        '--user=mysql',
        '--bind-address=127.0.0.1',
        '--skip-grant-tables',
        '--innodb-buffer-pool-size=32M',
      ],
      { stdio: 'ignore' },
    );
    const end = Date.now() + 120_000;
    for (;;) {
      try {
        const c = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root' });
        await c.end();
        return;
      } catch (e) {
        if (this.child.exitCode !== null) throw new Error(`mariadbd exited with ${this.child.exitCode} while starting`);
        if (Date.now() > end)
          throw new Error(`mariadbd on port ${this.port} did not answer within 120 s: ${String(e)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** kill -9, as a crash or a pulled plug; resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    this.child = null;
  }

  /** A raw connection for the test's own checks. */
  connect(): Promise<mysql.Connection> {
    return mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root' });
  }

  /** Stops the server and removes its data folder. */
  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
