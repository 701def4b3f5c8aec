// A numbered-page table over a connection: page N is asked with `first` and
// `offset: (N − 1) × first` (paging.ts). `query` selects
// `<path>(…, first: $first, offset: $offset) { totalCount nodes { … } }`. A list without
// `offset` (the audit trail's) gives `cursors` too: then `query` takes `$after` and selects
// `edges { cursor node { … } }`, `cursors` the same list with `edges { cursor }` only, and the
// cursor ending page N − 1 is found by walking the list (CursorIndex).
import { ref, shallowRef } from 'vue'
import { gql, messageOf } from './api'
import { CursorIndex, clampPage, pageVariables, rowsBefore } from './paging'

interface Page<N> { totalCount?: number; nodes?: N[]; edges?: { cursor?: string; node?: N }[] }

export function usePaged<N>(opts: {
  query: string
  /** Only for a list without `offset`: walk its cursors. */
  cursors?: string
  path: string
  variables: () => Record<string, unknown>
  size?: number
  /** Send no cookie (the public pages). */
  anonymous?: boolean
}) {
  const anon = { anonymous: opts.anonymous === true }
  const rows = shallowRef<N[]>([])
  const total = ref(0)
  const page = ref(1)
  const size = ref(opts.size ?? 20)
  const loading = ref(false)
  const error = ref('')
  let asked = 0
  const index = new CursorIndex()

  /** The `after` of page `p` of a list without offset, walking from the nearest cursor known. */
  async function cursorBefore(p: number, cursors: string): Promise<string | null> {
    const before = rowsBefore(p, size.value)
    if (before === 0) return null
    let { rows: at, cursor } = index.nearest(before)
    for (const step of index.walk(before)) {
      const data = await gql<Record<string, Page<N>>>(cursors, { ...opts.variables(), first: step, after: cursor }, anon)
      const edges = data[opts.path].edges ?? []
      edges.forEach((e, i) => e.cursor && index.remember(at + i + 1, e.cursor))
      at += edges.length
      cursor = edges.at(-1)?.cursor ?? cursor
      if (edges.length < step) break
    }
    return cursor
  }

  async function pageOf(p: number): Promise<Page<N>> {
    if (!opts.cursors) {
      const data = await gql<Record<string, Page<N>>>(opts.query, { ...opts.variables(), ...pageVariables(p, size.value) }, anon)
      return data[opts.path]
    }
    const after = await cursorBefore(p, opts.cursors)
    const data = await gql<Record<string, Page<N>>>(opts.query, { ...opts.variables(), first: size.value, after }, anon)
    const conn = data[opts.path]
    const start = rowsBefore(p, size.value)
    ;(conn.edges ?? []).forEach((e, i) => e.cursor && index.remember(start + i + 1, e.cursor))
    return conn
  }

  /** `quiet`: no loading mask (a refresh after a live change). */
  async function load(quiet = false): Promise<void> {
    const ticket = ++asked
    if (!quiet) loading.value = true
    error.value = ''
    try {
      const conn = await pageOf(page.value)
      if (ticket !== asked) return // a later request (another page, a new filter) wins
      total.value = conn.totalCount ?? 0
      rows.value = conn.nodes ?? (conn.edges ?? []).map((e) => e.node as N)
      const clamped = clampPage(page.value, total.value, size.value)
      if (clamped !== page.value) {
        page.value = clamped
        await load(quiet)
      }
    } catch (e) {
      if (ticket === asked) error.value = messageOf(e)
    } finally {
      if (ticket === asked) loading.value = false
    }
  }

  /** A new filter or order: page 1 (and no cursor known). */
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
