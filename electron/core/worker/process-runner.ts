import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { TaskSpec } from '../../../shared/api/schemas/task';
import { prepareJobFolder, readResultFile } from './job-folder';
import { JobRunError, type JobRunner, type RunOutput, type RunRequest } from '../jobs/runner';

const TAIL_LINES = 50;

/**
 * Runs a task's `command` as a local process (opt-in: it executes a command stored in the
 * database, so only a user who chose `--runner process` gets it). The process receives the
 * container contract's folders as JOINERY_IN and JOINERY_OUT and runs in its own process group,
 * so a timeout or cancel kills everything it started.
 */
export class ProcessJobRunner implements JobRunner {
  readonly kind = 'process' as const;
  readonly batches = false;

  check(spec: TaskSpec): string | null {
    return spec.command?.length ? null : 'the process runner needs the task\'s "command"';
  }

  async run(req: RunRequest): Promise<RunOutput> {
    const reason = this.check(req.task.spec);
    if (reason) throw new JobRunError('JobError', reason);
    const folder = await prepareJobFolder(req);
    let ok = false;
    try {
      const exit = await runCommand(req, folder.inDir, folder.outDir, folder.root);
      if (exit.code !== 0) {
        const last = exit.tail.filter((l) => l.trim()).at(-1) ?? '';
        throw new JobRunError(
          'JobError',
          `the command exited with status ${exit.code ?? exit.signal}${last ? `: ${last}` : ''}`,
          {
            exitCode: exit.code,
            peakMemory: exit.peak,
            stack: exit.tail.join('\n'),
          },
        );
      }
      const output: RunOutput = { exitCode: 0, peakMemory: exit.peak };
      if (req.task.spec.mode !== 'legacy') output.result = (await readResultFile(folder.outDir)).result;
      ok = true;
      return output;
    } finally {
      if (ok || !process.env.JOINERY_KEEP_FAILED_JOB_DIRS) await folder.cleanup();
    }
  }
}

interface Exit {
  code: number | null;
  signal: string | null;
  tail: string[];
  peak: number | null;
}

function runCommand(req: RunRequest, inDir: string, outDir: string, cwd: string): Promise<Exit> {
  const [cmd, ...args] = req.task.spec.command!;
  return new Promise<Exit>((resolve, reject) => {
    const child = spawn(cmd!, args, {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        JOINERY_IN: inDir,
        JOINERY_OUT: outDir,
        JOINERY_TABLE: req.job.fullName,
        JOINERY_KEY: JSON.stringify(req.job.key),
        JOINERY_KEY_HASH: req.job.keyHash,
        JOINERY_ATTEMPT: String(req.job.attempt),
      },
    });
    const tail: string[] = [];
    const onLine = (line: string) => {
      req.log(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    lines(child.stdout, onLine);
    lines(child.stderr, onLine);
    let peak: number | null = null;
    const sample = setInterval(() => {
      peak = Math.max(peak ?? 0, residentPeak(child.pid) ?? 0) || peak;
    }, 200);
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const onAbort = () => kill();
    req.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      clearInterval(sample);
      reject(new JobRunError('JobError', `cannot start ${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearInterval(sample);
      req.signal.removeEventListener('abort', onAbort);
      if (req.signal.aborted) {
        const reason: unknown = req.signal.reason;
        reject(reason instanceof JobRunError ? reason : new JobRunError('CancelledError', 'the job was cancelled'));
        return;
      }
      resolve({ code, signal, tail, peak });
    });
  });
}

function lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) onLine(p);
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
  });
}

/** VmHWM of a running process in bytes (Linux); null elsewhere or once it has exited. */
function residentPeak(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
