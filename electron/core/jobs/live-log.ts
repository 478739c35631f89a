import type { EventBus } from '../events/event-bus';
import type { JobRunner, RunRequest } from './runner';

const TAIL_CHARS = 8000;
const EMIT_EVERY_MS = 500;

type Tail = { lines: string[]; size: number; running: boolean; timer: NodeJS.Timeout | null; dirty: boolean };

/**
 * Live log tails of the jobs this process runs: a runner wrapped by {@link LiveLogs.wrap} keeps
 * each running job's last lines in memory and announces new ones as (throttled) `runs.log`
 * events, so a screen can follow a job while it runs; the kept tail of a finished job is in its
 * run record. Tails of finished jobs are dropped after a while.
 */
export class LiveLogs {
  private readonly tails = new Map<string, Tail>();

  constructor(
    private readonly events: EventBus,
    private readonly keepMs = 60_000,
  ) {}

  /** `runner`, with its jobs' log lines kept here and announced for `connectionId`. */
  wrap(runner: JobRunner, connectionId: string): JobRunner {
    const run = async (req: RunRequest) => {
      const id = key(req.job.fullName, req.job.keyHash);
      const tail = this.start(id);
      const announce = () => this.announce(tail, connectionId, req);
      try {
        return await runner.run({
          ...req,
          log: (line) => {
            req.log(line);
            push(tail, line);
            announce();
          },
        });
      } finally {
        tail.running = false;
        this.flush(tail, connectionId, req);
        setTimeout(() => this.tails.get(id) === tail && this.tails.delete(id), this.keepMs).unref();
      }
    };
    return { kind: runner.kind, batches: runner.batches, check: (spec) => runner.check(spec), run };
  }

  /** The kept tail of a job (`schema.table`, key hash), and whether it still runs here. */
  tail(fullName: string, keyHash: string): { running: boolean; tail: string } {
    const t = this.tails.get(key(fullName, keyHash));
    return t ? { running: t.running, tail: t.lines.join('\n') } : { running: false, tail: '' };
  }

  private start(id: string): Tail {
    const old = this.tails.get(id);
    if (old?.timer) clearTimeout(old.timer);
    const tail: Tail = { lines: [], size: 0, running: true, timer: null, dirty: false };
    this.tails.set(id, tail);
    return tail;
  }

  private announce(tail: Tail, connectionId: string, req: RunRequest): void {
    tail.dirty = true;
    if (tail.timer) return;
    tail.timer = setTimeout(() => this.flush(tail, connectionId, req), EMIT_EVERY_MS);
    tail.timer.unref();
  }

  private flush(tail: Tail, connectionId: string, req: RunRequest): void {
    if (tail.timer) clearTimeout(tail.timer);
    tail.timer = null;
    if (!tail.dirty && tail.running) return;
    tail.dirty = false;
    this.events.emit('runs.log', { connectionId, full_name: req.job.fullName, key_hash: req.job.keyHash });
  }
}

function key(fullName: string, keyHash: string): string {
  return `${fullName}\0${keyHash}`;
}

function push(tail: Tail, line: string): void {
  tail.lines.push(line);
  tail.size += line.length + 1;
  while (tail.size > TAIL_CHARS && tail.lines.length > 1) tail.size -= tail.lines.shift()!.length + 1;
}
