import { describe, expect, it } from 'vitest'
import { openSupervisionByUnit, overdueByUnit, satisfactionRows } from './watch'

const rows = [
  { unit: { name: '县水利局' }, overdue: 2, satisfactionRate: 0.933 },
  { unit: { name: '县教育局' }, overdue: 0, satisfactionRate: 0.97 },
  { unit: { name: '石口镇' }, overdue: 3, satisfactionRate: null },
  { unit: { name: '县信访局' }, overdue: 2, satisfactionRate: 0.909 },
]

describe('dashboard watch lists', () => {
  it('lists units with overdue measures, most first, at most the limit', () => {
    expect(overdueByUnit(rows, 2)).toEqual([
      { unit: '石口镇', overdue: 3 },
      { unit: '县水利局', overdue: 2 },
    ])
    expect(overdueByUnit(rows, 10).map((r) => r.unit)).not.toContain('县教育局')
  })

  it('marks the units below the satisfaction threshold, lowest first, and skips units without surveys', () => {
    expect(satisfactionRows(rows, 0.95)).toEqual([
      { unit: '县信访局', rate: 0.909, below: true },
      { unit: '县水利局', rate: 0.933, below: true },
      { unit: '县教育局', rate: 0.97, below: false },
    ])
    expect(satisfactionRows(rows, null).every((r) => !r.below)).toBe(true)
  })

  it('sums unanswered supervision per unit over its kinds', () => {
    const counts = [
      { unit: { name: '县水利局' }, open: 1 },
      { unit: { name: '县水利局' }, open: 2 },
      { unit: { name: '石口镇' }, open: 0 },
      { unit: null, open: 1 },
    ]
    expect(openSupervisionByUnit(counts, 5)).toEqual([
      { unit: '县水利局', open: 3 },
      { unit: '—', open: 1 },
    ])
  })
})
