// Whether this browser is logged in, as far as the console can tell without the token: the
// session itself is an HttpOnly cookie (taizhang_session) that page scripts cannot read, so the
// console keeps only who logged in and until when (nothing secret) in localStorage, to decide
// whether to show the login page before asking the server. The server decides: a 401 sends the
// console to the login page and forgets this.
export const ACCOUNT_KEY = 'taizhang.account'

export interface AccountHint {
  id: string
  username: string
  displayName: string
  /** When the session cookie expires (RFC 3339), as POST /session said. */
  expiresAt: string
}

/** The hint if it is one and has not expired at `now` (ms). */
export function validHint(raw: string | null, now: number): AccountHint | null {
  if (!raw) return null
  try {
    const hint = JSON.parse(raw) as Partial<AccountHint>
    if (typeof hint.username !== 'string' || typeof hint.expiresAt !== 'string') return null
    const expires = Date.parse(hint.expiresAt)
    if (!Number.isFinite(expires) || expires <= now) return null
    return hint as AccountHint
  } catch {
    return null
  }
}

function storage(): Storage | null {
  return typeof localStorage === 'undefined' ? null : localStorage
}

export function accountHint(): AccountHint | null {
  return validHint(storage()?.getItem(ACCOUNT_KEY) ?? null, Date.now())
}

/** True when a session cookie is probably there (the server may still say otherwise). */
export function probablyLoggedIn(): boolean {
  return accountHint() !== null
}

export function rememberAccount(hint: AccountHint): void {
  storage()?.setItem(ACCOUNT_KEY, JSON.stringify(hint))
}

export function forgetAccount(): void {
  storage()?.removeItem(ACCOUNT_KEY)
}
