import {
  useMutation,
  useQueries,
  useQuery,
  type UseMutationOptions,
  type UseMutationResult,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { ApiError } from '../../shared/api/client';
import type { EventData, EventName, MethodName, Out, RawIn } from '../../shared/api/contract';
import { api } from './client';
import { apiQueryKey, type ApiQueryKey } from './query-keys';

/** Options of {@link useApiQuery}: TanStack Query's, less the key and function it builds itself. */
export type ApiQueryOptions<M extends MethodName, T = Out<M>> = Omit<
  UseQueryOptions<Out<M>, ApiError, T, ApiQueryKey<M>>,
  'queryKey' | 'queryFn'
>;

/**
 * Server state: `method(input)` cached under `[method, input]`, refetched when a core event
 * makes it stale (query-keys.ts). Pass `enabled: false` while an input is not known yet.
 */
export function useApiQuery<M extends MethodName, T = Out<M>>(
  method: M,
  input: RawIn<M>,
  options: ApiQueryOptions<M, T> = {},
): UseQueryResult<T, ApiError> {
  return useQuery({
    queryKey: apiQueryKey(method, input),
    queryFn: () => api.call(method, input),
    ...options,
  });
}

/**
 * Several calls of one method at once (the pages of a long list that are in view), each cached
 * under its own `[method, input]` so an event refetches only the pages on screen.
 */
export function useApiQueries<M extends MethodName>(
  method: M,
  inputs: readonly RawIn<M>[],
  options: Omit<ApiQueryOptions<M>, 'select'> = {},
): UseQueryResult<Out<M>, ApiError>[] {
  return useQueries({
    queries: inputs.map((input) => ({
      queryKey: apiQueryKey(method, input),
      queryFn: () => api.call(method, input),
      ...options,
    })),
  });
}

/** A call that changes something; the core's events then invalidate what it touched. */
export function useApiMutation<M extends MethodName, C = unknown>(
  method: M,
  options: Omit<UseMutationOptions<Out<M>, ApiError, RawIn<M>, C>, 'mutationFn'> = {},
): UseMutationResult<Out<M>, ApiError, RawIn<M>, C> {
  return useMutation({ mutationFn: (input: RawIn<M>) => api.call(method, input), ...options });
}

/**
 * Polls cheap counts on the core while mounted, so rows and jobs written by other clients (the CLI,
 * DataJoint Python) arrive as `jobs.changed` events within `intervalMs`. `schemas` limits the
 * polling to those schemas (a screen showing a few schemas of a big server).
 */
export function useLiveWatch(connectionId: string | null, intervalMs = 2000, schemas?: readonly string[]): void {
  const only = schemas?.join('\n');
  useEffect(() => {
    if (!connectionId) return;
    const scope = only === undefined ? {} : { schemas: only === '' ? [] : only.split('\n') };
    void api.call('jobs.watch', { connectionId, interval_ms: intervalMs, ...scope }).catch(() => undefined);
    return () => {
      void api.call('jobs.watch', { connectionId, interval_ms: 0 }).catch(() => undefined);
    };
  }, [connectionId, intervalMs, only]);
}

/**
 * Calls `listener` for each core event `event` while mounted (notifications, live tails). Cached
 * server state needs no listener: query-keys.ts already makes it stale.
 */
export function useCoreEvent<E extends EventName>(event: E, listener: (data: EventData<E>) => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => api.on(event, (data) => latest.current(data)), [event]);
}
