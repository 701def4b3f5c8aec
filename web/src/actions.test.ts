import { describe, expect, it } from 'vitest'
import { ApiError } from './api'
import { documentText } from './graphql'
import { BUTTON_ORDER, FORMS, buttonsOf, dayDisabled, fieldsFor, refusalText, formErrorOf, mayUpload, missingFields, pendingExtension, type MeasureLike, type Permission } from './actions'

const measure: MeasureLike = {
  id: 'm1', version: 7, title: '清淤', description: null, acceptanceCriteria: '完成清淤', publicExplanation: null,
  disclosure: 'INTERNAL', progressPercent: 60, deadline: '2026-12-31', leadUnit: { id: 'u1' },
  extensions: [{ id: 'x0', status: 'REJECTED' }, { id: 'x1', status: 'PENDING' }],
}
const p = (action: Permission['action'], allowed: boolean, code: string | null = null, reason: string | null = null, field: string | null = null): Permission =>
  ({ action, label: action, mutation: '', allowed, code, reason, field })

describe('which actions are offered', () => {
  it('offers the allowed ones in the lifecycle order, and never the evidence upload as a button', () => {
    const shown = buttonsOf([p('SUBMIT', true), p('UPLOAD_EVIDENCE', true), p('REPORT_PROGRESS', true), p('START', false, 'INVALID_TRANSITION', '不能')])
    expect(shown.map((b) => b.action)).toEqual(['REPORT_PROGRESS', 'SUBMIT'])
    expect(shown.every((b) => b.tooltip === null)).toBe(true)
  })
  it('shows a close-out gate refusal disabled with its reason, and hides refusals for want of a role', () => {
    const shown = buttonsOf([
      p('SUBMIT', false, 'GATE_NOT_MET', '整改进度未达到 100%', 'progressPercent'),
      p('VERIFY_PASS', false, 'FORBIDDEN', '需要督查角色'),
      p('CANCEL', false, 'UNAUTHENTICATED', '请登录'),
    ])
    expect(shown).toHaveLength(1)
    expect(shown[0]).toMatchObject({ action: 'SUBMIT', allowed: false, tooltip: '未达到条件：整改进度须达到 100%（先报告进展）' })
    expect(refusalText({ code: 'GATE_NOT_MET', field: 'other', reason: 'why' })).toBe('why')
  })
  it('has a form for every button it can show', () => {
    for (const action of BUTTON_ORDER) expect(FORMS[action]?.action).toBe(action)
  })
  it('offers the drop zone only when the server allows the upload', () => {
    expect(mayUpload([p('UPLOAD_EVIDENCE', true)])).toBe(true)
    expect(mayUpload([p('UPLOAD_EVIDENCE', false, 'FORBIDDEN', 'x')])).toBe(false)
    expect(mayUpload([])).toBe(false)
  })
})

describe('each action form sends its mutation\'s input', () => {
  it('reports progress with the loaded version, the reason only when given', () => {
    const f = FORMS.REPORT_PROGRESS
    expect(f.fields.map((x) => x.name)).toEqual(['percent', 'text', 'reason', 'period'])
    expect(f.initial(measure)).toEqual({ percent: 60, text: '', reason: '', period: '' })
    expect(f.input(measure, { percent: 100, text: ' 完成 ', reason: '', period: '' })).toEqual({ id: 'm1', expectedVersion: 7, percent: 100, text: '完成', reason: null, period: null })
    expect(documentText(f.document)).toContain('reportProgress(input: $i)')
  })
  it('offers the 报送期间 only under a reporting rhythm, and sends it only then', () => {
    const f = FORMS.REPORT_PROGRESS
    const weekly = { ...measure, reportRhythm: { kind: 'WEEKLY' as const, weekday: 5 } }
    expect(fieldsFor(f, measure).map((x) => x.name)).toEqual(['percent', 'text', 'reason'])
    expect(fieldsFor(f, { ...measure, reportRhythm: null }).map((x) => x.name)).not.toContain('period')
    const period = fieldsFor(f, weekly).find((x) => x.name === 'period')
    expect(period?.required).toBeFalsy()
    expect(period?.hint?.(weekly)).toBe('本措施报送频次为周报（每周五报送）；补报以往期间的，选该期间内任一天。')
    expect(f.input(weekly, { percent: 70, text: '补报', reason: '', period: '2026-11-20' })).toMatchObject({ period: '2026-11-20' })
    expect(f.input(weekly, { percent: 70, text: '本期', reason: '', period: '' })).toMatchObject({ period: null })
    expect(f.input(measure, { percent: 70, text: '无频次', reason: '', period: '2026-11-20' })).toMatchObject({ period: null })
    expect(missingFields(f, { percent: 70, text: '本期', reason: '', period: '' })).toEqual([])
  })
  it('keeps a 报送期间 from being after today', () => {
    const period = FORMS.REPORT_PROGRESS.fields.find((x) => x.name === 'period')!
    expect(dayDisabled(period, '2026-12-04', '2026-12-03')).toBe(true)
    expect(dayDisabled(period, '2026-12-03', '2026-12-03')).toBe(false)
    expect(dayDisabled(FORMS.REOPEN.fields[1], '2027-01-31', '2026-12-03')).toBe(false)
  })
  it('verifies PASS or REJECT, a rejection with its reason', () => {
    expect(FORMS.VERIFY_PASS.input(measure, { comment: '' })).toEqual({ id: 'm1', expectedVersion: 7, result: 'PASS', comment: null })
    expect(FORMS.VERIFY_REJECT.input(measure, { reason: '材料不全', comment: '' })).toMatchObject({ result: 'REJECT', reason: '材料不全' })
    expect(FORMS.VERIFY_REJECT.fields.find((x) => x.name === 'reason')?.required).toBe(true)
  })
  it('reopens with a reason and a new deadline; long-term and cancel with a reason', () => {
    expect(FORMS.REOPEN.input(measure, { reason: '反弹', newDeadline: '2027-01-31' })).toEqual({ id: 'm1', expectedVersion: 7, reason: '反弹', newDeadline: '2027-01-31' })
    expect(documentText(FORMS.DECLARE_LONG_TERM.document)).toContain('declareLongTerm')
    expect(FORMS.CANCEL.input(measure, { reason: '重复' })).toEqual({ id: 'm1', expectedVersion: 7, reason: '重复' })
  })
  it('asks for an extension, and decides the request that waits (no version: the request is decided)', () => {
    expect(FORMS.REQUEST_EXTENSION.initial(measure)).toEqual({ newDeadline: '2026-12-31', reason: '' })
    expect(pendingExtension(measure)).toEqual({ id: 'x1', status: 'PENDING' })
    expect(FORMS.DECIDE_EXTENSION.input(measure, { decision: 'REJECT', comment: '' })).toEqual({ id: 'x1', decision: 'REJECT', comment: null })
  })
  it('builds no input it could not send: no request waiting, no lead unit, a kind not offered', () => {
    expect(() => FORMS.DECIDE_EXTENSION.input({ ...measure, extensions: [] }, { decision: 'APPROVE', comment: '' })).toThrow('缺少待审批的申请')
    expect(() => FORMS.ISSUE_SUPERVISION.input({ ...measure, leadUnit: null }, { kind: 'TALK', content: 'x', responseDue: '' })).toThrow('缺少牵头单位')
    expect(() => FORMS.ISSUE_SUPERVISION.input(measure, { kind: 'SHOUT', content: 'x', responseDue: '' })).toThrow('缺少督办方式')
  })
  it('issues supervision to the measure\'s lead unit', () => {
    expect(FORMS.ISSUE_SUPERVISION.input(measure, { kind: 'TALK', content: '请说明', responseDue: '' }))
      .toEqual({ kind: 'TALK', targetUnitId: 'u1', measureId: 'm1', content: '请说明', responseDue: null })
  })
  it('updates only the fields changed, and the disclosure apart', () => {
    const v = { ...FORMS.UPDATE.initial(measure), title: '清淤加固' }
    expect(FORMS.UPDATE.input(measure, v)).toEqual({ id: 'm1', expectedVersion: 7, title: '清淤加固' })
    expect(FORMS.DISCLOSE.input(measure, { disclosure: 'PUBLIC' })).toEqual({ id: 'm1', expectedVersion: 7, disclosure: 'PUBLIC' })
  })
  it('names the required fields left empty', () => {
    expect(missingFields(FORMS.REOPEN, { reason: ' ', newDeadline: null })).toEqual(['reason', 'newDeadline'])
    expect(missingFields(FORMS.REPORT_PROGRESS, { percent: 0, text: '做了', reason: '' })).toEqual([])
  })
})

describe('where a refusal shows in the form', () => {
  it('at the field the server names', () => {
    const e = formErrorOf(new ApiError('进度下调需说明理由', 'BAD_USER_INPUT', 'reason', 'rid-1'), FORMS.REPORT_PROGRESS)
    expect(e).toEqual({ fields: { reason: '进度下调需说明理由' }, form: '', unmet: [], conflict: false, requestId: 'rid-1' })
    expect(formErrorOf(new ApiError('x', 'BAD_USER_INPUT', 'input.newDeadline'), FORMS.REOPEN).fields).toEqual({ newDeadline: 'x' })
  })
  it('at the top with every unmet condition of the close-out gate', () => {
    const unmet = [{ field: 'progressPercent', message: '进度未到 100%' }, { field: 'evidence', message: '没有佐证材料' }]
    const e = formErrorOf(new ApiError('未达到销号条件', 'GATE_NOT_MET', 'progressPercent', null, unmet), FORMS.SUBMIT)
    expect(e).toMatchObject({ fields: {}, form: '未达到销号条件', unmet })
  })
  it('a stale version as a conflict at the top, whatever field it names', () => {
    const e = formErrorOf(new ApiError('版本已变', 'CONFLICT', 'expectedVersion'), FORMS.VERIFY_PASS)
    expect(e).toMatchObject({ conflict: true, form: '版本已变', fields: {} })
  })
  it('anything else at the top', () => {
    expect(formErrorOf(new Error('断网'), FORMS.START)).toMatchObject({ form: '断网', conflict: false })
    expect(formErrorOf(new ApiError('无权', 'FORBIDDEN', 'id'), FORMS.START).form).toBe('无权')
  })
})
