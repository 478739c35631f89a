import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ApiError } from '../../../shared/api/client';
import type { QueryFetchInput, QueryPage } from '../../../shared/api/schemas/query';
import { api } from '../../api/client';
import { apiQueryKey } from '../../api/query-keys';
import { pagesFor } from './page-window';

/** Rows loaded so far for the visible window, by row index. */
export interface GridPages {
  rowAt(index: number): Record<string, unknown> | undefined;
  isFetching: boolean;
  /** Changes whenever a loaded page changes (new rows after a write). */
  version: string;
  error: ApiError | null;
}

interface Args {
  connectionId: string;
  query: string;
  orderBy: string[];
  pageSize: number;
  total: number;
  first: number;
  last: number;
  enabled: boolean;
}

// pages are asked for once the scroll position has rested this long, so dragging the scrollbar
// across 1M rows does not fetch every page it passes
const SETTLE_MS = 60;

/** A page is as tall as the viewport, so the visible rows fall on at most two pages. */
const SLOTS = 2;

function pageInput(a: Args, page: number | undefined): QueryFetchInput | null {
  if (page === undefined) return null;
  return {
    connectionId: a.connectionId,
    query: a.query,
    offset: page * a.pageSize,
    limit: a.pageSize,
    ...(a.orderBy.length ? { order_by: a.orderBy } : {}),
  };
}

function usePage(input: QueryFetchInput | null) {
  return useQuery<QueryPage, ApiError>({
    queryKey: input ? apiQueryKey('query.fetch', input) : ['query.fetch', 'none'],
    queryFn: () => api.call('query.fetch', input!),
    enabled: input !== null,
    staleTime: 30_000,
  });
}

/** Fetches (query.fetch, limit/offset) only the pages of the visible rows, each cached by TanStack Query. */
export function useGridPages(a: Args): GridPages {
  const [rested, setRested] = useState({ first: a.first, last: a.last, pageSize: a.pageSize });
  useEffect(() => {
    const t = setTimeout(() => setRested({ first: a.first, last: a.last, pageSize: a.pageSize }), SETTLE_MS);
    return () => clearTimeout(t);
  }, [a.first, a.last, a.pageSize]);
  // a new page size (the viewport was measured or resized) applies at once: the rested range
  // was measured in the old rows per screen and would fetch a page that is not on screen
  const range = rested.pageSize === a.pageSize ? rested : a;

  const pages = a.enabled ? pagesFor(range.first, range.last, a.pageSize, a.total).slice(0, SLOTS) : [];
  const slot0 = usePage(pageInput(a, pages[0]));
  const slot1 = usePage(pageInput(a, pages[1]));
  const slots = [slot0, slot1];

  return {
    rowAt: (index) => {
      const page = Math.floor(index / a.pageSize);
      const i = pages.indexOf(page);
      return i < 0 ? undefined : slots[i]!.data?.rows[index - page * a.pageSize];
    },
    isFetching: slots.some((s) => s.isFetching),
    version: `${pages.join('/')}@${slots.map((s) => s.dataUpdatedAt).join('/')}`,
    error: slots.find((s) => s.error)?.error ?? null,
  };
}
