import type { OptionSpec } from '../args';

/** One `joinery <name>` command. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  /** Runs the command; resolves with the exit status (errors thrown are reported by the CLI). */
  run(argv: readonly string[]): Promise<number>;
}
