// The console's own formatting rules: Chinese labels, dates as YYYY-MM-DD, times in China
// Standard Time (UTC+8 all year: China has no daylight saving time), rates as percentages.
// The status and role names are replaced by the server's (labelCache.ts) once it has answered.
import { reactive } from 'vue'
import type { Enum } from './graphql'

export type MeasureStatus = Enum<'MeasureStatus'>

/** The statuses by their Chinese names, as the ledger export prints them. */
export const STATUS_LABELS: Record<MeasureStatus, string> = reactive({
  PENDING: '待启动',
  IN_PROGRESS: '整改中',
  SUBMITTED: '待验收',
  CLOSED: '已销号',
  LONG_TERM: '长期坚持',
  CANCELLED: '已撤销',
})

export const STATUSES = Object.keys(STATUS_LABELS) as MeasureStatus[]

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as MeasureStatus] ?? status
}

/** Element Plus tag type of a status. */
export function statusTagType(status: string): 'info' | 'primary' | 'warning' | 'success' | 'danger' {
  switch (status) {
    case 'IN_PROGRESS':
      return 'primary'
    case 'SUBMITTED':
      return 'warning'
    case 'CLOSED':
      return 'success'
    case 'LONG_TERM':
      return 'primary'
    default:
      return 'info'
  }
}

export const ROLE_LABELS: Record<string, string> = reactive({
  VIEWER: '查阅',
  EDITOR: '编辑（联络员）',
  SUPERVISOR: '督查',
  ADMIN: '管理员',
})

export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role
}

const ACTION_LABELS: Record<string, string> = {
  'measure.create': '创建措施',
  'measure.update': '修改措施',
  'measure.start': '启动整改',
  'measure.report_progress': '报告进展',
  'measure.submit': '提交验收',
  'measure.verify_pass': '验收通过（销号）',
  'measure.verify_reject': '验收退回',
  'measure.reopen': '回头看重新整改',
  'measure.declare_long_term': '转为长期坚持',
  'measure.cancel': '撤销措施',
  'measure.change_deadline': '调整整改时限',
  'problem.create': '登记问题',
  'problem.update': '修改问题',
  'problem.archive': '归档问题',
  'unit.create': '新建单位',
  'unit.update': '修改单位',
  'unit.archive': '归档单位',
  'person.create': '登记人员',
  'person.update': '修改人员',
  'person.archive': '归档人员',
  'account.create': '创建账号',
  'account.change_password': '修改密码',
  'account.disable': '停用账号',
  'account.enable': '启用账号',
  'role_grant.create': '授予角色',
  'role_grant.revoke': '收回角色',
  'campaign.create': '创建活动',
  'campaign.update': '修改活动',
  'campaign.set_ranking_weights': '设置排名权重',
  'campaign.set_report_rhythm': '设置报送频次',
  'milestone.create': '添加时间节点',
  'milestone.complete': '完成时间节点',
  'evidence.upload': '上传佐证材料',
  'evidence.withdraw': '撤回佐证材料',
  'progress_report.create': '报告进展',
  'verification.create': '验收',
  'look_back.create': '回头看',
  'deadline_extension.create': '申请延期',
  'deadline_extension.approve': '批准延期',
  'deadline_extension.reject': '不批准延期',
  'supervision.issue': '督办',
  'supervision.respond': '答复督办',
  'receipt.create': '交办待签收',
  'receipt.acknowledge': '签收',
  'receipt.withdraw': '撤回交办',
  'urging.create': '催办',
  'inbox.mark_read': '提醒标为已读',
  'feedback.create': '登记意见',
  'feedback.dismiss': '意见不予整改',
  'feedback.merge': '意见并入问题',
  'satisfaction_survey.create': '登记满意度测评',
  'satisfaction_survey.disclose': '测评结果公示',
  'commitment.create': '作出公开承诺',
  'commitment.fulfil': '兑现承诺',
  'bulletin.generate': '生成通报',
  'bulletin.disclose': '通报公开',
  'calendar_day.create': '登记节假日/调休',
  'calendar_day.update': '修改节假日/调休',
  'calendar_day.remove': '删除节假日/调休',
  'accountability.record': '记录问责',
  'accountability.revoke': '撤销问责',
  'score_adjustment.propose': '提出考核加减分',
  'score_adjustment.approve': '审定考核加减分',
  'score_adjustment.refuse': '不予认定考核加减分',
  'inspection.record': '登记督查',
  'inspection.add_finding': '督查发现问题',
}

/** Every action the trail knows, for the audit search (value and Chinese name). */
export function actionOptions(): { value: string; label: string }[] {
  return Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label: `${label}（${value}）` }))
}

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action
}

const CST_OFFSET_MS = 8 * 60 * 60 * 1000

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** The calendar date and time in China Standard Time of an instant. */
function cstParts(instant: string | Date): { date: string; time: string } | null {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime()
  if (Number.isNaN(ms)) return null
  const d = new Date(ms + CST_OFFSET_MS)
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
  }
}

/** A GraphQL `Date` (already YYYY-MM-DD) or an instant, as YYYY-MM-DD (China Standard Time). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—'
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  return cstParts(value)?.date ?? value
}

/** An instant as `YYYY-MM-DD HH:mm` in China Standard Time. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—'
  const parts = cstParts(value)
  return parts ? `${parts.date} ${parts.time}` : value
}

/** Today's date in China Standard Time. */
export function todayCst(now: Date = new Date()): string {
  return cstParts(now)?.date ?? ''
}

/** The instant that ends a calendar day in China Standard Time: the figures "as of" that day. */
export function endOfDayCst(date: string): string {
  return `${date}T23:59:59+08:00`
}

/** A rate in [0, 1] (null when there is nothing to divide) as a percentage with one decimal. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—'
  return `${(rate * 100).toFixed(1)}%`
}

export function formatBytes(size: number | string): string {
  const n = typeof size === 'string' ? Number(size) : size
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

/**
 * What an overdue measure is late with: its deadline, or (deadline still ahead) a time node
 * (时间节点) it missed, which makes it overdue too.
 */
export function overdueNote(m: { deadline: string; daysOverdue: number | null }, today: string = todayCst()): string {
  const days = m.daysOverdue ?? 0
  return m.deadline >= today ? `时间节点逾期 ${days} 天` : `逾期 ${days} 天`
}

/** The date `days` calendar days after `date` (YYYY-MM-DD; negative goes back). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * The half month (半月: the 1st to the 15th, the 16th to the month's end) that ended last before
 * `today`: the period a 半月通报 issued today covers.
 */
export function lastHalfMonth(today: string): { from: string; to: string } {
  const [y, m, d] = today.split('-').map(Number)
  const ym = (year: number, month: number) => `${year}-${pad(month)}`
  if (d > 15) return { from: `${ym(y, m)}-01`, to: `${ym(y, m)}-15` }
  const prevMonth = m === 1 ? 12 : m - 1
  const prevYear = m === 1 ? y - 1 : y
  const last = addDays(`${ym(y, m)}-01`, -1)
  return { from: `${ym(prevYear, prevMonth)}-16`, to: last }
}

/** The instant that starts a calendar day in China Standard Time. */
export function startOfDayCst(date: string): string {
  return `${date}T00:00:00+08:00`
}
