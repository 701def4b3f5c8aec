import { describe, expect, it } from 'vitest'
import { INBOX_KIND, kindLabel, kindTag, shown } from './inbox'

describe('提醒', () => {
  it('names every kind in Chinese, overdue and 督办 in red', () => {
    expect(kindLabel('OVERDUE')).toBe('已逾期')
    expect(kindLabel('REPORT_MISSING')).toBe('进展未报送')
    expect(kindTag('SUPERVISION')).toBe('danger')
    expect(Object.keys(INBOX_KIND).sort()).toEqual(['DUE_SOON', 'EXTENSION', 'OVERDUE', 'REPORT_MISSING', 'SUPERVISION', 'URGING', 'VERIFICATION'])
  })
  it('keeps the unread items when asked', () => {
    const items = [{ key: 'a', read: true }, { key: 'b', read: false }]
    expect(shown(items, true).map((i) => i.key)).toEqual(['b'])
    expect(shown(items, false)).toHaveLength(2)
  })
})
