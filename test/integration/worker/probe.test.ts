import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { HardwareProfile } from '../../../shared/api/schemas/worker';
import { createTestCore } from '../../support/core';
import { isSkipped } from '../../support/env';
import { hardwareLabels, sampleLoad } from '../../../electron/core/worker/probe';

/** The probe reads this machine as it is (no GPU here: an empty list, not an error). */
describe('hardware probe', () => {
  it.skipIf(isSkipped('docker'))('reports CPU, memory, GPUs, OS, Docker and disk through the API', async () => {
    const { core } = createTestCore();
    const res = await core.dispatch('workers.probe', {}, { transport: 'in-process', host: 'cli' });
    expect(res.ok).toBe(true);
    const hw = HardwareProfile.parse((res as { value: unknown }).value);
    expect(hw.cpu.threads).toBe(os.cpus().length);
    expect(hw.memoryBytes).toBe(os.totalmem());
    expect(hw.docker).toMatchObject({ available: true, problem: null });
    expect(hw.docker.version).toMatch(/^\d+\.\d+/);
    expect(hw.diskFreeBytes).toBeGreaterThan(0);
    expect(Array.isArray(hw.gpus)).toBe(true);
    const labels = hardwareLabels(hw);
    expect(labels).toMatchObject({ os: 'linux', docker: hw.docker.version });
    if (hw.gpus.length === 0) expect(labels.cuda).toBeUndefined();
    await core.dispose();
  });

  it('samples load synchronously, in range', () => {
    sampleLoad();
    const s = sampleLoad(() => 12);
    expect(s.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(s.cpuPercent).toBeLessThanOrEqual(100);
    expect(s.idleSeconds).toBe(12);
  });
});
