import { describe, expect, it } from 'vitest'
import { defaultInWords, rhythmDue, rhythmFor, rhythmForm, rhythmInWords, rhythmInput, weekdayName, withKind, type ReportRhythmLike } from './rhythm'

const water = { id: 'water', name: '县水利局' }
const setting: ReportRhythmLike = {
  since: '2026-08-25',
  default: { kind: 'HALF_MONTHLY', weekday: null },
  units: [{ unit: water, rhythm: { kind: 'WEEKLY', weekday: 5 } }],
}
// 县委 → 县水利局 → 农村水利股; 县信访局 under 县委.
const parent: Record<string, string | null> = { county: null, water: 'county', rural: 'water', letters: 'county' }

describe('a rhythm in words', () => {
  it('says when each kind is due', () => {
    expect(rhythmInWords({ kind: 'HALF_MONTHLY', weekday: null })).toBe('半月报：每月15日和月末报送')
    expect(rhythmInWords({ kind: 'WEEKLY', weekday: 5 })).toBe('周报：每周五报送')
    expect(rhythmInWords({ kind: 'WEEKLY', weekday: 7 })).toBe('周报：每周日报送')
    expect(rhythmInWords({ kind: 'DAILY' })).toBe('日报：每个工作日报送')
    expect(rhythmInWords({ kind: 'MONTHLY', weekday: null })).toBe('月报：每月月末报送')
    expect(rhythmDue({ kind: 'MONTHLY' })).toBe('每月月末报送')
  })
  it('names weekdays 1 (Monday) to 7 (Sunday), and nothing else', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(weekdayName)).toEqual(['周一', '周二', '周三', '周四', '周五', '周六', '周日'])
    expect(weekdayName(0)).toBe('—')
    expect(weekdayName(null)).toBe('—')
  })
  it('says what the units without their own setting owe, or that nothing is owed', () => {
    expect(defaultInWords(setting)).toBe('半月报：每月15日和月末报送')
    expect(defaultInWords({ default: null, units: setting.units })).toBe('未设默认频次，仅下列单位报送')
    expect(defaultInWords(null)).toBe('未设置报送频次，不要求定期报送进展')
    expect(defaultInWords({ default: null, units: [] })).toBe('未设置报送频次，不要求定期报送进展')
    expect(rhythmInWords(null)).toBe('不要求定期报送')
  })
})

describe('the rhythm that applies to a unit', () => {
  const up = (id: string) => parent[id]
  it('is its own, else the nearest unit above it with one, else the default', () => {
    expect(rhythmFor('water', setting, up)).toEqual({ kind: 'WEEKLY', weekday: 5 })
    expect(rhythmFor('rural', setting, up)).toEqual({ kind: 'WEEKLY', weekday: 5 })
    expect(rhythmFor('letters', setting, up)).toEqual({ kind: 'HALF_MONTHLY', weekday: null })
    expect(rhythmFor(null, setting, up)).toEqual({ kind: 'HALF_MONTHLY', weekday: null })
  })
  it('is none without a setting, or outside the units set when there is no default', () => {
    expect(rhythmFor('water', null, up)).toBeNull()
    expect(rhythmFor('letters', { default: null, units: setting.units }, up)).toBeNull()
  })
  it('stops at a loop in the parents rather than hang', () => {
    expect(rhythmFor('a', setting, (id) => (id === 'a' ? 'b' : 'a'))).toEqual(setting.default)
  })
})

describe('the 设置报送频次 form', () => {
  it('starts from the campaign\'s setting, or 半月报 when it has none', () => {
    expect(rhythmForm(setting)).toEqual({ default: { kind: 'HALF_MONTHLY', weekday: null }, units: [{ unitId: 'water', kind: 'WEEKLY', weekday: 5 }] })
    expect(rhythmForm(null)).toEqual({ default: { kind: 'HALF_MONTHLY', weekday: null }, units: [] })
    expect(rhythmForm({ default: null, units: [] }).default).toEqual({ kind: '', weekday: null })
  })
  it('gives a weekly line a weekday (Friday unless it had one) and takes it from the others', () => {
    expect(withKind({ kind: 'HALF_MONTHLY', weekday: null }, 'WEEKLY')).toEqual({ kind: 'WEEKLY', weekday: 5 })
    expect(withKind({ kind: 'WEEKLY', weekday: 2 }, 'WEEKLY')).toEqual({ kind: 'WEEKLY', weekday: 2 })
    expect(withKind({ unitId: 'u', kind: 'WEEKLY', weekday: 2 }, 'MONTHLY')).toEqual({ unitId: 'u', kind: 'MONTHLY', weekday: null })
  })
  it('sends the default and the units, a weekday only for WEEKLY', () => {
    const out = rhythmInput({ default: { kind: 'WEEKLY', weekday: 5 }, units: [{ unitId: 'water', kind: 'MONTHLY', weekday: 3 }] })
    expect(out).toEqual({ errors: null, values: { default: { kind: 'WEEKLY', weekday: 5 }, units: [{ unitId: 'water', rhythm: { kind: 'MONTHLY', weekday: null } }] } })
  })
  it('sends no default when none is chosen, and nothing at all to clear the rhythm', () => {
    expect(rhythmInput({ default: { kind: '', weekday: null }, units: [] })).toEqual({ errors: null, values: { default: null, units: [] } })
  })
  it('names the line of each mistake before sending', () => {
    const out = rhythmInput({
      default: { kind: 'WEEKLY', weekday: null },
      units: [
        { unitId: '', kind: 'DAILY', weekday: null },
        { unitId: 'water', kind: 'DAILY', weekday: null },
        { unitId: 'water', kind: 'MONTHLY', weekday: null },
        { unitId: 'rural', kind: '', weekday: null },
        { unitId: 'letters', kind: 'WEEKLY', weekday: 8 },
      ],
    })
    expect(out.values).toBeNull()
    expect(out.errors).toEqual({
      default: '周报须选择每周哪一天报送',
      'units.0': '请选择单位',
      'units.2': '该单位已在上面设置',
      'units.3': '请选择报送频次',
      'units.4': '周报须选择每周哪一天报送',
    })
  })
})
