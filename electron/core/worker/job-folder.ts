import { mkdtemp, mkdir, readFile, readdir, rm, writeFile, chmod } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RunRequest } from '../jobs/runner';
import { JobRunError } from '../jobs/runner';

/**
 * The container contract (ARCHITECTURE §5, fixed): `in/` holds key.json, inputs.json and
 * params.json (mounted read-only at /joinery/in); `out/` starts empty (mounted at /joinery/out)
 * and receives result.json plus any files under out/files/. The process runner passes the same
 * folders through JOINERY_IN / JOINERY_OUT; the Docker runner mounts them.
 */
export interface JobFolder {
  root: string;
  inDir: string;
  outDir: string;
  /** Removes the folder (kept when JOINERY_KEEP_JOB_DIRS is set, for debugging). */
  cleanup(): Promise<void>;
}

/** Serialises canonical values; big integers (bigint) as decimal strings. */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 1) + '\n';
}

/** Makes the folder of one attempt and writes its inputs. */
export async function prepareJobFolder(req: RunRequest, baseDir: string = os.tmpdir()): Promise<JobFolder> {
  const root = await mkdtemp(path.join(baseDir, `joinery-job-${req.job.keyHash.slice(0, 8)}-`));
  const inDir = path.join(root, 'in');
  const outDir = path.join(root, 'out');
  await mkdir(inDir);
  await mkdir(path.join(outDir, 'files'), { recursive: true });
  await writeFile(path.join(inDir, 'key.json'), json(req.job.key));
  await writeFile(path.join(inDir, 'inputs.json'), json(req.inputs));
  await writeFile(path.join(inDir, 'params.json'), json(req.task.spec.params));
  // a container runs as a non-root user: it must be able to write out/ and read in/
  await chmod(outDir, 0o777);
  await chmod(path.join(outDir, 'files'), 0o777);
  await chmod(root, 0o755);
  return {
    root,
    inDir,
    outDir,
    cleanup: async () => {
      if (!process.env.JOINERY_KEEP_JOB_DIRS) await rm(root, { recursive: true, force: true });
    },
  };
}

/** Reads out/result.json; a missing or unreadable file fails the attempt with a message saying so. */
export async function readResultFile(outDir: string): Promise<{ result: unknown; files: string[] }> {
  let text: string;
  try {
    text = await readFile(path.join(outDir, 'result.json'), 'utf8');
  } catch {
    throw new JobRunError(
      'ResultError',
      'the job wrote no result.json (expected /joinery/out/result.json, or $JOINERY_OUT/result.json)',
    );
  }
  let result: unknown;
  try {
    result = JSON.parse(text);
  } catch (e) {
    throw new JobRunError('ResultError', `result.json is not valid JSON: ${(e as Error).message}`);
  }
  const files = await readdir(path.join(outDir, 'files')).catch(() => [] as string[]);
  return { result, files };
}
