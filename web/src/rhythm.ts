// 报送频次: when a campaign's progress reports are due (docs/reports.md, "Reporting rhythms"),
// in words for the 报送 page and the measure's progress form, the rhythm that applies to a unit
// (its own, else the nearest unit above it with one, else the campaign's default), and the
// 设置报送频次 form's values turned into `setReportRhythm`'s input, checked before sending.
import { graphql, type Enum } from './graphql'
import { REPORT_RHYTHM_KIND, label } from './labels'

export type RhythmKind = Enum<'ReportRhythmKind'>

/** What the console reads of a campaign's setting (`ReportRhythm`), wherever it shows it. */
export const REPORT_RHYTHM = graphql(`fragment ReportRhythmFields on ReportRhythm {
  since default { kind weekday } units { unit { id name shortCode } rhythm { kind weekday } }
}`)

/** A rhythm as the API gives it (`Rhythm`): WEEKLY names its weekday, 1 Monday … 7 Sunday. */
export interface RhythmLike {
  kind: RhythmKind
  weekday?: number | null
}

/** A campaign's setting as the API gives it (`ReportRhythm`). */
export interface ReportRhythmLike {
  since?: string
  default: RhythmLike | null
  units: { unit: { id: string; name?: string } | null; rhythm: RhythmLike }[]
}

export const WEEKDAY_NAMES = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const

/** 1 (Monday) … 7 (Sunday) as 周一 … 周日; anything else as '—'. */
export function weekdayName(weekday: number | null | undefined): string {
  return weekday && weekday >= 1 && weekday <= 7 ? WEEKDAY_NAMES[weekday - 1] : '—'
}

/** When a rhythm's reports are due, in words: 每月15日和月末报送. */
export function rhythmDue(r: RhythmLike): string {
  switch (r.kind) {
    case 'DAILY':
      return '每个工作日报送'
    case 'WEEKLY':
      return `每${weekdayName(r.weekday)}报送`
    case 'HALF_MONTHLY':
      return '每月15日和月末报送'
    case 'MONTHLY':
      return '每月月末报送'
  }
}

/** A rhythm in words, its name first: 半月报：每月15日和月末报送. */
export function rhythmInWords(r: RhythmLike | null | undefined): string {
  if (!r) return '不要求定期报送'
  return `${label(REPORT_RHYTHM_KIND, r.kind)}：${rhythmDue(r)}`
}

/** What a campaign's setting asks of the units without one of their own: its default in words, or that there is none. */
export function defaultInWords(rr: ReportRhythmLike | null | undefined): string {
  if (!rr || (!rr.default && rr.units.length === 0)) return '未设置报送频次，不要求定期报送进展'
  return rr.default ? rhythmInWords(rr.default) : '未设默认频次，仅下列单位报送'
}

/**
 * The rhythm that applies to the measures `unitId` leads: the unit's own setting, else the
 * nearest unit above it with one, else the default (null: that unit's measures owe no reports).
 * `parentOf` gives a unit's parent (null at the root).
 */
export function rhythmFor(unitId: string | null | undefined, rr: ReportRhythmLike | null | undefined, parentOf: (id: string) => string | null | undefined): RhythmLike | null {
  if (!rr) return null
  const own = new Map(rr.units.filter((u) => u.unit).map((u) => [u.unit!.id, u.rhythm]))
  const seen = new Set<string>()
  for (let id = unitId ?? null; id && !seen.has(id); id = parentOf(id) ?? null) {
    seen.add(id)
    const r = own.get(id)
    if (r) return r
  }
  return rr.default
}

/** One line of the 设置报送频次 form: '' is no kind chosen (for the default: no default). */
export interface RhythmRow {
  kind: RhythmKind | ''
  weekday: number | null
}

export interface UnitRhythmRow extends RhythmRow {
  unitId: string
}

export interface RhythmForm {
  default: RhythmRow
  units: UnitRhythmRow[]
}

/** The weekday a weekly rhythm is offered first: Friday, the end of the working week. */
export const DEFAULT_WEEKDAY = 5

/** The form filled with the campaign's setting; a campaign without one is offered 半月报, the bulletins' cadence. */
export function rhythmForm(rr: ReportRhythmLike | null | undefined): RhythmForm {
  const row = (r: RhythmLike): RhythmRow => ({ kind: r.kind, weekday: r.kind === 'WEEKLY' ? (r.weekday ?? DEFAULT_WEEKDAY) : null })
  if (!rr) return { default: { kind: 'HALF_MONTHLY', weekday: null }, units: [] }
  return {
    default: rr.default ? row(rr.default) : { kind: '', weekday: null },
    units: rr.units.filter((u) => u.unit).map((u) => ({ unitId: u.unit!.id, ...row(u.rhythm) })),
  }
}

/** A line after its kind changed: a weekly one gets a weekday (Friday unless it had one), the others none. */
export function withKind<R extends RhythmRow>(row: R, kind: RhythmKind | ''): R {
  return { ...row, kind, weekday: kind === 'WEEKLY' ? (row.weekday ?? DEFAULT_WEEKDAY) : null }
}

export interface RhythmInputValue {
  kind: RhythmKind
  weekday: number | null
}

export interface SetRhythmValues {
  default: RhythmInputValue | null
  units: { unitId: string; rhythm: RhythmInputValue }[]
}

/**
 * `setReportRhythm`'s `default` and `units` from the form, or the errors to show first, by the
 * form's places: `default`, `units.N` (the N-th unit line). No default and no unit: no rhythm.
 */
export function rhythmInput(form: RhythmForm): { values: SetRhythmValues; errors: null } | { values: null; errors: Record<string, string> } {
  const errors: Record<string, string> = {}
  const rhythm = (r: RhythmRow, place: string): RhythmInputValue | null => {
    if (r.kind === '') return null
    if (r.kind === 'WEEKLY' && !(r.weekday && r.weekday >= 1 && r.weekday <= 7)) {
      errors[place] = '周报须选择每周哪一天报送'
      return null
    }
    return { kind: r.kind, weekday: r.kind === 'WEEKLY' ? r.weekday : null }
  }
  const def = rhythm(form.default, 'default')
  const units: SetRhythmValues['units'] = []
  const seen = new Set<string>()
  form.units.forEach((u, i) => {
    const place = `units.${i}`
    if (!u.unitId) errors[place] = '请选择单位'
    else if (seen.has(u.unitId)) errors[place] = '该单位已在上面设置'
    else if (u.kind === '') errors[place] = '请选择报送频次'
    seen.add(u.unitId)
    const r = rhythm(u, place)
    if (r && !errors[place]) units.push({ unitId: u.unitId, rhythm: r })
  })
  if (Object.keys(errors).length) return { values: null, errors }
  return { values: { default: def, units }, errors: null }
}
