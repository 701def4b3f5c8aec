import { describe, expect, it } from 'vitest'
import { awaitsReceipt, type Action } from './supervision'

const action = (over: Partial<Action> = {}): Action => ({
  id: 'a', kind: 'NOTICE', content: '限期整改', responseDue: null, issuerName: '县督查组', issuedAt: '2026-12-01T01:00:00Z',
  response: null, responderName: null, respondedAt: null, open: true, responseOverdue: false,
  targetUnit: { id: 'u', name: '县水利局' }, measure: null, problem: null, receipt: null, urgings: [], ...over,
} as Action)

const receipt = (acknowledgedAt: string | null) => ({ id: 'r', version: 1, dueOn: '2026-12-04', acknowledgedAt, acknowledgerName: null, late: false })

describe('签收 before 答复', () => {
  it('waits for the receipt of an open action not yet signed for', () => {
    expect(awaitsReceipt(action({ receipt: receipt(null) }))).toBe(true)
  })
  it('offers the answer once signed, and for actions issued before 签收 existed', () => {
    expect(awaitsReceipt(action({ receipt: receipt('2026-12-02T02:00:00Z') }))).toBe(false)
    expect(awaitsReceipt(action({ receipt: null }))).toBe(false)
  })
  it('never waits on an answered action', () => {
    expect(awaitsReceipt(action({ open: false, receipt: receipt(null) }))).toBe(false)
  })
})
