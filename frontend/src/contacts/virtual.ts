// Virtual scrolling arithmetic: only the rows in view (plus an overscan) are
// drawn, and only the pages holding them are fetched.

export const ROW_HEIGHT = 44 // px, every row
export const HEADER_HEIGHT = 40 // px, the sticky header inside the scroller
export const OVERSCAN = 8 // rows drawn above and below the viewport
export const PAGE_SIZE = 100 // rows per QueryContacts call
export const MAX_PAGES = 30 // pages kept in the cache (3,000 rows)

/** A half-open range of row indexes [start, end). */
export interface Range {
  start: number
  end: number
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v))
}

/**
 * The rows to draw for a scroll position: those intersecting the viewport
 * (`viewport` px of rows, header excluded), widened by `overscan` each side.
 */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 0): Range {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 }
  const top = Math.max(0, scrollTop)
  const first = Math.floor(top / rowHeight)
  const last = Math.ceil((top + Math.max(0, viewport)) / rowHeight)
  return { start: clamp(first - overscan, 0, total), end: clamp(last + overscan, 0, total) }
}

/** The page holding a row. */
export function pageOf(index: number, pageSize: number): number {
  return Math.floor(Math.max(0, index) / pageSize)
}

/** Every page a range touches, in order; page 0 for an empty range (it tells the total). */
export function pagesFor(range: Range, pageSize: number): number[] {
  if (range.end <= range.start) return [pageOf(range.start, pageSize)]
  const first = pageOf(range.start, pageSize)
  const last = pageOf(range.end - 1, pageSize)
  const pages: number[] = []
  for (let p = first; p <= last; p++) pages.push(p)
  return pages
}

/** The scrollTop that brings a row fully into view, moving as little as possible. */
export function revealScrollTop(index: number, scrollTop: number, viewport: number, rowHeight: number): number {
  const top = index * rowHeight
  const bottom = top + rowHeight
  if (top < scrollTop) return top
  if (bottom > scrollTop + viewport) return Math.max(0, bottom - viewport)
  return scrollTop
}

/** How many whole rows fit in the viewport (at least 1), for Page Up/Down. */
export function rowsPerViewport(viewport: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewport / rowHeight))
}
