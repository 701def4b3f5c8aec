// Page numbers over the API's connections: page N of size `first` is the rows after the first
// (N − 1) × first, asked with `offset` (docs/api.md), so a page costs one request wherever it is.
// Every list the console pages takes `offset`, the audit trail's (`auditEvents`) included.

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

/** The variables that ask one page of a connection. */
export interface PageVariables {
  first: number
  offset: number
}

/** The `first` and `offset` variables of page `page` of size `size` (the size within the cap). */
export function pageVariables(page: number, size: number): PageVariables {
  const first = Math.min(Math.max(1, Math.floor(size)), MAX_PAGE)
  return { first, offset: rowsBefore(page, first) }
}
