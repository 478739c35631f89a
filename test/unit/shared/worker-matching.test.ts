import { describe, expect, it } from 'vitest';
import { DonationPolicy } from '../../../shared/api/schemas/worker';
import { ResourceRequest } from '../../../shared/api/schemas/task';
import { fitRequest, subtract, type Capacity } from '../../../shared/model/capacity';
import { decideDonation, inAnyWindow } from '../../../shared/model/donation';
import { compareVersions, constraintProblem } from '../../../shared/model/label-constraints';

const GB = 1024 ** 3;
const req = (r: Partial<Record<keyof ResourceRequest, unknown>>) => ResourceRequest.parse(r);
const policy = (p: Partial<DonationPolicy>) => DonationPolicy.parse(p);

describe('label constraints', () => {
  const labels = { cuda: '12.4', gpu: 'NVIDIA H100 80GB HBM3', os: 'linux', docker: true } as const;
  it.each([
    ['cuda>=12', null],
    ['cuda>=12.5', /its cuda is 12.4/],
    ['cuda<13', null],
    ['os=linux', null],
    ['os!=linux', /its os is linux/],
    ['gpu~h100', null],
    ['docker', null],
    ['singularity', /has no "singularity"/],
    ['ram>=1', /has no ram value/],
    ['>=1', /malformed/],
  ])('%s', (c, problem) => {
    const p = constraintProblem(c, labels);
    if (problem === null) expect(p).toBeNull();
    else expect(p).toMatch(problem);
  });
  it('compares versions numerically', () => {
    expect(compareVersions('12.10', '12.9')).toBe(1);
    expect(compareVersions('12', '12.0')).toBe(0);
  });
});

describe('fitting a request into free capacity', () => {
  const free: Capacity = {
    cpus: 4,
    memoryBytes: 8 * GB,
    gpus: [
      { index: 0, memoryMiB: 24_000 },
      { index: 1, memoryMiB: 8_000 },
    ],
  };
  it('gives GPUs with enough memory', () => {
    expect(fitRequest(req({ cpus: 2, memory: GB, gpus: 1, gpu_memory: 16_000 * 1024 ** 2 }), free, {})).toEqual({
      fits: true,
      gpuIndexes: [0],
    });
  });
  it('says why a request does not fit', () => {
    expect(fitRequest(req({ gpus: 1 }), { ...free, gpus: [] }, {})).toEqual({
      fits: false,
      reason: 'it needs 1 GPU and none is free here',
    });
    expect(fitRequest(req({ cpus: 8 }), free, {})).toMatchObject({
      fits: false,
      reason: 'it needs 8 CPUs and 4 are free',
    });
    expect(fitRequest(req({ memory: 16 * GB }), free, {})).toMatchObject({
      fits: false,
      reason: /16.0 GB of memory and 8.0 GB/,
    });
    expect(fitRequest(req({ labels: ['cuda>=12'] }), free, {})).toMatchObject({
      fits: false,
      reason: /requires cuda>=12/,
    });
    expect(fitRequest(req({}), free, {}, ['network'], ['network'])).toMatchObject({
      fits: false,
      reason: /refuses tasks labelled "network"/,
    });
  });
  it('several jobs share a worker while they fit', () => {
    let left = free;
    const fits: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const r = req({ cpus: 1, memory: 2 * GB });
      const f = fitRequest(r, left, {});
      fits.push(f.fits);
      if (f.fits) left = subtract(left, r, f.gpuIndexes);
    }
    expect(fits).toEqual([true, true, true, true, false]);
  });
});

describe('donation policy', () => {
  const at = (day: number, hh: number, mm = 0) => new Date(2026, 10, 22 + day, hh, mm); // Nov 22 2026 is a Sunday
  const base = { now: at(1, 12), idleSeconds: 3600, otherCpuPercent: 5, runningJobs: 0 };
  it('takes jobs by default and says so', () => {
    expect(decideDonation(policy({}), base)).toEqual({
      takeNewJobs: true,
      ownerIsBack: false,
      reason: 'Ready: taking jobs that fit.',
    });
  });
  it.each([
    [{ paused: true }, {}, /Paused/],
    [{ finishThenStop: true }, { runningJobs: 2 }, /Finishing 2 jobs, then stopping/],
    [{ idleOnly: true, idleMinutes: 10 }, { idleSeconds: 30 }, /owner is active \(last input 30 s ago/],
    [{ idleOnly: true }, { idleSeconds: null }, /cannot tell when it is idle/],
    [{ maxSystemLoadPercent: 50 }, { otherCpuPercent: 80 }, /use 80% of the CPU \(limit 50%\)/],
    [
      { windows: [{ days: [1, 2, 3, 4, 5], start: '19:00', end: '07:00' }] },
      {},
      /Outside the donation hours \(Mon,Tue,Wed,Thu,Fri 19:00-07:00\)/,
    ],
  ])('%j refuses new jobs', (p, s, reason) => {
    const d = decideDonation(policy(p as Partial<DonationPolicy>), { ...base, ...s });
    expect(d.takeNewJobs).toBe(false);
    expect(d.reason).toMatch(reason);
  });
  it('flags the owner coming back while jobs run', () => {
    expect(decideDonation(policy({ idleOnly: true }), { ...base, idleSeconds: 5, runningJobs: 1 }).ownerIsBack).toBe(
      true,
    );
  });
  it('handles windows across midnight', () => {
    const nights = [{ days: [5], start: '22:00', end: '06:00' }]; // Friday night
    expect(inAnyWindow(nights, at(5, 23))).toBe(true);
    expect(inAnyWindow(nights, at(6, 5))).toBe(true); // Saturday early morning
    expect(inAnyWindow(nights, at(6, 7))).toBe(false);
    expect(inAnyWindow(nights, at(4, 23))).toBe(false);
  });
});
