import { describe, expect, it } from 'vitest'
import { evidenceForm, evidenceParts, exportPath } from './transfer'

describe('exportPath', () => {
  it('carries the ledger filter the export knows', () => {
    expect(exportPath('csv', {})).toBe('/export/ledger.csv')
    expect(exportPath('xlsx', { campaignId: 'c1', unitId: 'u1', status: ['CLOSED'], overdue: false })).toBe(
      '/export/ledger.xlsx?campaignId=c1&unitId=u1&status=CLOSED&overdue=false',
    )
  })
  it('exports every status when several are chosen (the export takes one)', () => {
    expect(exportPath('csv', { status: ['CLOSED', 'PENDING'] })).toBe('/export/ledger.csv')
  })
  it('escapes an instant', () => {
    expect(exportPath('csv', { asOf: '2026-11-15T23:59:59+08:00' })).toBe('/export/ledger.csv?asOf=2026-11-15T23%3A59%3A59%2B08%3A00')
  })
})

describe('the evidence upload', () => {
  it('is a GraphQL multipart request with the file mapped to the input', () => {
    const parts = evidenceParts('m1', '  照片 ')
    expect(JSON.parse(parts.operations).variables).toEqual({ i: { measureId: 'm1', file: null, description: '照片' } })
    expect(JSON.parse(parts.map)).toEqual({ 0: ['variables.i.file'] })
    const form = evidenceForm('m1', new File(['x'], '验收报告.pdf', { type: 'application/pdf' }), null)
    expect([...form.keys()]).toEqual(['operations', 'map', '0'])
    expect((form.get('0') as File).name).toBe('验收报告.pdf')
  })
})
