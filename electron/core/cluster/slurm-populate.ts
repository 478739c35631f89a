import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Restriction } from '../../../shared/api/schemas/data';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { sbatchResourceOptions, shellQuote } from '../../../shared/cluster';
import type { DbDriver } from '../db/driver';
import { keyJson, newWorkerIdentity } from '../jobs/job-keys';
import { jobQueue } from '../jobs/queue';
import type { Logger } from '../log';
import {
  type ClusterJobRow,
  ensureClusterTable,
  FINAL_STATES,
  LOST_STATES,
  readClusterJobs,
  updateClusterStates,
  writeClusterJobs,
} from './cluster-jobs';
import { claimableKeys, type PendingTableKeys } from './pending-keys';
import type { SlurmCli } from './slurm-cli';

/** What `populate --backend slurm` is asked to do. */
export interface SlurmPopulateInput {
  schema?: string;
  table?: string;
  restriction?: Restriction;
  partition?: string;
  account?: string;
  /** At most this many tasks of one array run at once (`--array=0-N%P`); 0: as Slurm sees fit. */
  arrayParallel: number;
  /** Submit what is pending now and return, instead of following the jobs to the end. */
  detach: boolean;
}

/** Per-table tallies of a Slurm populate. */
export interface SlurmTableCounts {
  full_name: string;
  submitted: number;
  resubmitted: number;
  completed: number;
  failed: number;
  lost: number;
}

/** Where the backend runs things: the Joinery command of the nodes, the database URL they use, a spool folder. */
export interface SlurmPopulateDeps {
  db: DbDriver;
  tables: () => Promise<readonly TableInfo[]>;
  slurm: SlurmCli;
  log: Logger;
  /** argv prefix that starts Joinery on a node (e.g. [node, /opt/joinery/bin/joinery.js]). */
  joinery: readonly string[];
  /** `--db` of the jobs, without a password (JOINERY_DB_PASSWORD travels in the job's environment). */
  dbUrl: string;
  /** A folder every node can read (keys files and Slurm logs). */
  spool: string;
  pollMs: number;
  onProgress?: (tables: SlurmTableCounts[]) => void;
}

/**
 * `populate --backend slurm`: the claimable keys of each table go to Slurm as one job array per
 * table and round (keys share the table's task, so one set of sbatch options), each array task
 * running `joinery run-job` for its key, which reserves it through the job protocol as any worker
 * does. Then it follows the arrays (squeue / scontrol) and, after each change, looks for keys
 * that became claimable (downstream keys appear as upstream jobs commit), so the pipeline's order
 * is kept without submitting a key before its parents exist. A key whose job Slurm ended by a
 * time-out, node failure or preemption is submitted again while the task's retries last, then
 * left as a DataJoint error row naming its Slurm log.
 */
export async function slurmPopulate(deps: SlurmPopulateDeps, input: SlurmPopulateInput): Promise<SlurmTableCounts[]> {
  const counts = new Map<string, SlurmTableCounts>();
  const tally = (name: string) => {
    if (!counts.has(name))
      counts.set(name, { full_name: name, submitted: 0, resubmitted: 0, completed: 0, failed: 0, lost: 0 });
    return counts.get(name)!;
  };
  const given = new Set<string>(); // table + key hash submitted by this run (each key is submitted only by rounds below)
  const exhausted = new Set<string>();
  mkdirSync(deps.spool, { recursive: true });
  for (;;) {
    const tables = await deps.tables();
    const schemas = new Set(tables.filter((t) => !input.schema || t.schema === input.schema).map((t) => t.schema));
    for (const s of schemas) await ensureClusterTable(deps.db, s);
    const active = await followActive(deps, schemas, tally);
    const { tables: pending } = await claimableKeys(deps.db, tables, input, Date.now());
    let submittedNow = 0;
    for (const p of pending) {
      const rows = new Map(
        (await readClusterJobs(deps.db, p.table.schema, p.table.table_name)).map((r) => [r.key_hash, r]),
      );
      const keys: PendingTableKeys['keys'] = [];
      for (const k of p.keys) {
        const id = `${p.table.full_name}\0${k.keyHash}`;
        const row = rows.get(k.keyHash);
        if (row && !FINAL_STATES.has(row.state)) continue; // still with Slurm
        if (!given.has(id)) keys.push(k);
        // back in the queue after we gave it to Slurm: only a lost job (time-out, node failure) is tried again
        else if (row && LOST_STATES.has(row.state) && row.submissions <= p.task.spec.retries) keys.push(k);
        // awaited: the error row must be written before this populate returns (and its process exits)
        else if (row && LOST_STATES.has(row.state) && !exhausted.has(id)) await giveUp(deps, p, k, row, exhausted, id);
      }
      if (keys.length === 0) continue;
      await submitArray(deps, input, p, keys, rows);
      for (const k of keys) {
        const id = `${p.table.full_name}\0${k.keyHash}`;
        if (given.has(id)) tally(p.table.full_name).resubmitted++;
        else tally(p.table.full_name).submitted++;
        given.add(id);
      }
      submittedNow += keys.length;
    }
    deps.onProgress?.([...counts.values()]);
    if (input.detach) return [...counts.values()];
    if (active === 0 && submittedNow === 0) return [...counts.values()];
    await new Promise((r) => setTimeout(r, deps.pollMs));
  }
}

/** Asks Slurm about this run's unfinished jobs, records their states, counts the ends; returns how many are still with Slurm. */
async function followActive(
  deps: SlurmPopulateDeps,
  schemas: ReadonlySet<string>,
  tally: (name: string) => SlurmTableCounts,
): Promise<number> {
  let active = 0;
  for (const schema of schemas) {
    const rows = (await readClusterJobs(deps.db, schema)).filter(
      (r) => r.backend === 'slurm' && !FINAL_STATES.has(r.state),
    );
    if (rows.length === 0) continue;
    const states = await deps.slurm.states(rows.map((r) => r.external_id));
    const changed = new Map<string, string>();
    for (const r of rows) {
      const state = states.get(r.external_id) ?? 'GONE';
      if (state !== r.state) changed.set(r.external_id, state);
      if (!FINAL_STATES.has(state)) {
        active++;
        continue;
      }
      const t = tally(`${schema}.${r.table_name}`);
      if (state === 'COMPLETED') t.completed++;
      else if (LOST_STATES.has(state)) t.lost++;
      else t.failed++;
    }
    await updateClusterStates(deps.db, schema, changed, Date.now());
  }
  return active;
}

/** Writes the keys file and the array script, submits them, records one row per key. */
async function submitArray(
  deps: SlurmPopulateDeps,
  input: SlurmPopulateInput,
  p: PendingTableKeys,
  keys: PendingTableKeys['keys'],
  previous: ReadonlyMap<string, ClusterJobRow>,
): Promise<void> {
  const { schema, table_name: table } = p.table;
  const base = path.join(deps.spool, `${schema}-${table}-${Date.now()}`.replace(/[^A-Za-z0-9_.-]/g, '_'));
  writeFileSync(`${base}.keys.jsonl`, keys.map((k) => JSON.stringify(k.key)).join('\n') + '\n');
  const runJob = [...deps.joinery, 'run-job', '--db', deps.dbUrl, '--schema', schema, '--table', table]
    .map(shellQuote)
    .join(' ');
  writeFileSync(
    `${base}.sh`,
    [
      '#!/bin/bash',
      `# Joinery: ${keys.length} key(s) of ${schema}.${table}; array task i runs the key on line i+1 of the keys file`,
      `key=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" ${shellQuote(`${base}.keys.jsonl`)})`,
      `exec ${runJob} --key "$key"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  const range = `0-${keys.length - 1}${input.arrayParallel > 0 ? `%${input.arrayParallel}` : ''}`;
  const log = `${base}-%A_%a.out`;
  const jobId = await deps.slurm.submit(
    [
      `--array=${range}`,
      `--job-name=joinery-${table}`,
      `--output=${log}`,
      '--export=ALL',
      // Joinery resubmits lost jobs itself, counting them against the task's retries; Slurm's own
      // requeue (JobRequeue=1 by default) would rerun them behind its back
      '--no-requeue',
      ...sbatchResourceOptions(p.task.spec.resources, p.task.spec.timeout_s, input),
    ],
    `${base}.sh`,
  );
  const now = Date.now();
  await writeClusterJobs(
    deps.db,
    schema,
    keys.map((k, i) => ({
      table_name: table,
      key_hash: k.keyHash,
      key_json: keyJson(k.key),
      backend: 'slurm',
      external_id: `${jobId}_${i}`,
      state: 'PENDING',
      submissions: (previous.get(k.keyHash)?.submissions ?? 0) + 1,
      log_path: log.replace('%A', jobId).replace('%a', String(i)),
      submitted: now,
      updated: now,
    })),
  );
  deps.log.info(`submitted ${keys.length} key(s) of ${schema}.${table} to Slurm as array job ${jobId}`);
}

/** Retries spent on lost jobs: the key becomes DataJoint's error row, its message naming the Slurm state and log. */
async function giveUp(
  deps: SlurmPopulateDeps,
  p: PendingTableKeys,
  k: PendingTableKeys['keys'][number],
  row: ClusterJobRow,
  exhausted: Set<string>,
  id: string,
): Promise<void> {
  exhausted.add(id);
  let tail = '';
  try {
    tail = readFileSync(row.log_path, 'utf8').slice(-2000);
  } catch {
    // the log is on a node's disk or gone: the path still says where to look
  }
  const message = `SlurmJobLost: ${row.state} after ${row.submissions} submission(s); log ${row.log_path}`;
  await deps.db.transaction((tx) => jobQueue.error(tx, p.table, k, { message, stack: tail }, newWorkerIdentity()));
}
