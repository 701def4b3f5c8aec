// The console talks to the public GraphQL API only, as any client does: POST /graphql with the
// bearer token of the login.
import { clearToken, getToken } from './session'

export class ApiError extends Error {
  code: string
  field: string | null
  constructor(message: string, code: string, field: string | null) {
    super(message)
    this.code = code
    this.field = field
  }
}

/** Called when the server refuses the token (expired, logged out elsewhere). */
let onUnauthenticated: () => void = () => {}

export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler
}

interface GraphQLError {
  message: string
  extensions?: { code?: string; field?: string }
}

/** `anonymous`: send no token even when logged in (the public pages show what anyone sees). */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}, opts: { anonymous?: boolean } = {}): Promise<T> {
  return post<T>(JSON.stringify({ query, variables }), { 'Content-Type': 'application/json' }, opts.anonymous === true)
}

/** A GraphQL multipart request (file uploads): the form's parts as `transfer.ts` builds them. */
export async function gqlForm<T>(form: FormData): Promise<T> {
  // No Content-Type: the browser writes multipart/form-data with its boundary.
  return post<T>(form, {}, false)
}

async function post<T>(request: BodyInit, contentType: Record<string, string>, anonymous: boolean): Promise<T> {
  const headers: Record<string, string> = {
    ...contentType,
    Accept: 'application/graphql-response+json, application/json',
  }
  const token = anonymous ? null : getToken()
  if (token) headers.Authorization = `Bearer ${token}`
  let response: Response
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: request })
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试', 'NETWORK', null)
  }
  if (response.status === 413) throw new ApiError('文件太大，超过了服务器允许的上传大小', 'PAYLOAD_TOO_LARGE', 'file')
  let body: { data?: T; errors?: GraphQLError[] }
  try {
    body = await response.json()
  } catch {
    throw new ApiError(`服务器返回了无法识别的应答（HTTP ${response.status}）`, 'INTERNAL', null)
  }
  const error = body.errors?.[0]
  if (error) {
    const code = error.extensions?.code ?? 'INTERNAL'
    if (response.status === 401 || (code === 'UNAUTHENTICATED' && token)) {
      clearToken()
      onUnauthenticated()
    }
    throw new ApiError(error.message, code, error.extensions?.field ?? null)
  }
  if (body.data === undefined || body.data === null) {
    throw new ApiError(`服务器没有返回数据（HTTP ${response.status}）`, 'INTERNAL', null)
  }
  return body.data
}

/** Downloads a file the server serves to accounts (`/evidence/<id>`, `/export/…`), with the bearer token. */
export async function download(path: string, fileName: string): Promise<void> {
  const token = getToken()
  const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  if (!response.ok) {
    // The server's refusal is JSON like GraphQL's (`{errors: [{message, extensions}]}`).
    const body = (await response.json().catch(() => null)) as { errors?: GraphQLError[] } | null
    const error = body?.errors?.[0]
    throw new ApiError(error ? `下载失败：${error.message}` : `下载失败（HTTP ${response.status}）`, error?.extensions?.code ?? 'INTERNAL', error?.extensions?.field ?? null)
  }
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A message for any error a page catches: the server's own, or what went wrong. */
export function messageOf(e: unknown): string {
  return e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e)
}

/**
 * Every node of a connection, page by page (100 a request): for the short reference lists a
 * page needs whole (units, campaigns). `path` is the connection's field in the answer.
 */
export async function gqlAll<N>(query: string, path: string, variables: Record<string, unknown> = {}, limit = 2000): Promise<N[]> {
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
