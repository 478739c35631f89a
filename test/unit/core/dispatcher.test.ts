import { describe, expect, it, vi } from 'vitest';
import type { Handlers } from '../../../shared/api/contract';
import { appError } from '../../../shared/errors';
import type { CallContext } from '../../../electron/core/rpc/call-context';
import { createDispatcher } from '../../../electron/core/rpc/dispatcher';
import { silentLogger } from '../../../electron/core/log';

const info = {
  name: 'Joinery',
  version: '1',
  host: 'cli',
  platform: 'linux',
  nodeVersion: '20',
  dataDir: '/d',
  defaultDbUrl: 'sqlite:/d/j.db',
  capabilities: { nativeDialogs: false, secretStore: 'memory' },
} as const;

function handlers(overrides: Partial<Handlers<CallContext>>): Handlers<CallContext> {
  const missing = async () => {
    throw new Error('not under test');
  };
  return new Proxy(overrides, {
    get: (t, k) => (t as Record<string, unknown>)[k as string] ?? missing,
  }) as Handlers<CallContext>;
}
const ctx = { transport: 'in-process', host: 'cli' } as const;

describe('dispatcher', () => {
  it('validates input and returns the value', async () => {
    const d = createDispatcher(handlers({ 'app.info': async () => ({ ...info }) }), silentLogger);
    expect(await d('app.info', {}, ctx)).toEqual({ ok: true, value: info });
  });

  it('rejects an unknown method', async () => {
    const d = createDispatcher(handlers({}), silentLogger);
    const r = await d('drop.everything', {}, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('rejects invalid input with the field, without calling the handler', async () => {
    const open = vi.fn();
    const d = createDispatcher(handlers({ 'connection.open': open }), silentLogger);
    const r = await d('connection.open', { url: 42 }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { field: 'url' } } });
    expect(open).not.toHaveBeenCalled();
    expect(await d('app.info', { extra: 1 }, ctx)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('passes AppErrors through and hides anything else', async () => {
    const log = { ...silentLogger, error: vi.fn() };
    const d = createDispatcher(
      handlers({
        'connection.close': async () => {
          throw appError('NOT_CONNECTED', 'gone', { hint: 'reopen' });
        },
        'connection.list': async () => {
          throw new TypeError('secret internals at /src/x.ts:1');
        },
      }),
      log,
    );
    expect(await d('connection.close', { connectionId: 'x' }, ctx)).toEqual({
      ok: false,
      error: { code: 'NOT_CONNECTED', message: 'gone', hint: 'reopen' },
    });
    const r = await d('connection.list', {}, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(r)).not.toContain('secret internals');
    expect(log.error).toHaveBeenCalled();
  });

  it('refuses to return a value outside the contract', async () => {
    const d = createDispatcher(handlers({ 'app.info': async () => ({ name: 'Other' }) as never }), silentLogger);
    expect(await d('app.info', {}, ctx)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
