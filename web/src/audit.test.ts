import { describe, expect, it } from 'vitest'
import { diffEvent, fieldLabel, formatValue, shorten } from './audit'

describe('diffEvent', () => {
  it('lists the fields that changed, not the bookkeeping ones', () => {
    const before = { id: 'x', version: 3, updated_at: 't1', status: 'IN_PROGRESS', progress_percent: 60, title: '修路' }
    const after = { id: 'x', version: 4, updated_at: 't2', status: 'SUBMITTED', progress_percent: 100, title: '修路' }
    expect(diffEvent(before, after)).toEqual([
      { field: 'status', label: '状态', before: 'IN_PROGRESS', after: 'SUBMITTED' },
      { field: 'progress_percent', label: '整改进度', before: 60, after: 100 },
    ])
  })

  it('on a create lists every field set, with nothing before', () => {
    const changes = diffEvent(null, { id: 'x', version: 1, title: '修路', description: null, deadline: '2026-12-31' })
    expect(changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['title', undefined, '修路'],
      ['deadline', undefined, '2026-12-31'],
    ])
  })

  it('sees a field removed and compares lists and objects by value', () => {
    expect(diffEvent({ a: [1, 2], b: { c: 1 }, gone: 'x' }, { a: [1, 2], b: { c: 2 } }).map((c) => c.field)).toEqual(['b', 'gone'])
  })

  it('copes with events that have no snapshots', () => {
    expect(diffEvent(undefined, undefined)).toEqual([])
  })
})

describe('formatValue', () => {
  it('names enums, booleans, percentages and ids in Chinese', () => {
    expect(formatValue('status', 'CLOSED')).toBe('已销号')
    expect(formatValue('status', 'MERGED')).toBe('已并入问题')
    expect(formatValue('disclosure', 'PUBLIC')).toBe('向社会公示')
    expect(formatValue('archived', true)).toBe('是')
    expect(formatValue('progress_percent', 80)).toBe('80%')
    expect(formatValue('kind', 'TALK')).toBe('约谈')
    expect(formatValue('lead_unit_id', '0190a0b2-1c2d-7e3f-8a9b-0c1d2e3f4a5b', (id) => (id.startsWith('0190') ? '县水利局' : undefined))).toBe('县水利局')
    expect(formatValue('lead_unit_id', '0190a0b2-1c2d-7e3f-8a9b-0c1d2e3f4a5b')).toBe('0190a0b2…')
    expect(formatValue('description', null)).toBe('—')
  })

  it('labels fields it knows and keeps the others', () => {
    expect(fieldLabel('deadline')).toBe('整改时限')
    expect(fieldLabel('something_new')).toBe('something_new')
  })
})

describe('shorten', () => {
  it('keeps short values and cuts long ones, saying how long they were', () => {
    expect(shorten('县水利局')).toEqual({ text: '县水利局', cut: false })
    expect(shorten('通报正文'.repeat(100), 8)).toEqual({ text: '通报正文通报正文…（共 400 字）', cut: true })
  })
})
