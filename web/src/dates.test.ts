import { describe, expect, it } from 'vitest'
import { actionLabel, actionOptions, addDays, lastHalfMonth, startOfDayCst } from './format'

describe('date arithmetic', () => {
  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29')
  })

  it('finds the half month that ended last', () => {
    expect(lastHalfMonth('2026-12-01')).toEqual({ from: '2026-11-16', to: '2026-11-30' })
    expect(lastHalfMonth('2026-12-15')).toEqual({ from: '2026-11-16', to: '2026-11-30' })
    expect(lastHalfMonth('2026-12-16')).toEqual({ from: '2026-12-01', to: '2026-12-15' })
    expect(lastHalfMonth('2027-01-03')).toEqual({ from: '2026-12-16', to: '2026-12-31' })
    expect(lastHalfMonth('2026-03-10')).toEqual({ from: '2026-02-16', to: '2026-02-28' })
  })

  it('starts a day in China Standard Time', () => {
    expect(startOfDayCst('2026-12-01')).toBe('2026-12-01T00:00:00+08:00')
  })
})

describe('audit actions', () => {
  it('names every action of the trail in Chinese', () => {
    expect(actionLabel('supervision.respond')).toBe('答复督办')
    expect(actionLabel('role_grant.revoke')).toBe('收回角色')
    expect(actionOptions().every((o) => /[\u4e00-\u9fff]/.test(o.label))).toBe(true)
  })
})
