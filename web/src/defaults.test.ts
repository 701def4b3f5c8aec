import { describe, expect, it } from 'vitest'
import { homeUnitId } from './defaults'

describe('homeUnitId', () => {
  it('is the unit of the first grant that may write, before the person\'s own unit', () => {
    const me = { person: { unit: { id: 'office' } }, grants: [{ role: 'VIEWER', unit: { id: 'county' } }, { role: 'EDITOR', unit: { id: 'water' } }] }
    expect(homeUnitId(me)).toBe('water')
  })
  it('falls back to any granted unit, then the person\'s unit, then nothing', () => {
    expect(homeUnitId({ person: null, grants: [{ role: 'VIEWER', unit: { id: 'county' } }] })).toBe('county')
    expect(homeUnitId({ person: { unit: { id: 'office' } }, grants: [{ role: 'ADMIN', unit: null }] })).toBe('office')
    expect(homeUnitId(null)).toBe('')
  })
})
