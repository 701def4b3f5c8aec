// The Chinese names of the API's enums, as the console shows them. These are the built-in
// names, shown until the server's own table (`labels`) has answered: labelCache.ts then writes
// the server's names into these same (reactive) tables, so every page shows them. The measure
// statuses are in format.ts (STATUS_LABELS).
import { reactive } from 'vue'
import type { Enum } from './graphql'

export const PROBLEM_STATUS: Record<Enum<'ProblemStatus'>, string> = reactive({ OPEN: '未制定措施', IN_PROGRESS: '整改中', RECTIFIED: '已整改' })
export const SEVERITY: Record<Enum<'Severity'>, string> = reactive({ HIGH: '严重', MEDIUM: '较重', LOW: '一般' })
export const RECTIFICATION_KIND: Record<Enum<'RectificationKind'>, string> = reactive({ IMMEDIATE: '立即整改', WITHIN_DEADLINE: '限期整改', LONG_TERM: '逐步解决' })
export const RESPONSIBILITY_LEVEL: Record<Enum<'ResponsibilityLevel'>, string> = reactive({
  LEADERSHIP_TEAM: '班子', BRANCH: '支部', LEADING_CADRE: '领导干部', MEMBER: '普通党员',
})
export const PROBLEM_SOURCE: Record<Enum<'ProblemSource'>, string> = reactive({
  FORUM: '座谈会', OPINION_FORM: '征求意见表', SUGGESTION_BOX: '意见箱', LETTER: '信函', VISIT: '走访',
  SURVEY: '民意调查', INSPECTION_FEEDBACK: '巡视反馈', SUPERVISION: '督查发现', UNANNOUNCED_VISIT: '明察暗访',
  SELF_INSPECTION: '自查', OTHER: '其他',
})
export const DISCLOSURE: Record<Enum<'Disclosure'>, string> = reactive({ INTERNAL: '内部', SYSTEM: '系统内公开', PUBLIC: '向社会公示' })
export const FEEDBACK_CHANNEL: Record<Enum<'FeedbackChannel'>, string> = reactive({
  FORUM: '座谈会', FORM: '征求意见表', SUGGESTION_BOX: '意见箱', ONLINE_BOX: '网络电子意见箱', LETTER: '来信',
  VISIT: '登门走访', SURVEY: '民意调查', INSPECTION: '巡视/督查反馈', SUPERVISION: '督办', OTHER: '其他',
})
export const FEEDBACK_STATUS: Record<Enum<'FeedbackStatus'>, string> = reactive({ NEW: '待处理', MERGED: '已并入问题', DISMISSED: '不予整改' })
export const SUPERVISION_KIND: Record<Enum<'SupervisionKind'>, string> = reactive({
  NOTICE: '整改通知书', NAMED_CRITICISM: '点名批评书', DISPOSAL_RECOMMENDATION: '处理建议书', TALK: '约谈',
  BULLETIN_CRITICISM: '通报批评', WRITTEN_EXPLANATION: '书面说明',
})
export const SURVEY_METHOD: Record<Enum<'SurveyMethod'>, string> = reactive({ REPRESENTATIVES: '群众代表测评', RANDOM_SAMPLE: '随机抽样调查', OTHER: '其他' })
export const COMMITMENT_STATUS: Record<Enum<'CommitmentStatus'>, string> = reactive({ PLEDGED: '已承诺', FULFILLED: '已兑现' })
export const UNIT_KIND: Record<Enum<'UnitKind'>, string> = reactive({
  COMMITTEE: '党委', DEPARTMENT: '部门', DIVISION: '处室/股室', TOWNSHIP: '乡镇', BRANCH: '党支部',
  OFFICE: '办公室', INSPECTION_GROUP: '督查组', OTHER: '其他',
})
export const CAMPAIGN_PHASE: Record<Enum<'CampaignPhase'>, string> = reactive({
  MOBILIZATION: '学习动员', ANALYSIS: '分析检查', RECTIFICATION: '整改落实', CONCLUDED: '已结束',
})
export const DAY_KIND: Record<Enum<'DayKind'>, string> = reactive({ HOLIDAY: '放假', WORKDAY: '调休上班' })
export const EXTENSION_STATUS: Record<Enum<'ExtensionStatus'>, string> = reactive({ PENDING: '待审批', APPROVED: '已批准', REJECTED: '未批准' })
export const ACCOUNTABILITY_KIND: Record<Enum<'AccountabilityKind'>, string> = reactive({
  TALK: '约谈', BULLETIN_CRITICISM: '通报批评', ADMONITION: '诫勉谈话', ORDERED_EXAMINATION: '责令检查',
  ORGANIZATIONAL_HANDLING: '组织处理', DISCIPLINARY_SANCTION: '纪律处分', ONE_VOTE_VETO: '一票否决',
})
export const ADJUSTMENT_KIND: Record<Enum<'AdjustmentKind'>, string> = reactive({ BONUS: '加分', DEDUCTION: '减分' })
export const ADJUSTMENT_STATUS: Record<Enum<'AdjustmentStatus'>, string> = reactive({ PROPOSED: '待审定', APPROVED: '已审定', REFUSED: '未予认定' })
export const REPORT_RHYTHM_KIND: Record<Enum<'ReportRhythmKind'>, string> = reactive({ DAILY: '日报', WEEKLY: '周报', HALF_MONTHLY: '半月报', MONTHLY: '月报' })
export const INSPECTION_MODE: Record<Enum<'InspectionMode'>, string> = reactive({ OPEN: '明察', UNANNOUNCED: '暗访' })
export const ENTITY_TYPE: Record<string, string> = reactive({
  Unit: '单位', Person: '人员', Account: '账号', Campaign: '活动', Problem: '问题', Measure: '整改措施',
  Milestone: '时间节点', Evidence: '佐证材料', Feedback: '意见建议', SatisfactionSurvey: '满意度测评',
  Commitment: '公开承诺', SupervisionAction: '督办', Bulletin: '通报', CalendarDay: '工作日历',
  DeadlineExtension: '延期申请', Verification: '验收', ProgressReport: '进展报告', LookBack: '回头看',
  RoleGrant: '角色授权', Grant: '角色授权', Accountability: '问责', ScoreAdjustment: '考核加减分', Inspection: '督查',
})

/** The label of `value` in `table`, or the value itself when the table has none. */
export function label(table: Record<string, string>, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  return table[value] ?? value
}

/** The options of a select: each value (of the table's enum) with its label, in the table's order. */
export function options<K extends string>(table: Record<K, string>): { value: K; label: string }[] {
  return keysOf(table).map((value) => ({ value, label: table[value] }))
}

/** The values of a table's enum, in the table's order. */
export function keysOf<K extends string>(table: Record<K, string>): K[] {
  // Object.keys is string[] whatever the object; the tables' keys are their enum's values.
  return Object.keys(table) as K[]
}

/** `value` when it is one of the table's enum values (a form's select), else null. */
export function oneOf<K extends string>(table: Record<K, string>, value: unknown): K | null {
  return keysOf(table).find((k) => k === value) ?? null
}

const CHANNEL_SOURCE: Record<string, Enum<'ProblemSource'>> = {
  FORUM: 'FORUM', FORM: 'OPINION_FORM', SUGGESTION_BOX: 'SUGGESTION_BOX', ONLINE_BOX: 'SUGGESTION_BOX', LETTER: 'LETTER',
  VISIT: 'VISIT', SURVEY: 'SURVEY', INSPECTION: 'INSPECTION_FEEDBACK', SUPERVISION: 'SUPERVISION', OTHER: 'OTHER',
}

/** The problem source an opinion's channel stands for (a new problem made from it). */
export function sourceOfChannel(channel: string): Enum<'ProblemSource'> {
  return CHANNEL_SOURCE[channel] ?? 'OTHER'
}

export const VERIFICATION_RESULT: Record<Enum<'VerificationResult'>, string> = reactive({ PASS: '验收通过', REJECT: '验收退回' })
export const MEASURE_ACTION: Record<Enum<'MeasureAction'>, string> = reactive({
  START: '启动整改', REPORT_PROGRESS: '报告进展', SUBMIT: '提交验收', VERIFY_PASS: '验收通过（销号）', VERIFY_REJECT: '验收退回',
  REOPEN: '回头看重新整改', DECLARE_LONG_TERM: '转为长期坚持', CANCEL: '撤销措施', REQUEST_EXTENSION: '申请调整时限',
  DECIDE_EXTENSION: '审批时限调整', UPLOAD_EVIDENCE: '上传佐证材料', UPDATE: '修改措施', DISCLOSE: '调整公开范围', ISSUE_SUPERVISION: '发出督办',
})
