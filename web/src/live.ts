// Live updates: one graphql-ws client per tab (graphql-transport-ws at /graphql/ws, same
// origin), signed in by the session cookie the browser sends on the upgrade. It connects when
// the first page subscribes and closes 3 s after the last one leaves (lazy); a dropped socket is
// retried with a growing wait (liveRetryDelay), and the subscriptions start again on the new
// socket. `live.connected` drives the 实时 mark in the header.
import { reactive } from 'vue'
import { createClient, type Client } from 'graphql-ws'
import { liveUrl } from './endpoints'
import type { TadaDocumentNode } from 'gql.tada'
import { apiErrorOf, unauthenticated, type ApiError, type GraphQLError } from './api'
import { documentText } from './graphql'

export const live = reactive({ connected: false })

export { liveUrl }

/**
 * How long to wait before reconnection attempt `retries` (0, 1, 2, …): 1 s, 2 s, 4 s … up to
 * 30 s, plus up to `jitter` of random spread so that a restarted server is not hit by every tab
 * at once.
 */
export function liveRetryDelay(retries: number, random: number = Math.random(), jitter = 1000): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, retries))
  return base + Math.floor(random * jitter)
}

/**
 * Whether a socket closed with this close code is worth opening again: the protocol's fatal
 * codes (4400 bad request, 4401 unauthorised, 4403 forbidden: the cookie no longer signs in)
 * are not; a dropped or restarted server is.
 */
export function liveRetries(code: number | undefined): boolean {
  return code === undefined || !(code === 4400 || code === 4401 || code === 4403 || code === 4406 || code === 4409)
}

let client: Client | null = null

function theClient(): Client {
  client ??= createClient({
    url: liveUrl(window.location),
    lazy: true,
    lazyCloseTimeout: 3000,
    retryAttempts: Number.MAX_SAFE_INTEGER,
    retryWait: (retries) => new Promise((r) => setTimeout(r, liveRetryDelay(retries))),
    shouldRetry: (e) => liveRetries((e as { code?: number } | null)?.code),
    on: {
      connected: () => { live.connected = true },
      closed: (e) => {
        live.connected = false
        const code = (e as { code?: number } | null)?.code
        if (code === 4401 || code === 4403) unauthenticated()
      },
    },
  })
  return client
}

/** Closes the socket (a login or logout: the next subscription signs in with the new cookie). */
export function closeLive(): void {
  client?.dispose()
  client = null
  live.connected = false
}

/**
 * Subscribes to a typed subscription document (`graphql(…)`); `onData` gets each payload's data.
 * Errors (a `next` with errors, or an `error` message) go to `onError`; an UNAUTHENTICATED one
 * ends the login. Returns the unsubscribe function (call it when the page goes).
 */
export function subscribe<R, V extends Record<string, unknown>>(
  document: TadaDocumentNode<R, V>,
  variables: V,
  onData: (data: R) => void,
  onError: (e: ApiError) => void = () => {},
): () => void {
  const stop = theClient().subscribe<R>(
    { query: documentText(document), variables },
    {
      next: (payload) => {
        const errors = payload.errors as readonly GraphQLError[] | undefined
        if (errors?.length) report(errors[0], onError)
        else if (payload.data) onData(payload.data)
      },
      error: (e) => {
        if (Array.isArray(e) && e.length) report(e[0] as GraphQLError, onError)
      },
      complete: () => {},
    },
  )
  let stopped = false
  return () => {
    if (stopped) return
    stopped = true
    stop()
  }
}

function report(error: GraphQLError, onError: (e: ApiError) => void): void {
  const e = apiErrorOf(error)
  if (e.code === 'UNAUTHENTICATED') unauthenticated()
  onError(e)
}

/** `fn` called once, `wait` ms after the last of a burst of calls. */
export function debounce(fn: () => void, wait: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null
  const call = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      fn()
    }, wait)
  }
  call.cancel = () => {
    if (timer) clearTimeout(timer)
    timer = null
  }
  return call
}

/**
 * `rows` with the row of `changed.id` replaced by `changed` (merged over it), or null when no
 * row of the page has that id (the change may still move rows in or out: refetch then).
 */
export function patched<R extends { id: string }>(rows: readonly R[], changed: Partial<R> & { id: string }): R[] | null {
  const at = rows.findIndex((r) => r.id === changed.id)
  if (at < 0) return null
  const next = rows.slice()
  next[at] = { ...rows[at], ...changed }
  return next
}
