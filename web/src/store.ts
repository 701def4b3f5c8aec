// Who is logged in, shared by the header and the pages; read once per login.
import { reactive } from 'vue'
import { gql } from './api'
import { clearToken, getToken, setToken } from './session'

export interface Grant {
  role: string
  wholeTree: boolean
  unit: { id: string; name: string } | null
}

export interface Me {
  id: string
  username: string
  displayName: string
  person: { name: string; position: string | null; unit: { name: string } | null } | null
  grants: Grant[]
}

export const session = reactive<{ me: Me | null; loading: boolean }>({ me: null, loading: false })

const ME = `{ me { id username displayName person { name position unit { name } }
  grants { role wholeTree unit { id name } } } }`

export async function loadMe(): Promise<Me | null> {
  if (!getToken()) {
    session.me = null
    return null
  }
  session.loading = true
  try {
    session.me = (await gql<{ me: Me | null }>(ME)).me
    return session.me
  } finally {
    session.loading = false
  }
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
  }
}
