// TRANSITIONAL: the list helpers for documents still written as plain strings, while the pages
// are converted to graphql(…) documents one group at a time. Removed with the last of them.
import { ref, shallowRef } from 'vue'
import { gql, messageOf } from './api'
import { clampPage, pageVariables } from './paging'

interface Page<N> { totalCount: number; nodes: N[] }

export function usePagedUntyped<N>(opts: { query: string; path: string; variables: () => Record<string, unknown>; size?: number; anonymous?: boolean }) {
  const anon = { anonymous: opts.anonymous === true }
  const rows = shallowRef<N[]>([])
  const total = ref(0)
  const page = ref(1)
  const size = ref(opts.size ?? 20)
  const loading = ref(false)
  const error = ref('')
  let asked = 0
  async function load(quiet = false): Promise<void> {
    const ticket = ++asked
    if (!quiet) loading.value = true
    error.value = ''
    try {
      const data = await gql<Record<string, Page<N>>>(opts.query, { ...opts.variables(), ...pageVariables(page.value, size.value) }, anon)
      const conn = data[opts.path]
      if (ticket !== asked) return
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
  const restart = () => { page.value = 1; return load() }
  const turn = (p: number) => { page.value = p; return load() }
  const resize = (s: number) => { size.value = s; return restart() }
  return { rows, total, page, size, loading, error, load, restart, turn, resize }
}

export async function gqlAllUntyped<N>(query: string, path: string, variables: Record<string, unknown> = {}, limit = 2000): Promise<N[]> {
  const nodes: N[] = []
  let after: string | null = null
  for (;;) {
    const data: Record<string, { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: N[] }> =
      await gql(query, { ...variables, first: 100, after })
    const page = data[path]
    nodes.push(...page.nodes)
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor || nodes.length >= limit) return nodes
    after = page.pageInfo.endCursor
  }
}
