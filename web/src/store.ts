// Who is logged in, shared by the header and the pages; read once per login.
import { reactive } from 'vue'
import { gql } from './api'
import { clearToken, getToken, setToken } from './session'
import { forgetReferenceData } from './refdata'

export interface Grant {
  role: string
  wholeTree: boolean
  unit: { id: string; name: string } | null
}

export interface Me {
  id: string
  username: string
  displayName: string
  person: { id: string; name: string; position: string | null; unit: { id: string; name: string } | null } | null
  grants: Grant[]
}

export const session = reactive<{ me: Me | null; loading: boolean }>({ me: null, loading: false })

const ME = `{ me { id username displayName person { id name position unit { id name } }
  grants { role wholeTree unit { id name } } } }`

let loadingMe: Promise<Me | null> | null = null

export async function loadMe(): Promise<Me | null> {
  if (!getToken()) {
    session.me = null
    return null
  }
  session.loading = true
  loadingMe = gql<{ me: Me | null }>(ME).then((d) => d.me)
  try {
    session.me = await loadingMe
    return session.me
  } finally {
    session.loading = false
    loadingMe = null
  }
}

/** The account logged in, read if the shell has not read it yet (a page opened directly). */
export async function ensureMe(): Promise<Me | null> {
  if (session.me) return session.me
  if (loadingMe) return loadingMe
  return loadMe()
}

export async function login(username: string, password: string): Promise<void> {
  const data = await gql<{ login: { token: string } }>(
    'mutation($i: LoginInput!) { login(input: $i) { token expiresAt } }',
    { i: { username, password } },
  )
  setToken(data.login.token)
  await loadMe()
}

export async function logout(): Promise<void> {
  try {
    await gql('mutation { logout { revoked } }')
  } finally {
    clearToken()
    session.me = null
    forgetReferenceData()
  }
}
