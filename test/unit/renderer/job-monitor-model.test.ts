import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../../../shared/api/schemas/pipeline';
import { downstreamOf } from '../../../shared/model/graph';
import { jobShownStatus } from '../../../shared/model/job-status';
import { targetsOf } from '../../../renderer/features/jobs/job-query';
import { signatureFragment } from '../../../renderer/features/jobs/job-query';
import { parseRestriction } from '../../../renderer/features/jobs/restriction';
import { timelineRows, timeTicks } from '../../../renderer/features/jobs/timeline-model';
import { planHighlight, waitingEdges } from '../../../renderer/features/jobs/waiting-model';

function table(full: string, tier: TableInfo['tier'], parents: string[] = [], master: string | null = null): TableInfo {
  const [schema, table_name] = full.split('.') as [string, string];
  return {
    full_name: full,
    schema,
    table_name,
    class_name: table_name.replace(/^_+/, '').replace(/^./, (c) => c.toUpperCase()),
    tier,
    master,
    table_comment: '',
    primary_key: [],
    secondary_attributes: [],
    hidden_attributes: [],
    attributes: [],
    foreign_keys: parents.map((parent) => ({
      parent,
      attr_map: {},
      primary: true,
      aliased: false,
      nullable: false,
      unique: false,
    })),
    indexes: [],
    row_count: 0,
  } as TableInfo;
}

const PIPELINE = [
  table('lab.subject', 'Manual'),
  table('lab.session', 'Manual', ['lab.subject']),
  table('lab.notes', 'Manual', ['lab.subject']),
  table('lab.__summary', 'Computed', ['lab.session', 'lab.notes']),
  table('lab.__summary__part', 'Part', ['lab.__summary'], 'lab.__summary'),
  table('lab.__report', 'Computed', ['lab.__summary']),
  table('lab.__other', 'Computed', ['lab.subject']),
];

describe('job monitor models', () => {
  it('a table and everything downstream, parts included, in dependency order', () => {
    expect(downstreamOf(PIPELINE, 'lab.session')).toEqual([
      'lab.session',
      'lab.__summary',
      'lab.__summary__part',
      'lab.__report',
    ]);
    expect(downstreamOf(PIPELINE, 'lab.__report')).toEqual(['lab.__report']);
  });

  it('finds Manual parents whose missing rows hold jobs back, only where other parents tell the keys', () => {
    const edges = waitingEdges(PIPELINE);
    expect(edges.map((e) => [e.manual, e.child, e.query])).toEqual([
      ['lab.session', 'lab.__summary', '(lab.Notes) - lab.Session'],
      ['lab.notes', 'lab.__summary', '(lab.Session) - lab.Notes'],
    ]);
  });

  it('shows a live lease before the ~jobs status, and what only Joinery remembers last', () => {
    expect(jobShownStatus({ status: 'reserved', state: 'running' })).toBe('running');
    expect(jobShownStatus({ status: 'reserved', state: 'cancel' })).toBe('cancel');
    expect(jobShownStatus({ status: 'error', state: 'failed' })).toBe('error');
    expect(jobShownStatus({ status: null, state: 'waiting' })).toBe('waiting');
    expect(jobShownStatus({ status: 'ignore', state: null })).toBe('ignore');
  });

  it('groups selected job ids into one selector per table', () => {
    const a = '0'.repeat(32);
    const b = '1'.repeat(32);
    expect(targetsOf([`lab.__summary:${a}`, `lab.__report:${b}`, `lab.__summary:${b}`])).toEqual([
      { schema: 'lab', table: '__summary', key_hashes: [a, b] },
      { schema: 'lab', table: '__report', key_hashes: [b] },
    ]);
  });

  it("takes a signature's longest plain text to filter the list by", () => {
    expect(signatureFragment('JobError: the container exited with status <n>: cannot read <path>')).toBe(
      'JobError: the container exited with status',
    );
  });

  it('reads the restriction box: empty, a dict, a list of dicts; anything else says how to write it', () => {
    expect(parseRestriction('  ')).toEqual({});
    expect(parseRestriction('{"subject_id": 1}')).toEqual({ value: { subject_id: 1 } });
    expect(parseRestriction('[{"a": 1}, {"a": 2}]')).toEqual({ value: [{ a: 1 }, { a: 2 }] });
    expect(parseRestriction('{subject_id: 1}').error).toMatch(/not JSON.*\{"subject_id": 1\}/);
    expect(parseRestriction('[1, 2]').error).toMatch(/JSON object of attribute values/);
  });

  it('puts attempts on their worker lines, keeps those in the window, and ticks on round minutes', () => {
    const run = (worker: string, started: number, ended: number, status: 'success' | 'error' = 'success') => ({
      run_id: null,
      table_name: '__summary',
      key_hash: `${started}`.padStart(32, '0'),
      attempt: 1,
      status,
      runner: 'docker',
      worker,
      started,
      ended,
      exit_code: 0,
      peak_memory: null,
      error_message: '',
      log_tail: null,
      schema: 'lab',
    });
    const rows = timelineRows([run('w2', 100, 200), run('w1', 50, 80, 'error'), run('w1', 5, 9)], [], 10, 1000, 1000);
    expect(rows.map((r) => [r.worker, r.bars.map((b) => [b.start, b.status])])).toEqual([
      ['w1', [[50, 'error']]],
      ['w2', [[100, 'success']]],
    ]);
    expect(timeTicks(0, 60 * 60_000)).toEqual([0, 10, 20, 30, 40, 50, 60].map((m) => m * 60_000));
  });

  it('draws a jobs plan on the diagram: the staged table and the tables with jobs, each labelled', () => {
    const h = planHighlight({
      staged: { full_name: 'lab.session', keys: 2 },
      tables: [
        { full_name: 'lab._scan', jobs: 2, note: null },
        { full_name: 'lab.__spikes', jobs: 1, note: null },
        { full_name: 'lab.__unrelated', jobs: 0, note: 'no task' },
      ],
      jobs: [],
    });
    expect(h.keys).toEqual(['lab.session', 'lab._scan', 'lab.__spikes']);
    expect(h.badges).toEqual({ 'lab.session': '2 staged', 'lab._scan': '+2 jobs', 'lab.__spikes': '+1 job' });
    expect(h.note).toBe('2 staged rows of lab.session would start 3 jobs in 2 tables.');
  });
});
