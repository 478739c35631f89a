import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventData } from '../../../shared/api/contract';
import { createTestCore } from '../../support/core';
import { declareItems, ENGINES, openJobsSetup, type JobsSetup } from '../jobs/support';

const CTX = { transport: 'in-process', host: 'web' } as const;

/** What the notifications and the Workers screen read from the core: preferences, failures, load. */
describe.each(ENGINES)('notification events and preferences on $name', (engine) => {
  let s: JobsSetup;
  beforeAll(async () => {
    if (engine.skip) return;
    s = await openJobsSetup(engine.name, 'notify');
    await declareItems(s, 4);
  });
  afterAll(async () => {
    await s?.close();
  });

  it.skipIf(engine.skip)('a failing job is announced as jobs.failed with its table, key and message', async () => {
    const script = [
      "const fs = require('fs'), p = require('path');",
      "const key = JSON.parse(fs.readFileSync(p.join(process.env.JOINERY_IN, 'key.json')));",
      "if (key.item_id >= 2) { console.error('no data for item ' + key.item_id); process.exit(4); }",
      "fs.writeFileSync(p.join(process.env.JOINERY_OUT, 'result.json'), JSON.stringify({ rows: [{ value: 1 }] }));",
    ].join('\n');
    await s.call('task.set', {
      schema: s.schema,
      table: '__square',
      spec: { command: [process.execPath, '-e', script], retries: 0 },
    });
    const failed: EventData<'jobs.failed'>[] = [];
    const finished: EventData<'jobs.finished'>[] = [];
    const off = s.core.events.subscribe((event, d) => {
      if (event === 'jobs.failed') failed.push(d as EventData<'jobs.failed'>);
      if (event === 'jobs.finished') finished.push(d as EventData<'jobs.finished'>);
    });
    const summary = await s.populate({ schema: s.schema, table: '__square', runner: 'process' });
    off();
    expect(summary.tables[0]).toMatchObject({ done: 2, failed: 2 });
    expect(failed.map((f) => f.key.item_id).sort()).toEqual([2, 3]);
    expect(failed[0]).toMatchObject({
      connectionId: s.connectionId,
      table: `${s.schema}.__square`,
      workerId: null,
      message: expect.stringMatching(/exited with status 4: no data for item/),
    });
    expect(finished).toHaveLength(1);
  });
});

describe.each(ENGINES)('callbacks.changed on $name', (engine) => {
  it.skipIf(engine.skip)(
    'adding and removing a callback is announced, so every Settings screen reads them again',
    async () => {
      const s = await openJobsSetup(engine.name, 'cbev');
      try {
        await declareItems(s, 0);
        const seen: unknown[] = [];
        s.core.events.subscribe((event, d) => {
          if (event === 'callbacks.changed') seen.push(d);
        });
        const added = await s.call('jobs.addCallback', {
          schema: s.schema,
          table: '__square',
          event: 'failure',
          action: 'webhook',
          target: 'http://127.0.0.1:9/hook',
        });
        await s.call('jobs.removeCallback', { schema: s.schema, callback_id: added.callback_id });
        expect(seen).toEqual([
          { connectionId: s.connectionId, schema: s.schema },
          { connectionId: s.connectionId, schema: s.schema },
        ]);
        await expect(
          s.call('jobs.addCallback', {
            schema: s.schema,
            table: '__square',
            event: 'failure',
            action: 'webhook',
            target: 'ftp://x',
          }),
        ).rejects.toMatchObject({ data: { code: 'VALIDATION', details: { field: 'target' } } });
        expect(seen).toHaveLength(2);
      } finally {
        await s.close();
      }
    },
  );
});

describe('preferences and load through the API', () => {
  it('saves preferences per part, announces them, and refuses bad values naming the field', async () => {
    const { core } = createTestCore('web');
    const call = (m: string, input: object) => core.dispatch(m, input, CTX);
    expect(await call('settings.preferences', {})).toMatchObject({
      ok: true,
      value: { notifications: { inApp: true, system: true, groupWindowS: 60 }, desktop: { openAtLogin: false } },
    });
    const seen: unknown[] = [];
    core.events.subscribe((event, d) => {
      if (event === 'settings.changed') seen.push(d);
    });
    const notifications = {
      inApp: true,
      system: false,
      jobFailures: true,
      tableFinished: false,
      workerOffline: true,
      groupWindowS: 120,
    };
    const saved = await call('settings.setPreferences', { notifications });
    expect(saved).toMatchObject({ ok: true, value: { notifications, desktop: { openAtLogin: false } } });
    expect(seen).toEqual([(saved as { value: unknown }).value]);
    await call('settings.setPreferences', { desktop: { openAtLogin: true } });
    expect(await call('settings.preferences', {})).toMatchObject({
      value: { notifications: { groupWindowS: 120 }, desktop: { openAtLogin: true } },
    });

    const bad = await call('settings.setPreferences', { notifications: { ...notifications, groupWindowS: 1 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(JSON.stringify(bad)).toMatch(/groupWindowS/);
    const unknown = await call('settings.setPreferences', { notifications: { ...notifications, sound: true } });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await core.dispose();
  });

  it('samples this machine’s load', async () => {
    const { core } = createTestCore('web');
    const r = await core.dispatch('workers.load', {}, CTX);
    expect(r.ok).toBe(true);
    const load = (r as { value: { cpuPercent: number; memoryAvailableBytes: number; idleSeconds: null } }).value;
    expect(load.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(load.cpuPercent).toBeLessThanOrEqual(100);
    expect(load.memoryAvailableBytes).toBeGreaterThan(0);
    expect(load.idleSeconds).toBeNull();
    await core.dispose();
  });
});
