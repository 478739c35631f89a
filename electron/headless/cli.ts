import { isAppError, isInputError } from '../../shared/errors';
import { usage } from './args';
import type { Command } from './commands/command';
import { declareCommand } from './commands/declare';
import { insertCommand } from './commands/insert';
import { inspectCommand } from './commands/inspect';
import { jobsCommand } from './commands/jobs';
import { migrateCommand } from './commands/migrate';
import { populateCommand } from './commands/populate';
import { queryCommand } from './commands/query';
import { serveCommand } from './commands/serve';
import { storeCommand } from './commands/store';
import { workerCommand } from './commands/worker';
import { taskCommand } from './commands/task';
import { packageVersion } from './headless-core';

/** Every command that works; `--help` lists exactly these. */
const COMMANDS: readonly Command[] = [
  serveCommand,
  inspectCommand,
  declareCommand,
  insertCommand,
  queryCommand,
  populateCommand,
  jobsCommand,
  taskCommand,
  workerCommand,
  storeCommand,
  migrateCommand,
];

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return (
    [
      'joinery: run and inspect DataJoint-style pipelines on MySQL/MariaDB or SQLite',
      '',
      'Usage: joinery <command> [options]',
      '',
      'Commands:',
      ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
      '',
      'Databases (--db): sqlite:<path> or mysql://user@host:port; the MySQL password comes from',
      'JOINERY_DB_PASSWORD (or MYSQL_PWD). Without --db, the default SQLite database is used.',
      'Run "joinery <command> --help" for a command\'s options. Exit status: 0 done, 1 failed, 2 bad usage or input.',
    ].join('\n') + '\n'
  );
}

/** Runs the CLI and resolves with the exit status; never prints a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw usage(`unknown command "${name}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
      return 0;
    }
    return await command.run(rest);
  } catch (e) {
    return report(e);
  }
}

function report(e: unknown): number {
  if (isAppError(e)) {
    process.stderr.write(`joinery: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
    return isInputError(e.code) ? 2 : 1;
  }
  process.stderr.write(`joinery: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.JOINERY_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
  return 1;
}
