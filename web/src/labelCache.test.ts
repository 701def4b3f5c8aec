import { describe, expect, it } from 'vitest'
import { TABLES, applyLabels } from './labelCache'
import { STATUS_LABELS, statusLabel } from './format'
import { SEVERITY, label } from './labels'

describe('the labels the server names', () => {
  it('writes the server\'s names over the built-in ones, adding new values, ignoring unknown enums', () => {
    const tables = { Severity: { HIGH: '严重', LOW: '一般' } as Record<string, string> }
    const written = applyLabels([
      { name: 'Severity', values: [{ value: 'HIGH', label: '重大' }, { value: 'MEDIUM', label: '较重' }] },
      { name: 'Unheard', values: [{ value: 'X', label: '某' }] },
    ], tables)
    expect(written).toBe(2)
    expect(tables.Severity).toEqual({ HIGH: '重大', LOW: '一般', MEDIUM: '较重' })
  })
  it('keeps a built-in name when the server\'s is empty', () => {
    const tables = { Severity: { HIGH: '严重' } as Record<string, string> }
    applyLabels([{ name: 'Severity', values: [{ value: 'HIGH', label: '' }] }], tables)
    expect(tables.Severity.HIGH).toBe('严重')
  })
  it('has built-in names for every status before the server answers, and the console\'s tables take the answer', () => {
    expect(statusLabel('SUBMITTED')).toBe('待验收')
    expect(TABLES.MeasureStatus).toBe(STATUS_LABELS)
    applyLabels([{ name: 'MeasureStatus', values: [{ value: 'SUBMITTED', label: '待验收（测）' }] }, { name: 'Severity', values: [{ value: 'LOW', label: '轻微' }] }])
    expect(statusLabel('SUBMITTED')).toBe('待验收（测）')
    expect(label(SEVERITY, 'LOW')).toBe('轻微')
    applyLabels([{ name: 'MeasureStatus', values: [{ value: 'SUBMITTED', label: '待验收' }] }, { name: 'Severity', values: [{ value: 'LOW', label: '一般' }] }])
  })
})
