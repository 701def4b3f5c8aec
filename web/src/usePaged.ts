// A numbered-page table over a connection: page N is asked with `first` and
// `offset: (N − 1) × first` (paging.ts), one request whatever the page. `query` is a typed
// document selecting `<list>(…, first: $first, offset: $offset) { totalCount nodes { … } }`,
// `connection` picks that list out of its answer (the rows' type is its nodes'), and `variables`
// makes the request's variables from the page's `first` and `offset` and the filter shown.
// `data` is the whole answer of the page shown, for what a page reads beside the rows (figures
// the same request gives, such as `missingReports`' counts).
import { ref, shallowRef } from 'vue'
import type { TadaDocumentNode } from 'gql.tada'
import { gqlRequest, messageOf } from './api'
import { clampPage, pageVariables, type PageVariables } from './paging'

/** What a numbered page reads of a connection. */
export interface Paged<N> {
  totalCount: number
  nodes: N[]
}

export function usePaged<R, V, N>(opts: {
  query: TadaDocumentNode<R, V>
  connection: (data: R) => Paged<N>
  variables: (page: PageVariables) => V
  size?: number
  /** Send no cookie (the public pages). */
  anonymous?: boolean
}) {
  const anon = { anonymous: opts.anonymous === true }
  const rows = shallowRef<N[]>([])
  const data = shallowRef<R | null>(null)
  const total = ref(0)
  const page = ref(1)
  const size = ref(opts.size ?? 20)
  const loading = ref(false)
  const error = ref('')
  let asked = 0

  /** `quiet`: no loading mask (a refresh after a live change). */
  async function load(quiet = false): Promise<void> {
    const ticket = ++asked
    if (!quiet) loading.value = true
    error.value = ''
    try {
      const answer = await gqlRequest(opts.query, opts.variables(pageVariables(page.value, size.value)), anon)
      if (ticket !== asked) return // a later request (another page, a new filter) wins
      const conn = opts.connection(answer)
      data.value = answer
      total.value = conn.totalCount
      rows.value = conn.nodes
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

  /** A new filter or order: page 1. */
  function restart(): Promise<void> {
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

  return { rows, data, total, page, size, loading, error, load, restart, turn, resize }
}
