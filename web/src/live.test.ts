import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { debounce, liveRetries, liveRetryDelay, liveUrl, patched } from './live'

describe('the subscription socket', () => {
  it('is ws: beside http: and wss: beside https:, on the page\'s own host', () => {
    expect(liveUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/graphql/ws')
    expect(liveUrl({ protocol: 'https:', host: 'taizhang.example' })).toBe('wss://taizhang.example/graphql/ws')
  })
  it('reconnects after 1, 2, 4 … s, at most 30 s, with a spread', () => {
    expect([0, 1, 2, 3].map((n) => liveRetryDelay(n, 0))).toEqual([1000, 2000, 4000, 8000])
    expect(liveRetryDelay(10, 0)).toBe(30_000)
    expect(liveRetryDelay(0, 0.5, 1000)).toBe(1500)
  })
  it('does not reconnect when the server refused the login, and does after a drop', () => {
    expect(liveRetries(4401)).toBe(false)
    expect(liveRetries(4403)).toBe(false)
    expect(liveRetries(1006)).toBe(true)
    expect(liveRetries(1001)).toBe(true)
    expect(liveRetries(undefined)).toBe(true)
  })
})

describe('a live change to a row', () => {
  const rows = [{ id: 'a', status: 'SUBMITTED', title: 'A' }, { id: 'b', status: 'IN_PROGRESS', title: 'B' }]
  it('replaces the row it names, keeping the others', () => {
    const next = patched(rows, { id: 'a', status: 'CLOSED' })
    expect(next).toEqual([{ id: 'a', status: 'CLOSED', title: 'A' }, rows[1]])
    expect(rows[0].status).toBe('SUBMITTED')
  })
  it('says when the row is not on the page', () => {
    expect(patched(rows, { id: 'z', status: 'CLOSED' })).toBeNull()
  })
})

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())
  it('calls once after the last of a burst, and not at all when cancelled', () => {
    const fn = vi.fn()
    const d = debounce(fn, 100)
    d(); d(); vi.advanceTimersByTime(50); d()
    vi.advanceTimersByTime(99)
    expect(fn).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(fn).toHaveBeenCalledTimes(1)
    d(); d.cancel(); vi.advanceTimersByTime(200)
    expect(fn).toHaveBeenCalledTimes(1)
  })
})
