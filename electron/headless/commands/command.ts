import type { CommandSpec } from './catalog';

/** One `joinery <name>` command: its spec (catalog.ts) and the code that runs it. */
export interface Command extends CommandSpec {
  /** Runs the command; resolves with the exit status (errors thrown are reported by the CLI). */
  run(argv: readonly string[]): Promise<number>;
}
