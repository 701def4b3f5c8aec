import { describe, expect, it } from 'vitest'
import { UPLOAD_EVIDENCE, evidenceVariables, exportPath, multipartForm, multipartParts } from './transfer'
import { documentText } from './graphql'

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
    const file = new File(['x'], '验收报告.pdf', { type: 'application/pdf' })
    const parts = multipartParts(documentText(UPLOAD_EVIDENCE), evidenceVariables('m1', file, '  照片 '))
    const operations = JSON.parse(parts.operations)
    expect(operations.variables).toEqual({ i: { measureId: 'm1', file: null, description: '照片' } })
    expect(operations.query).toContain('uploadEvidence(input: $i)')
    expect(JSON.parse(parts.map)).toEqual({ 0: ['variables.i.file'] })
    expect(parts.files).toEqual([file])
    const form = multipartForm(documentText(UPLOAD_EVIDENCE), evidenceVariables('m1', file, null))
    expect([...form.keys()]).toEqual(['operations', 'map', '0'])
    expect((form.get('0') as File).name).toBe('验收报告.pdf')
    expect(JSON.parse(form.get('operations') as string).variables.i.description).toBeNull()
  })
  it('maps every file, in lists and nested inputs, in the order met, and leaves other values alone', () => {
    const a = new Blob(['a'])
    const b = new File(['b'], 'b.png')
    const parts = multipartParts('mutation', { files: [a, b], i: { n: 1, s: 's', none: null, when: ['2026-12-01'] } })
    expect(JSON.parse(parts.operations).variables).toEqual({ files: [null, null], i: { n: 1, s: 's', none: null, when: ['2026-12-01'] } })
    expect(JSON.parse(parts.map)).toEqual({ 0: ['variables.files.0'], 1: ['variables.files.1'] })
    const form = multipartForm('mutation', { files: [a, b] })
    expect([...form.keys()]).toEqual(['operations', 'map', '0', '1'])
    expect((form.get('1') as File).name).toBe('b.png')
  })
  it('sends no file part when there is none', () => {
    expect(multipartParts('mutation', undefined)).toEqual({ operations: JSON.stringify({ query: 'mutation', variables: {} }), map: '{}', files: [] })
  })
})
