// The actions a measure's page offers (Measure.allowedActions, docs/permissions.md): for each
// action the form it opens (the mutation's fields), the input it sends, and where a refusal
// shows. The server decides what is allowed; the console offers the allowed ones as buttons and
// shows the refused ones disabled with the server's reason, never as if allowed.
import type { TadaDocumentNode } from 'gql.tada'
import { ApiError, gqlRequest, messageOf, type Unmet } from './api'
import { graphql, type ResultOf } from './graphql'
import { DISCLOSURE, REPORT_RHYTHM_KIND, SUPERVISION_KIND, label, oneOf, options } from './labels'
import { changes } from './forms'
import { todayCst } from './format'
import { rhythmDue, type RhythmLike } from './rhythm'

/** What Measure.allowedActions says of one action (the page's document spreads this fragment). */
export const PERMISSION = graphql(`fragment MeasurePermission on ActionPermission { action label mutation allowed code reason field }`)
export type Permission = ResultOf<typeof PERMISSION>

export type FieldKind = 'percent' | 'text' | 'textarea' | 'date' | 'select' | 'radio'

export interface FieldSpec {
  name: string
  label: string
  kind: FieldKind
  required?: boolean
  options?: () => { value: string; label: string }[]
  placeholder?: string
  /** Whether the form shows the field for this measure (always when not given). */
  shown?: (m: MeasureLike) => boolean
  /** A line under the field. */
  hint?: (m: MeasureLike) => string
  /** A date that may not be after today (China Standard Time). */
  notAfterToday?: boolean
}

/** What the form needs to know of the measure. */
export interface MeasureLike {
  id: string
  version: number
  title: string
  description: string | null
  acceptanceCriteria: string | null
  publicExplanation?: string | null
  disclosure: string
  progressPercent: number
  deadline: string
  leadUnit: { id?: string } | null
  extensions: { id: string; status: string; previousDeadline?: string; requestedDeadline?: string; reason?: string; requesterName?: string }[]
  /** The reporting rhythm that applies to the measure (rhythm.ts `rhythmFor`); null or absent: none. */
  reportRhythm?: RhythmLike | null
}

export type Values = Record<string, string | number | null>

export interface ActionForm {
  action: string
  fields: FieldSpec[]
  /** The mutation document; its variable is `$i`, the input object. */
  document: TadaDocumentNode<unknown, never>
  /** The form's first values. */
  initial(m: MeasureLike): Values
  /** The mutation's input from the form's values (typed as the mutation's input where the form is defined). */
  input(m: MeasureLike, v: Values): unknown
  /** Sends the mutation with that input. */
  send(m: MeasureLike, v: Values): Promise<unknown>
  /** A destructive or final action: its confirm button is red. */
  danger?: boolean
  /** A line under the title (what the action does). */
  note?: string
}

/**
 * An action's form over its mutation, `form(MUTATION)({ … })`: `input` is checked against the
 * mutation's `$i` (two calls, so that the input's type is fixed by the document before the
 * form's functions are read, and enum values in them keep their literal types).
 */
function form<R, I>(document: TadaDocumentNode<R, { i: I }>) {
  return (spec: Omit<ActionForm, 'document' | 'input' | 'send'> & { input(m: MeasureLike, v: Values): I }): ActionForm => ({
    ...spec,
    document,
    send: (m, v) => gqlRequest(document, { i: spec.input(m, v) }),
  })
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null)
const str = (v: unknown): string => String(v ?? '').trim()
const nullable = (v: string | number | null | undefined): string | null => (v === null || v === undefined ? null : String(v))
const versioned = (m: MeasureLike) => ({ id: m.id, expectedVersion: m.version })
/** A value the input cannot do without; missingFields has already asked for the form's own. */
function needed<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`缺少${what}`)
  return value
}

const START = graphql(`mutation($i: MeasureTransitionInput!) { startMeasure(input: $i) { measure { id version status } } }`)
const SUBMIT = graphql(`mutation($i: MeasureTransitionInput!) { submitMeasure(input: $i) { measure { id version status } } }`)
const VERIFY = graphql(`mutation($i: VerifyMeasureInput!) { verifyMeasure(input: $i) { measure { id version status } } }`)
const REOPEN = graphql(`mutation($i: ReopenMeasureInput!) { reopenMeasure(input: $i) { measure { id version status } } }`)
const LONG_TERM = graphql(`mutation($i: MeasureReasonInput!) { declareLongTerm(input: $i) { measure { id version status } } }`)
const CANCEL = graphql(`mutation($i: MeasureReasonInput!) { cancelMeasure(input: $i) { measure { id version status } } }`)
const REPORT = graphql(`mutation($i: ReportProgressInput!) { reportProgress(input: $i) { measure { id version status progressPercent } } }`)
const REQUEST_EXTENSION = graphql(`mutation($i: RequestDeadlineExtensionInput!) { requestDeadlineExtension(input: $i) { extension { id status } } }`)
const DECIDE_EXTENSION = graphql(`mutation($i: DecideDeadlineExtensionInput!) { decideDeadlineExtension(input: $i) { extension { id status } } }`)
const UPDATE = graphql(`mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { id version } } }`)
const DISCLOSE = graphql(`mutation($i: UpdateMeasureInput!) { updateMeasure(input: $i) { measure { id version disclosure } } }`)
const ISSUE_SUPERVISION = graphql(`mutation($i: IssueSupervisionInput!) { issueSupervision(input: $i) { supervisionAction { id } } }`)

const REASON: FieldSpec = { name: 'reason', label: '理由', kind: 'textarea', required: true }

const supervisionKinds = () => options(SUPERVISION_KIND)
const disclosures = () => options(DISCLOSURE)

/** What the 报送期间 of a progress report means for this measure. */
function periodHint(m: MeasureLike): string {
  if (!m.reportRhythm) return ''
  return `本措施报送频次为${label(REPORT_RHYTHM_KIND, m.reportRhythm.kind)}（${rhythmDue(m.reportRhythm)}）；补报以往期间的，选该期间内任一天。`
}

/** Whether a date picker of the field disables `day` (YYYY-MM-DD). */
export function dayDisabled(f: FieldSpec, day: string, today: string = todayCst()): boolean {
  return !!f.notAfterToday && day > today
}

/** The fields the form shows for this measure. */
export function fieldsFor(form: ActionForm, m: MeasureLike): FieldSpec[] {
  return form.fields.filter((f) => !f.shown || f.shown(m))
}

/** The request of a measure waiting for a decision, if any. */
export function pendingExtension(m: MeasureLike): MeasureLike['extensions'][number] | null {
  return m.extensions.find((x) => x.status === 'PENDING') ?? null
}

export const FORMS: Record<string, ActionForm> = {
  START: form(START)({
    action: 'START', fields: [],
    note: '措施由“待启动”转为“整改中”。',
    initial: () => ({}), input: (m) => versioned(m),
  }),
  REPORT_PROGRESS: form(REPORT)({
    action: 'REPORT_PROGRESS',
    fields: [
      { name: 'percent', label: '整改进度（%）', kind: 'percent', required: true },
      { name: 'text', label: '进展情况', kind: 'textarea', required: true, placeholder: '做了哪些工作' },
      { name: 'reason', label: '进度下调的理由', kind: 'textarea', placeholder: '进度低于当前时必填' },
      {
        name: 'period', label: '报送期间', kind: 'date', notAfterToday: true, placeholder: '不填即今天所在的期间',
        shown: (m) => !!m.reportRhythm, hint: periodHint,
      },
    ],
    initial: (m) => ({ percent: m.progressPercent, text: '', reason: '', period: '' }),
    input: (m, v) => ({
      ...versioned(m), percent: Number(v.percent ?? 0), text: str(v.text), reason: text(v.reason),
      // Only under a rhythm: the server refuses a period where none applies.
      period: m.reportRhythm ? text(v.period) : null,
    }),
  }),
  SUBMIT: form(SUBMIT)({
    action: 'SUBMIT', fields: [],
    note: '提交督查组验收：需整改进度 100% 且有佐证材料。',
    initial: () => ({}), input: (m) => versioned(m),
  }),
  VERIFY_PASS: form(VERIFY)({
    action: 'VERIFY_PASS',
    fields: [{ name: 'comment', label: '验收意见', kind: 'textarea', placeholder: '可选' }],
    note: '验收通过即销号，措施移出未完成台账。',
    initial: () => ({ comment: '' }),
    input: (m, v) => ({ ...versioned(m), result: 'PASS', comment: text(v.comment) }),
  }),
  VERIFY_REJECT: form(VERIFY)({
    action: 'VERIFY_REJECT', danger: true,
    fields: [{ ...REASON, label: '退回理由' }, { name: 'comment', label: '验收意见', kind: 'textarea', placeholder: '可选' }],
    note: '退回后措施回到“整改中”。',
    initial: () => ({ reason: '', comment: '' }),
    input: (m, v) => ({ ...versioned(m), result: 'REJECT', reason: text(v.reason), comment: text(v.comment) }),
  }),
  REOPEN: form(REOPEN)({
    action: 'REOPEN', danger: true,
    fields: [{ ...REASON, label: '回头看发现的问题' }, { name: 'newDeadline', label: '新的整改时限', kind: 'date', required: true }],
    initial: () => ({ reason: '', newDeadline: '' }),
    input: (m, v) => ({ ...versioned(m), reason: str(v.reason), newDeadline: str(v.newDeadline) }),
  }),
  DECLARE_LONG_TERM: form(LONG_TERM)({
    action: 'DECLARE_LONG_TERM',
    fields: [{ ...REASON, label: '向群众说明情况' }],
    initial: () => ({ reason: '' }),
    input: (m, v) => ({ ...versioned(m), reason: str(v.reason) }),
  }),
  CANCEL: form(CANCEL)({
    action: 'CANCEL', danger: true,
    fields: [{ ...REASON, label: '撤销理由' }],
    note: '措施只撤销、不删除，留痕可查。',
    initial: () => ({ reason: '' }),
    input: (m, v) => ({ ...versioned(m), reason: str(v.reason) }),
  }),
  REQUEST_EXTENSION: form(REQUEST_EXTENSION)({
    action: 'REQUEST_EXTENSION',
    fields: [{ name: 'newDeadline', label: '新的整改时限', kind: 'date', required: true }, { ...REASON, label: '申请理由' }],
    note: '只能提前，不能推后：推后须经审批。',
    initial: (m) => ({ newDeadline: m.deadline, reason: '' }),
    input: (m, v) => ({ ...versioned(m), newDeadline: str(v.newDeadline), reason: str(v.reason) }),
  }),
  DECIDE_EXTENSION: form(DECIDE_EXTENSION)({
    action: 'DECIDE_EXTENSION',
    fields: [
      { name: 'decision', label: '审批结果', kind: 'radio', required: true, options: () => [{ value: 'APPROVE', label: '批准' }, { value: 'REJECT', label: '不批准' }] },
      { name: 'comment', label: '审批意见', kind: 'textarea', placeholder: '可选' },
    ],
    initial: () => ({ decision: 'APPROVE', comment: '' }),
    input: (m, v) => ({ id: needed(pendingExtension(m)?.id, '待审批的申请'), decision: v.decision === 'REJECT' ? 'REJECT' : 'APPROVE', comment: text(v.comment) }),
  }),
  UPDATE: form(UPDATE)({
    action: 'UPDATE',
    fields: [
      { name: 'title', label: '措施名称', kind: 'text', required: true },
      { name: 'description', label: '措施内容', kind: 'textarea' },
      { name: 'acceptanceCriteria', label: '整改目标（工作标准）', kind: 'textarea', required: true },
      { name: 'publicExplanation', label: '向群众说明情况', kind: 'textarea' },
    ],
    initial: (m) => ({ title: m.title, description: m.description ?? '', acceptanceCriteria: m.acceptanceCriteria ?? '', publicExplanation: m.publicExplanation ?? '' }),
    input: (m, v) => ({
      ...versioned(m),
      ...changes(
        { title: m.title, description: m.description, acceptanceCriteria: m.acceptanceCriteria, publicExplanation: m.publicExplanation ?? null },
        { title: nullable(v.title), description: nullable(v.description), acceptanceCriteria: nullable(v.acceptanceCriteria), publicExplanation: nullable(v.publicExplanation) },
        ['title', 'description', 'acceptanceCriteria', 'publicExplanation'],
      ),
    }),
  }),
  DISCLOSE: form(DISCLOSE)({
    action: 'DISCLOSE',
    fields: [{ name: 'disclosure', label: '公开范围', kind: 'select', required: true, options: disclosures }],
    note: '措施的公开范围不能超过其所属问题。',
    initial: (m) => ({ disclosure: m.disclosure }),
    input: (m, v) => ({ ...versioned(m), disclosure: oneOf(DISCLOSURE, v.disclosure) }),
  }),
  ISSUE_SUPERVISION: form(ISSUE_SUPERVISION)({
    action: 'ISSUE_SUPERVISION',
    fields: [
      { name: 'kind', label: '督办方式', kind: 'select', required: true, options: supervisionKinds },
      { name: 'content', label: '督办内容', kind: 'textarea', required: true },
      { name: 'responseDue', label: '答复期限', kind: 'date' },
    ],
    note: '督办发往措施的牵头单位。',
    initial: () => ({ kind: 'NOTICE', content: '', responseDue: '' }),
    input: (m, v) => ({
      kind: needed(oneOf(SUPERVISION_KIND, v.kind), '督办方式'), targetUnitId: needed(m.leadUnit?.id, '牵头单位'), measureId: m.id,
      content: str(v.content), responseDue: text(v.responseDue),
    }),
  }),
}

/** The order of the buttons: the lifecycle first, then the rest. UPLOAD_EVIDENCE is the drop zone, not a button. */
export const BUTTON_ORDER = [
  'START', 'REPORT_PROGRESS', 'SUBMIT', 'VERIFY_PASS', 'VERIFY_REJECT', 'REOPEN', 'REQUEST_EXTENSION', 'DECIDE_EXTENSION',
  'DECLARE_LONG_TERM', 'ISSUE_SUPERVISION', 'UPDATE', 'DISCLOSE', 'CANCEL',
]

/** The close-out gate's conditions (`field` of GATE_NOT_MET), in Chinese. */
export const GATE_CONDITIONS: Record<string, string> = {
  progressPercent: '整改进度须达到 100%（先报告进展）',
  evidence: '须有未撤回的佐证材料（先上传）',
}

/** A refusal's reason for the button's tooltip: the gate's condition in Chinese, with the server's words. */
export function refusalText(p: Pick<Permission, 'code' | 'reason' | 'field'>): string {
  const condition = p.code === 'GATE_NOT_MET' && p.field ? GATE_CONDITIONS[p.field] : undefined
  if (condition) return `未达到条件：${condition}`
  return p.reason ?? p.code ?? ''
}

export interface Button extends Permission {
  /** Why it is disabled (the server's reason), or null. */
  tooltip: string | null
}

/**
 * The buttons for `permissions`: every allowed action with a form, in BUTTON_ORDER, and the ones
 * refused only by the close-out gate (GATE_NOT_MET: the account may, once progress is 100 % and
 * evidence is on file), disabled with the server's reason as the tooltip. Every other refusal
 * (no role there, not from this status, no request waiting) is not shown at all.
 */
export function buttonsOf(permissions: Permission[]): Button[] {
  const shown: Button[] = []
  for (const action of BUTTON_ORDER) {
    const p = permissions.find((x) => x.action === action)
    if (!p || !FORMS[action]) continue
    if (p.allowed) shown.push({ ...p, tooltip: null })
    else if (p.code === 'GATE_NOT_MET') shown.push({ ...p, tooltip: refusalText(p) })
  }
  return shown
}

/** Whether the account may upload evidence now. */
export function mayUpload(permissions: Permission[]): boolean {
  return permissions.some((p) => p.action === 'UPLOAD_EVIDENCE' && p.allowed)
}

/** Where a refused action's error shows in its form. */
export interface FormError {
  /** Messages at the fields of the form, by field name. */
  fields: Record<string, string>
  /** The message at the top of the form (when no field of the form is named). */
  form: string
  /** The close-out conditions unmet (GATE_NOT_MET). */
  unmet: Unmet[]
  /** The measure changed since it was loaded: the form offers to reload. */
  conflict: boolean
  requestId: string | null
}

/** The names the server gives a field that the form calls otherwise. */
const ALIASES: Record<string, string> = { deadline: 'newDeadline', responseDueOn: 'responseDue' }

export function formErrorOf(e: unknown, form: ActionForm): FormError {
  const out: FormError = { fields: {}, form: '', unmet: [], conflict: false, requestId: null }
  const message = e instanceof Error ? e.message : String(e)
  if (!(e instanceof ApiError)) {
    out.form = messageOf(e)
    return out
  }
  out.requestId = e.requestId
  out.conflict = e.code === 'CONFLICT'
  out.unmet = e.code === 'GATE_NOT_MET' ? e.unmet : []
  const names = form.fields.map((f) => f.name)
  const named = e.field?.split('.').pop() ?? null
  const field = named ? (names.includes(named) ? named : ALIASES[named] && names.includes(ALIASES[named]) ? ALIASES[named] : null) : null
  if (field && !out.conflict) out.fields[field] = message
  else out.form = message
  return out
}

/** The fields a form asks for but were left empty (checked before sending). */
export function missingFields(form: ActionForm, v: Values): string[] {
  return form.fields.filter((f) => f.required && (v[f.name] === null || v[f.name] === undefined || String(v[f.name]).trim() === '')).map((f) => f.name)
}
