// The console talks to the public GraphQL API only, as any client does: POST /graphql, signed
// in by the HttpOnly session cookie that POST /session set (page scripts never see the token).
// Every request sends `X-Requested-With: taizhang`, which the server asks of a cookie-signed
// request other than GET (CSRF), and the cookie only to this origin.

import type { TadaDocumentNode } from 'gql.tada'
import { CSRF_HEADERS } from './endpoints'
import { documentText } from './graphql'
import { multipartForm } from './transfer'

export { CSRF_HEADERS }

/** One condition of the close-out gate the server found unmet (`extensions.unmet`). */
export interface Unmet {
  field: string
  message: string
}

export class ApiError extends Error {
  code: string
  field: string | null
  /** The response's `x-request-id`, for the user to quote (the server's log has it). */
  requestId: string | null
  unmet: Unmet[]
  constructor(message: string, code: string, field: string | null, requestId: string | null = null, unmet: Unmet[] = []) {
    super(message)
    this.code = code
    this.field = field
    this.requestId = requestId
    this.unmet = unmet
  }
}

/** Called when the server refuses the session (expired, logged out elsewhere). */
let onUnauthenticated: () => void = () => {}

export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler
}

/** Tells the shell that the session is gone (also used by the subscription socket). */
export function unauthenticated(): void {
  onUnauthenticated()
}

export interface GraphQLError {
  message: string
  extensions?: { code?: string; field?: string; unmet?: Unmet[] }
}

/** The ApiError of a GraphQL error (from a response or a subscription's payload). */
export function apiErrorOf(error: GraphQLError, requestId: string | null = null): ApiError {
  const ext = error.extensions ?? {}
  return new ApiError(error.message, ext.code ?? 'INTERNAL', ext.field ?? null, requestId, Array.isArray(ext.unmet) ? ext.unmet : [])
}

/** The options of every fetch to the server: the CSRF header, the cookie to this origin only (none when anonymous). */
export function requestInit(init: RequestInit & { anonymous?: boolean } = {}): RequestInit {
  const { anonymous, headers, ...rest } = init
  return {
    ...rest,
    credentials: anonymous ? 'omit' : 'same-origin',
    headers: { ...CSRF_HEADERS, ...(headers as Record<string, string> | undefined) },
  }
}

export interface GqlOptions {
  /** Send no cookie even when logged in (the public pages show what anyone sees). */
  anonymous?: boolean
}

/** A document's variables, which may be left out when it has none that are required. */
export type VariablesArg<V> = Record<string, never> extends V ? [variables?: V, opts?: GqlOptions] : [variables: V, opts?: GqlOptions]

/** Sends a typed document (`graphql(…)`): its variables are checked, its answer's type is the document's. */
export function gql<R, V>(document: TadaDocumentNode<R, V>, ...[variables, opts]: VariablesArg<V>): Promise<R> {
  return gqlRequest(document, variables, opts)
}

/** `gql` with the variables always given (for helpers generic in the variables' type). */
export async function gqlRequest<R, V>(document: TadaDocumentNode<R, V>, variables: V | undefined, opts: GqlOptions = {}): Promise<R> {
  const body = JSON.stringify({ query: documentText(document), variables: variables ?? {} })
  return post<R>(body, { 'Content-Type': 'application/json' }, opts.anonymous === true)
}

/**
 * A GraphQL multipart request (file uploads, docs/api.md): every file (`Blob`) in `variables` is
 * sent as a part of its own and null in its place in `operations` (transfer.ts).
 */
export async function gqlForm<R, V>(document: TadaDocumentNode<R, V>, variables: V): Promise<R> {
  // No Content-Type: the browser writes multipart/form-data with its boundary.
  return post<R>(multipartForm(documentText(document), variables), {}, false)
}

async function post<T>(request: BodyInit, contentType: Record<string, string>, anonymous: boolean): Promise<T> {
  const headers = { ...contentType, Accept: 'application/graphql-response+json, application/json' }
  let response: Response
  try {
    response = await fetch('/graphql', requestInit({ method: 'POST', headers, body: request, anonymous }))
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试', 'NETWORK', null)
  }
  const requestId = response.headers.get('x-request-id')
  if (response.status === 413) throw new ApiError('文件太大，超过了服务器允许的上传大小', 'PAYLOAD_TOO_LARGE', 'file', requestId)
  let body: { data?: T; errors?: GraphQLError[] }
  try {
    body = await response.json()
  } catch {
    throw new ApiError(`服务器返回了无法识别的应答（HTTP ${response.status}）`, 'INTERNAL', null, requestId)
  }
  const error = body.errors?.[0]
  if (error) {
    const e = apiErrorOf(error, requestId)
    if (!anonymous && (response.status === 401 || e.code === 'UNAUTHENTICATED')) onUnauthenticated()
    throw e
  }
  if (body.data === undefined || body.data === null) {
    throw new ApiError(`服务器没有返回数据（HTTP ${response.status}）`, 'INTERNAL', null, requestId)
  }
  return body.data
}

/** The server's refusal of a non-GraphQL request (JSON like GraphQL's `{errors: [...]}`). */
async function refusal(response: Response, prefix: string): Promise<ApiError> {
  const requestId = response.headers.get('x-request-id')
  const body = (await response.json().catch(() => null)) as { errors?: GraphQLError[] } | null
  const error = body?.errors?.[0]
  if (response.status === 401) onUnauthenticated()
  return error
    ? new ApiError(`${prefix}：${error.message}`, error.extensions?.code ?? 'INTERNAL', error.extensions?.field ?? null, requestId)
    : new ApiError(`${prefix}（HTTP ${response.status}）`, response.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL', null, requestId)
}

/** A JSON request to one of the server's own paths (`/session`): its answer, or its refusal. */
export async function call<T>(method: string, path: string, json?: unknown): Promise<T | null> {
  let response: Response
  try {
    response = await fetch(path, requestInit({
      method,
      headers: json === undefined ? {} : { 'Content-Type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    }))
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试', 'NETWORK', null)
  }
  if (!response.ok) {
    const requestId = response.headers.get('x-request-id')
    const body = (await response.json().catch(() => null)) as { errors?: GraphQLError[] } | null
    const error = body?.errors?.[0]
    throw error ? apiErrorOf(error, requestId) : new ApiError(`请求失败（HTTP ${response.status}）`, 'INTERNAL', null, requestId)
  }
  return (await response.json().catch(() => null)) as T | null
}

/** Downloads a file the server serves to accounts (`/evidence/<id>`, `/export/…`), with the session cookie. */
export async function download(path: string, fileName: string): Promise<void> {
  let response: Response
  try {
    response = await fetch(path, requestInit())
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试', 'NETWORK', null)
  }
  if (!response.ok) throw await refusal(response, '下载失败')
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** The request id to quote with an error, if the server gave one. */
export function requestIdOf(e: unknown): string | null {
  return e instanceof ApiError ? e.requestId : null
}

/** A message for any error a page catches: the server's own (with its request id), or what went wrong. */
export function messageOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e)
  const id = requestIdOf(e)
  return id ? `${message}（请求编号 ${id}）` : message
}

/** What `gqlAll` reads of a connection. */
export interface Connection<N> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null }
  nodes: N[]
}

/**
 * Every node of a connection, page by page (100 a request): for the short reference lists a
 * page needs whole (units, campaigns). `connection` picks the connection out of the answer;
 * `variables` makes the request's variables from the page's `first` and `after`.
 */
export async function gqlAll<R, V, N>(
  document: TadaDocumentNode<R, V>,
  connection: (data: R) => Connection<N>,
  variables: (page: { first: number; after: string | null }) => V,
  limit = 2000,
): Promise<N[]> {
  const nodes: N[] = []
  let after: string | null = null
  for (;;) {
    const page = connection(await gqlRequest(document, variables({ first: 100, after })))
    nodes.push(...page.nodes)
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor || nodes.length >= limit) return nodes
    after = page.pageInfo.endCursor
  }
}
