import { QueryClientProvider } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { api } from './client';
import { createQueryClient, invalidateOnCoreEvents } from './query-client';

/** The page's one server-state cache (exported for tests and for imperative prefetching). */
export const queryClient = createQueryClient();

/** Provides the cache and keeps it in step with the core's events. */
export function ServerStateProvider({ children }: { children: ReactNode }) {
  useEffect(() => invalidateOnCoreEvents(queryClient, api), []);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
