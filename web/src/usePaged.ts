// A numbered-page table over a Relay connection: the rows of page N are fetched after the cursor
// that ends page N−1, found through paging.ts's CursorIndex. `query` selects
// `<path>(…, first: $first, after: $after) { totalCount edges { cursor node { … } } }`;
// `cursors` the same list with `edges { cursor }` only.
import { ref, shallowRef } from 'vue'
import { gql, messageOf } from './api'
import { CursorIndex, clampPage, rowsBefore } from './paging'

interface Edges<N> { totalCount?: number; edges: { cursor: string; node?: N }[] }

export function usePaged<N>(opts: {
  query: string
  cursors: string
  path: string
  variables: () => Record<string, unknown>
  size?: number
  /** Send no token (the public pages). */
  anonymous?: boolean
}) {
  const anon = { anonymous: opts.anonymous === true }
  const rows = shallowRef<N[]>([])
  const total = ref(0)
  const page = ref(1)
  const size = ref(opts.size ?? 20)
  const loading = ref(false)
  const error = ref('')
  const index = new CursorIndex()

  async function cursorBefore(p: number): Promise<string | null> {
    const before = rowsBefore(p, size.value)
    if (before === 0) return null
    let { rows: at, cursor } = index.nearest(before)
    for (const step of index.walk(before)) {
      const data = await gql<Record<string, Edges<N>>>(opts.cursors, { ...opts.variables(), first: step, after: cursor }, anon)
      const edges = data[opts.path].edges
      edges.forEach((e, i) => index.remember(at + i + 1, e.cursor))
      at += edges.length
      cursor = edges.at(-1)?.cursor ?? cursor
      if (edges.length < step) break
    }
    return cursor
  }

  async function load(): Promise<void> {
    loading.value = true
    error.value = ''
    try {
      const after = await cursorBefore(page.value)
      const data = await gql<Record<string, Edges<N>>>(opts.query, { ...opts.variables(), first: size.value, after }, anon)
      const conn = data[opts.path]
      total.value = conn.totalCount ?? 0
      const start = rowsBefore(page.value, size.value)
      conn.edges.forEach((e, i) => index.remember(start + i + 1, e.cursor))
      rows.value = conn.edges.map((e) => e.node as N)
      const clamped = clampPage(page.value, total.value, size.value)
      if (clamped !== page.value) {
        page.value = clamped
        await load()
      }
    } catch (e) {
      error.value = messageOf(e)
    } finally {
      loading.value = false
    }
  }

  /** A new filter or order: page 1, no known cursors. */
  function restart(): Promise<void> {
    index.clear()
    page.value = 1
    return load()
  }

  function turn(p: number): Promise<void> {
    page.value = p
    return load()
  }

  function resize(s: number): Promise<void> {
    size.value = s
    return restart()
  }

  return { rows, total, page, size, loading, error, load, restart, turn, resize }
}
