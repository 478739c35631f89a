import type { SortingState } from '@tanstack/react-table';

/** Header clicks cycle ascending -> descending -> unsorted; shift-click adds the column to the order. */
export function nextSorting(current: SortingState, id: string, add: boolean): SortingState {
  const now = current.find((s) => s.id === id);
  const next = !now ? { id, desc: false } : !now.desc ? { id, desc: true } : null;
  const others = add ? current.filter((s) => s.id !== id) : [];
  return next ? [...others, next] : others;
}

/** The grid's sorting as query.fetch's `order_by` (`attr`, `attr DESC`); the server sorts. */
export function orderByOf(sorting: SortingState): string[] {
  return sorting.map((s) => (s.desc ? `${s.id} DESC` : s.id));
}
