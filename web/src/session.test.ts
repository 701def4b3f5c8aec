import { describe, expect, it } from 'vitest'
import { validHint } from './session'

describe('whether the console shows the login page first', () => {
  const now = Date.parse('2026-12-01T12:00:00Z')
  const hint = (expiresAt: string) => JSON.stringify({ id: 'a', username: 'shuili', displayName: '宋雅琴', expiresAt })
  it('goes on with a hint of a session that has not expired', () => {
    expect(validHint(hint('2026-12-01T20:00:00Z'), now)?.username).toBe('shuili')
  })
  it('asks for a login with no hint, an expired one, or one it cannot read', () => {
    expect(validHint(null, now)).toBeNull()
    expect(validHint(hint('2026-12-01T11:59:59Z'), now)).toBeNull()
    expect(validHint('{not json', now)).toBeNull()
    expect(validHint(JSON.stringify({ username: 'x' }), now)).toBeNull()
  })
  it('keeps nothing secret: a hint has no token', () => {
    expect(Object.keys(validHint(hint('2026-12-02T00:00:00Z'), now) ?? {}).sort()).toEqual(['displayName', 'expiresAt', 'id', 'username'])
  })
})
