import { QueryObserver } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { apiQueryKey, INVALIDATIONS, isInvalidatedBy } from '../../../renderer/api/query-keys';
import { createQueryClient, invalidateOnCoreEvents } from '../../../renderer/api/query-client';
import { createFakeApi } from './fake-api';

describe('server state: core events invalidate queries', () => {
  it('an insert makes the data and counts of its connection stale, not another connection', () => {
    const inv = INVALIDATIONS['data.inserted']({ connectionId: 'c1', table: 'lab.subject', rows: 1 });
    expect(
      isInvalidatedBy(apiQueryKey('data.fetch', { connectionId: 'c1', schema: 'lab', table: 'Subject' }), inv),
    ).toBe(true);
    expect(isInvalidatedBy(apiQueryKey('pipeline.inspect', { connectionId: 'c1' }), inv)).toBe(true);
    expect(isInvalidatedBy(apiQueryKey('pipeline.inspect', { connectionId: 'c2' }), inv)).toBe(false);
    expect(isInvalidatedBy(apiQueryKey('workers.probe', {}), inv)).toBe(false);
  });

  it('worker status events reach queries with no connection', () => {
    const inv = INVALIDATIONS['workers.status']({} as never);
    expect(isInvalidatedBy(apiQueryKey('workers.settings', {}), inv)).toBe(true);
  });

  it('an event from the core refetches the matching cached query once', async () => {
    let inspected = 0;
    const { api, emit } = createFakeApi({
      'pipeline.inspect': () => {
        inspected++;
        return { dialect: 'sqlite', server_version: '3', schemas: {} } as never;
      },
    });
    const client = createQueryClient();
    const off = invalidateOnCoreEvents(client, api);
    const key = apiQueryKey('pipeline.inspect', { connectionId: 'c1' });
    // an observed query, as a mounted screen has
    const observer = new QueryObserver(client, {
      queryKey: key,
      queryFn: () => api.call('pipeline.inspect', { connectionId: 'c1' }),
    });
    const unsubscribe = observer.subscribe(() => undefined);
    await vi.waitFor(() => expect(observer.getCurrentResult().isSuccess).toBe(true));
    expect(inspected).toBe(1);
    emit('jobs.changed', { connectionId: 'other', tables: [], source: 'poll' });
    emit('jobs.changed', { connectionId: 'c1', tables: ['lab.__x'], source: 'poll' });
    await vi.waitFor(() => expect(inspected).toBe(2));
    unsubscribe();
    off();
  });
});
