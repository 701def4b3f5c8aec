// The console's login for this slice: the bearer token in sessionStorage (one tab, gone when
// the tab closes). An HttpOnly cookie session is a later part of issue 11.
export const TOKEN_KEY = 'taizhang.token'

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY)
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token)
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY)
}
