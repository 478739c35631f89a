import { QueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../shared/api/client';
import { type EventName, events } from '../../shared/api/contract';
import { INVALIDATIONS, isInvalidatedBy } from './query-keys';

/** The page's server-state cache; failures are shown by the screens, not retried blindly. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, staleTime: 30_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/**
 * Subscribes to every core event and invalidates the queries the table in query-keys.ts names.
 * Returns the unsubscribe function.
 */
export function invalidateOnCoreEvents(client: QueryClient, api: ApiClient): () => void {
  const offs = (Object.keys(events) as EventName[]).map((event) =>
    api.on(event, (data) => {
      const inv = (INVALIDATIONS[event] as (d: unknown) => ReturnType<(typeof INVALIDATIONS)[typeof event]>)(data);
      void client.invalidateQueries({ predicate: (q) => isInvalidatedBy(q.queryKey, inv) });
    }),
  );
  return () => offs.forEach((off) => off());
}
