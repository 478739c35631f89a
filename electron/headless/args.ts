import { appError } from '../../shared/errors';

/** Parsed command line: positional words and `--name value` / `--flag` options. */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

/** Option names a command accepts; `true` marks a flag without a value. */
export type OptionSpec = Record<string, 'value' | 'flag'>;

/**
 * Parses `argv` against the options a command accepts; an unknown option or a missing value is
 * a usage error (exit status 2) naming the option.
 */
export function parseArgs(argv: readonly string[], spec: OptionSpec, command: string): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq > 0 ? eq : undefined);
    const kind = spec[name];
    if (!kind) throw usage(`unknown option --${name} for "joinery ${command}"`, command);
    if (kind === 'flag') {
      if (eq > 0) throw usage(`--${name} takes no value`, command);
      options.set(name, true);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) throw usage(`--${name} needs a value`, command);
    options.set(name, value);
  }
  return { positionals, options };
}

/** The string value of an option, or undefined. */
export function optionValue(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** A usage error: exit status 2 and a pointer to the command's help. */
export function usage(message: string, command?: string) {
  return appError('VALIDATION', message, { hint: `Run "joinery ${command ? command + ' ' : ''}--help" for usage.` });
}

/** Parses a TCP port number option. */
export function portOption(value: string | undefined, fallback: number, command: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw usage(`--port must be a number from 0 to 65535, got "${value}"`, command);
  return n;
}
