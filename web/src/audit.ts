// What an audit event changed: the fields whose value differs between its `before` and `after`
// snapshots (full rows, snake_case columns as the database holds them), with Chinese field
// names and values. Bookkeeping columns (id, version, timestamps) are left out: every change
// moves them.
import { STATUS_LABELS } from './format'
import { graphql, type ResultOf } from './graphql'
import {
  CAMPAIGN_PHASE, COMMITMENT_STATUS, DAY_KIND, DISCLOSURE, EXTENSION_STATUS, FEEDBACK_CHANNEL, FEEDBACK_STATUS,
  PROBLEM_SOURCE, RECTIFICATION_KIND, RESPONSIBILITY_LEVEL, SEVERITY, SUPERVISION_KIND, SURVEY_METHOD, UNIT_KIND,
} from './labels'

/** An event of an object's history as its page shows it (HistoryTimeline.vue). */
export const HISTORY_EVENT = graphql(`fragment HistoryEvent on AuditEvent { seq occurredAt action actor { id displayName } reason before after }`)
export type HistoryEvent = ResultOf<typeof HISTORY_EVENT>

const SKIPPED = new Set(['id', 'version', 'created_at', 'updated_at', 'createdAt', 'updatedAt'])

const FIELD_LABELS: Record<string, string> = {
  title: '标题', description: '内容', acceptance_criteria: '整改目标', deadline: '整改时限',
  original_deadline: '原定时限', status: '状态', progress_percent: '整改进度', started_on: '启动日期',
  submitted_on: '提交验收日期', closed_on: '销号日期', lead_unit_id: '牵头单位', responsible_leader_id: '责任领导',
  responsible_person_id: '责任人', disclosure: '公示范围', public_explanation: '向群众说明情况',
  relapse_count: '反弹次数', extension_count: '延期次数', last_relapse_on: '最近反弹日期', problem_id: '所属问题',
  measure_id: '所属措施', code: '编号', category: '类别', source: '来源', source_detail: '来源说明',
  found_on: '发现日期', responsibility_level: '责任层级', severity: '严重程度', rectification_kind: '整改方式',
  root_cause: '原因剖析', archived: '已归档', name: '名称', short_code: '简称代码', kind: '类型', parent_id: '上级单位',
  head_id: '主要负责人', sort_order: '排序', ranking_category: '排名类别', position: '职务', contact: '联系方式',
  unit_id: '单位', campaign_id: '活动', phase: '阶段', starts_on: '开始日期', ends_on: '结束日期',
  satisfaction_threshold: '满意度目标', content: '内容', due_on: '应完成日期', done_on: '完成日期',
  fulfilled_on: '兑现日期', fulfilment_note: '兑现情况', response: '答复', response_due: '答复期限',
  responded_at: '答复时间', channel: '渠道', received_on: '收到日期', submitter: '提出人',
  dismiss_reason: '不予整改理由', person_id: '承诺人', file_name: '文件名', size: '大小', sha256: 'SHA-256',
  withdrawn: '已撤回', withdraw_reason: '撤回理由', username: '账号', display_name: '显示名称',
  disabled: '已停用', role: '角色', date: '日期', percent: '进度', text: '进展内容', reason: '理由',
  requested_deadline: '申请时限', previous_deadline: '原时限', result: '验收结果', comment: '意见',
  participants: '参测人数', satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意',
  method: '测评方式', held_on: '测评日期', note: '说明', verified_by_inspection_group: '须督查组验收',
  evidence_optional_for_immediate: '立行立改免佐证', ranking_weights: '排名权重', issue_number: '期号',
  target_unit_id: '督办单位', issuer_name: '督办人', cooperating_unit_ids: '配合单位', submitted_by: '提交人',
  as_of: '统计时点', audit_seq: '校验点序号', audit_hash: '校验点哈希', generated_by: '生成人', html: '打印页',
  markdown: '正文', public_html: '公开版打印页', public_markdown: '公开版正文', period_from: '通报起始', period_to: '通报截止',
  reporter_name: '报告人', reported_on: '报告日期', verifier_name: '验收人', uploader_name: '上传人', media_type: '文件类型',
}

const VALUE_TABLES: Record<string, Record<string, string>[]> = {
  status: [STATUS_LABELS, FEEDBACK_STATUS, COMMITMENT_STATUS, EXTENSION_STATUS],
  disclosure: [DISCLOSURE],
  severity: [SEVERITY],
  source: [PROBLEM_SOURCE],
  rectification_kind: [RECTIFICATION_KIND],
  responsibility_level: [RESPONSIBILITY_LEVEL],
  channel: [FEEDBACK_CHANNEL],
  kind: [UNIT_KIND, SUPERVISION_KIND, DAY_KIND],
  method: [SURVEY_METHOD],
  phase: [CAMPAIGN_PHASE],
}

export interface FieldChange {
  field: string
  label: string
  before: unknown
  after: unknown
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field
}

/**
 * The fields an event changed, in the order of the `after` row (then fields only `before`
 * had). On a create (`before` null) every field set is listed with `before` undefined.
 */
export function diffEvent(before: unknown, after: unknown): FieldChange[] {
  const b = isObject(before) ? before : {}
  const a = isObject(after) ? after : {}
  const created = !isObject(before)
  const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))]
  const changes: FieldChange[] = []
  for (const field of keys) {
    if (SKIPPED.has(field)) continue
    if (created && (a[field] === null || a[field] === undefined || a[field] === '' || (Array.isArray(a[field]) && (a[field] as unknown[]).length === 0))) continue
    if (!created && same(b[field], a[field])) continue
    changes.push({ field, label: fieldLabel(field), before: created ? undefined : b[field], after: a[field] })
  }
  return changes
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * A snapshot value as the console shows it: enums by their Chinese names, booleans as 是/否,
 * percentages with %, ids through `name` (units, people … the page knows), "—" for nothing.
 */
export function formatValue(field: string, value: unknown, name: (id: string) => string | undefined = () => undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (typeof value === 'string') {
    for (const table of VALUE_TABLES[field] ?? []) {
      if (value in table) return table[value]
    }
    if (UUID.test(value)) return name(value) ?? `${value.slice(0, 8)}…`
    if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return value // instants are shown by the caller's formatter
    return value
  }
  if (typeof value === 'number') {
    if (field === 'progress_percent' || field === 'percent') return `${value}%`
    if (field === 'satisfaction_threshold') return `${(value * 100).toFixed(0)}%`
    return String(value)
  }
  if (Array.isArray(value)) return value.map((v) => formatValue(field, v, name)).join('、') || '—'
  return JSON.stringify(value)
}

/** A long value cut to `max` characters, saying how long it was (a bulletin's text, a description). */
export function shorten(text: string, max = 160): { text: string; cut: boolean } {
  const chars = [...text]
  if (chars.length <= max) return { text, cut: false }
  return { text: `${chars.slice(0, max).join('')}…（共 ${chars.length} 字）`, cut: true }
}
