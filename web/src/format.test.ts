import { describe, expect, it } from 'vitest'
import {
  STATUSES, actionLabel, overdueNote, endOfDayCst, formatBytes, formatDate, formatDateTime, formatRate, roleLabel, statusLabel,
  statusTagType, todayCst,
} from './format'

describe('status labels', () => {
  it('names every status as the ledger export does', () => {
    expect(STATUSES.map(statusLabel)).toEqual(['待启动', '整改中', '待验收', '已销号', '长期坚持', '已撤销'])
  })
  it('shows an unknown status as it came, rather than nothing', () => {
    expect(statusLabel('SOMETHING_NEW')).toBe('SOMETHING_NEW')
  })
  it('colours closed green and submitted amber', () => {
    expect(statusTagType('CLOSED')).toBe('success')
    expect(statusTagType('SUBMITTED')).toBe('warning')
    expect(statusTagType('PENDING')).toBe('info')
  })
  it('names roles and audit actions in Chinese, unknown ones as they are', () => {
    expect(roleLabel('SUPERVISOR')).toBe('督查')
    expect(actionLabel('measure.verify_pass')).toBe('验收通过（销号）')
    expect(actionLabel('measure.something')).toBe('measure.something')
  })
})

describe('dates and times in China Standard Time', () => {
  it('keeps a calendar date as it is', () => {
    expect(formatDate('2026-06-30')).toBe('2026-06-30')
    expect(formatDate(null)).toBe('—')
  })
  it('puts an instant after 16:00 UTC on the next day in Beijing', () => {
    expect(formatDate('2026-06-30T16:30:00Z')).toBe('2026-07-01')
    expect(formatDateTime('2026-06-30T16:30:00Z')).toBe('2026-07-01 00:30')
    expect(formatDateTime('2026-12-31T23:59:59+08:00')).toBe('2026-12-31 23:59')
  })
  it('crosses a year end and a leap day', () => {
    expect(formatDateTime('2027-12-31T16:00:00Z')).toBe('2028-01-01 00:00')
    expect(formatDate('2028-02-28T20:00:00Z')).toBe('2028-02-29')
  })
  it('tells today in Beijing whatever the machine’s zone', () => {
    expect(todayCst(new Date('2026-06-30T15:59:59Z'))).toBe('2026-06-30')
    expect(todayCst(new Date('2026-06-30T16:00:00Z'))).toBe('2026-07-01')
  })
  it('ends a day at 23:59:59 Beijing time for asOf', () => {
    expect(endOfDayCst('2026-11-15')).toBe('2026-11-15T23:59:59+08:00')
    expect(Date.parse(endOfDayCst('2026-11-15'))).toBe(Date.parse('2026-11-15T15:59:59Z'))
  })
  it('leaves a text that is no instant alone', () => {
    expect(formatDateTime('not a time')).toBe('not a time')
  })
})

describe('figures', () => {
  it('shows rates as percentages with one decimal, and no rate as a dash', () => {
    expect(formatRate(0.2173)).toBe('21.7%')
    expect(formatRate(1)).toBe('100.0%')
    expect(formatRate(0)).toBe('0.0%')
    expect(formatRate(null)).toBe('—')
  })
  it('shows file sizes in B, KB and MB (sizes come as BigInt strings)', () => {
    expect(formatBytes('512')).toBe('512 B')
    expect(formatBytes(2048)).toBe('2.0 KB')
    expect(formatBytes('3145728')).toBe('3.0 MB')
  })
})

describe('overdue notes', () => {
  it('says a measure is late with its deadline once the deadline has passed', () => {
    expect(overdueNote({ deadline: '2026-11-20', daysOverdue: 11 }, '2026-12-01')).toBe('逾期 11 天')
  })
  it('says a missed time node when the deadline is still ahead', () => {
    expect(overdueNote({ deadline: '2026-12-20', daysOverdue: 30 }, '2026-12-01')).toBe('时间节点逾期 30 天')
  })
})
