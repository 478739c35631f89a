import { isAppError, isInputError } from '../../shared/errors';
import { usage } from './args';
import { COMMAND_SPECS } from './commands/catalog';
import type { Command } from './commands/command';
import { packageVersion } from './package-info';

/**
 * Each command's code, loaded only when it runs: `--help` and a command's start then load what
 * that command needs and no more (the core with its drivers is most of a command's start time).
 */
const LOADERS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve')).serveCommand,
  inspect: async () => (await import('./commands/inspect')).inspectCommand,
  declare: async () => (await import('./commands/declare')).declareCommand,
  insert: async () => (await import('./commands/insert')).insertCommand,
  query: async () => (await import('./commands/query')).queryCommand,
  populate: async () => (await import('./commands/populate')).populateCommand,
  jobs: async () => (await import('./commands/jobs')).jobsCommand,
  task: async () => (await import('./commands/task')).taskCommand,
  worker: async () => (await import('./commands/worker')).workerCommand,
  store: async () => (await import('./commands/store')).storeCommand,
  'run-job': async () => (await import('./commands/run-job')).runJobCommand,
  export: async () => (await import('./commands/export')).exportCommand,
  migrate: async () => (await import('./commands/migrate')).migrateCommand,
};

function helpText(): string {
  const width = Math.max(...COMMAND_SPECS.map((c) => c.name.length));
  return (
    [
      'joinery: run and inspect DataJoint-style pipelines on MySQL/MariaDB or SQLite',
      '',
      'Usage: joinery <command> [options]',
      '',
      'Commands:',
      ...COMMAND_SPECS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
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
  const command = COMMAND_SPECS.find((c) => c.name === name);
  try {
    if (!command) throw usage(`unknown command "${name}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
      return 0;
    }
    const load = LOADERS[command.name];
    if (!load) throw usage(`unknown command "${name}"`);
    return await (await load()).run(rest);
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
