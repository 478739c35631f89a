import { DonationPolicy, type WorkerLimits } from '../../../shared/api/schemas/worker';
import { parseByteSize } from '../../../shared/api/schemas/task';
import { optionValue, parseArgs, usage, type ParsedArgs } from '../args';
import { createHeadlessCore } from '../headless-core';
import { callOrThrow } from './call';
import type { Command } from './command';
import { workerSpec } from './catalog';
import { createFlag, openDb } from './open-db';

/** `joinery worker`: this machine works for the lab, with no display (servers, systemd). */
export const workerCommand: Command = {
  ...workerSpec,
  async run(argv) {
    const args = parseArgs(argv, this.options, this.name);
    const limits = parseLimits(args);
    const policy = DonationPolicy.parse({
      idleOnly: args.options.has('idle-only'),
      ...(optionValue(args, 'idle-minutes') ? { idleMinutes: positive(args, 'idle-minutes') } : {}),
      ...(optionValue(args, 'max-load') ? { maxSystemLoadPercent: Math.min(100, positive(args, 'max-load')) } : {}),
    });
    const grace = optionValue(args, 'grace') ? positive(args, 'grace') : 30;
    const core = createHeadlessCore('cli');
    try {
      const conn = await openDb(core, optionValue(args, 'db'), createFlag(args));
      const say = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${line}\n`);
      const daemon = await core.hooks.runWorker({
        connectionId: conn.id,
        policy,
        limits,
        once: args.options.has('once'),
        schemas: repeated(argv, 'schema'),
        workerId: optionValue(args, 'worker-id'),
        leaseS: optionValue(args, 'lease') ? positive(args, 'lease') : undefined,
        allowCommandCallbacks: args.options.has('allow-command-callbacks'),
        onStatus: (s) => say(`[${s.state}] ${s.reason}`),
        onJob: (table, key, end, message) =>
          say(`${end.padEnd(8)} ${table} ${JSON.stringify(key)}${message ? `: ${message}` : ''}`),
      });
      const hw = await callOrThrow(core, 'workers.probe', {});
      say(
        `worker on ${hw.hostname}: ${hw.cpu.threads} CPUs, ${(hw.memoryBytes / 1024 ** 3).toFixed(1)} GB, ${hw.gpus.length} GPU${hw.gpus.length === 1 ? '' : 's'}, Docker ${hw.docker.version ?? 'unavailable'}; database ${conn.url}`,
      );
      onSignals(async (count) => {
        if (count === 1) {
          say(`stopping: finishing the jobs in hand (up to ${grace} s), then handing the rest back`);
          const timer = setTimeout(() => void daemon.stop('release'), grace * 1000);
          await daemon.stop('finish');
          clearTimeout(timer);
        } else {
          await daemon.stop('release');
        }
      });
      await daemon.stopped;
      return 0;
    } finally {
      await core.dispose();
    }
  },
};

/** Every value of a repeatable option (`--schema a --schema b`). */
function repeated(argv: readonly string[], name: string): string[] {
  return argv.flatMap((a, i) =>
    a === `--${name}` && argv[i + 1] !== undefined
      ? [argv[i + 1]!]
      : a.startsWith(`--${name}=`)
        ? [a.slice(name.length + 3)]
        : [],
  );
}

function onSignals(handler: (count: number) => Promise<void>): void {
  let count = 0;
  const on = () => {
    count++;
    void handler(count);
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
}

function positive(args: ParsedArgs, name: string): number {
  const v = Number(optionValue(args, name));
  if (!Number.isFinite(v) || v <= 0)
    throw usage(`--${name} must be a positive number, got "${optionValue(args, name)}"`, 'worker');
  return v;
}

/** `--cpus 4 --memory 8G --gpus 0,1` -> limits. */
export function parseLimits(args: ParsedArgs): WorkerLimits {
  const limits: WorkerLimits = {};
  if (optionValue(args, 'cpus')) limits.cpus = positive(args, 'cpus');
  const memory = optionValue(args, 'memory');
  if (memory) {
    const bytes = parseByteSize(memory);
    if (!bytes) throw usage(`--memory must be a size such as 512M or 8G, got "${memory}"`, 'worker');
    limits.memoryBytes = bytes;
  }
  const gpus = optionValue(args, 'gpus');
  if (gpus && gpus !== 'all') {
    if (gpus === 'none') limits.gpus = [];
    else if (/^\d+(,\d+)*$/.test(gpus)) limits.gpus = gpus.split(',').map(Number);
    else throw usage(`--gpus takes all, none or GPU indexes such as 0,1; got "${gpus}"`, 'worker');
  }
  return limits;
}
