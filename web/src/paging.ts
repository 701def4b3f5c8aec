// Page numbers over the API's connections: page N of size `first` is the rows after the first
// (N − 1) × first, asked with `offset` (docs/api.md), so a page costs one request wherever it is.
// The audit trail's list (`auditEvents`) takes no offset: its pages are found by walking its
// cursors (CursorIndex), reusing the ones already read.

/** The page cap of the API (`first` at most 100). */
export const MAX_PAGE = 100

export function pageCount(total: number, size: number): number {
  return total <= 0 ? 1 : Math.ceil(total / size)
}

/** Page `page` (from 1) clamped into the pages that exist. */
export function clampPage(page: number, total: number, size: number): number {
  return Math.min(Math.max(1, Math.floor(page)), pageCount(total, size))
}

/** How many rows come before page `page` (from 1): the `offset` that asks for it. */
export function rowsBefore(page: number, size: number): number {
  return (Math.max(1, Math.floor(page)) - 1) * size
}

/** The `first` and `offset` variables of page `page` of size `size` (the size within the cap). */
export function pageVariables(page: number, size: number): { first: number; offset: number } {
  const first = Math.min(Math.max(1, Math.floor(size)), MAX_PAGE)
  return { first, offset: rowsBefore(page, first) }
}

/**
 * A map from "rows before" to the cursor after which they end, filled as pages are read; the
 * walk to an unread page starts from the nearest known point below it.
 */
export class CursorIndex {
  private known = new Map<number, string>()

  /** Records that `cursor` is the cursor of row number `rows` (1-based). */
  remember(rows: number, cursor: string): void {
    this.known.set(rows, cursor)
  }

  clear(): void {
    this.known.clear()
  }

  /** The nearest known point at or below `rows`: how many rows it covers and its cursor. */
  nearest(rows: number): { rows: number; cursor: string | null } {
    let best = 0
    let cursor: string | null = null
    for (const [n, c] of this.known) {
      if (n <= rows && n > best) {
        best = n
        cursor = c
      }
    }
    return { rows: best, cursor }
  }

  /** The sizes of the requests that walk from the nearest known point to `rows`. */
  walk(rows: number): number[] {
    const steps: number[] = []
    let left = rows - this.nearest(rows).rows
    while (left > 0) {
      const step = Math.min(left, MAX_PAGE)
      steps.push(step)
      left -= step
    }
    return steps
  }
}
