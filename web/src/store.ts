// Who is logged in, shared by the header and the pages; read once per login. The login is a
// browser session: POST /session sets the HttpOnly cookie, DELETE /session revokes it.
import { reactive } from 'vue'
import { call, gql, unauthenticated } from './api'
import { graphql, type ResultOf } from './graphql'
import { forgetAccount, probablyLoggedIn, rememberAccount, type AccountHint } from './session'
import { forgetReferenceData } from './refdata'
import { closeLive } from './live'

const ME = graphql(`{ me { id username displayName person { id name position unit { id name } }
  grants { role wholeTree unit { id name } } } }`)

/** The account logged in, as `me` answers it. */
export type Me = NonNullable<ResultOf<typeof ME>['me']>
export type Grant = Me['grants'][number]

export const session = reactive<{ me: Me | null; loading: boolean }>({ me: null, loading: false })

let loadingMe: Promise<Me | null> | null = null

export async function loadMe(): Promise<Me | null> {
  if (!probablyLoggedIn()) {
    session.me = null
    return null
  }
  session.loading = true
  loadingMe = gql(ME).then((d) => d.me)
  try {
    session.me = await loadingMe
    // No session on the server although this browser thought so (the cookie expired or was
    // cleared, a new server): log in again.
    if (!session.me) {
      forgetAccount()
      unauthenticated()
    }
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
  const answer = await call<{ account: Omit<AccountHint, 'expiresAt'>; expiresAt: string }>('POST', '/session', { username, password })
  if (!answer) throw new Error('登录失败：服务器没有返回账号')
  rememberAccount({ ...answer.account, expiresAt: answer.expiresAt })
  // A socket opened before the login (or by another account) signed in with the old cookie.
  closeLive()
  await loadMe()
}

/** Forgets the login on this side (the server already refused it, or it was revoked). */
export function forgetLogin(): void {
  forgetAccount()
  session.me = null
  closeLive()
  forgetReferenceData()
}

export async function logout(): Promise<void> {
  try {
    await call('DELETE', '/session')
  } finally {
    forgetLogin()
  }
}
