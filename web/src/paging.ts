// Page numbers over the API's Relay cursors. The measures list pages by `first`/`after`
// (keyset cursors, at most 100 rows a request); the console shows numbered pages, so the cursor
// that ends the rows before page N is found by walking the list, reusing the cursors it has.

export const MAX_PAGE = 100

export function pageCount(total: number, size: number): number {
  return total <= 0 ? 1 : Math.ceil(total / size)
}

/** Page `page` (from 1) clamped into the pages that exist. */
export function clampPage(page: number, total: number, size: number): number {
  return Math.min(Math.max(1, Math.floor(page)), pageCount(total, size))
}

/** How many rows come before page `page`: the `after` cursor is the one of the last of them. */
export function rowsBefore(page: number, size: number): number {
  return (page - 1) * size
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
