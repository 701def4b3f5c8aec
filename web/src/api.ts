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

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Accept: 'application/graphql-response+json, application/json',
  }
  const token = getToken()
  if (token) headers.Authorization = `Bearer ${token}`
  let response: Response
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) })
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试', 'NETWORK', null)
  }
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

/** Downloads a file the server serves to accounts (`/evidence/<id>`), with the bearer token. */
export async function download(path: string, fileName: string): Promise<void> {
  const token = getToken()
  const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
  if (!response.ok) throw new ApiError(`下载失败（HTTP ${response.status}）`, 'INTERNAL', null)
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
