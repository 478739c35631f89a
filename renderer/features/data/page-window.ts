/**
 * Which pages of rows the grid needs: the pages that the visible rows fall on, each page exactly
 * as many rows as fit in the viewport, so scrolling by one screen fetches one screen of rows and
 * never the table (the bench `diagram-500` checks this on a 1M-row table).
 */

/** Height of one grid row in pixels (fixed, so a row's position is index × height). */
export const ROW_HEIGHT = 30;

/** Browsers cap an element's height near 33.5M px; the scrolled area stays below this. */
export const MAX_SCROLL_PX = 30_000_000;

/** Rows per page for a viewport: the rows that fit, at least 10. */
export function pageSizeFor(viewportPx: number): number {
  return Math.max(10, Math.ceil(viewportPx / ROW_HEIGHT));
}

/** The rows the scroll area can hold; beyond this the grid says to restrict. */
export function scrollableRows(total: number): number {
  return Math.min(total, Math.floor(MAX_SCROLL_PX / ROW_HEIGHT));
}

/** Indexes of the pages holding rows `first..last` (inclusive), within `total` rows. */
export function pagesFor(first: number, last: number, pageSize: number, total: number): number[] {
  if (total <= 0 || last < first) return [];
  const lastRow = Math.min(last, total - 1);
  const from = Math.floor(Math.max(0, first) / pageSize);
  const to = Math.floor(lastRow / pageSize);
  const out: number[] = [];
  for (let p = from; p <= to; p++) out.push(p);
  return out;
}

/** The visible row range for a scroll position: rows touched by [scrollTop, scrollTop + height). */
export function visibleRows(scrollTop: number, viewportPx: number): { first: number; last: number } {
  const first = Math.floor(Math.max(0, scrollTop) / ROW_HEIGHT);
  const last = Math.floor((Math.max(0, scrollTop) + Math.max(1, viewportPx) - 1) / ROW_HEIGHT);
  return { first, last };
}
