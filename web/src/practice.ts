// The inputs and choices of the 问责, 考核 and 督查 pages (issue 13): what the forms send and
// which choices they offer, kept out of the components so that they are tested.
import type { Enum } from './graphql'
import { subtreeIds, type FlatUnit } from './tree'

/** The 记录问责 form as the page holds it (empty strings for nothing chosen). */
export interface AccountabilityDraft {
  campaignId: string
  kind: Enum<'AccountabilityKind'>
  subject: 'UNIT' | 'PERSON'
  subjectUnitId: string
  subjectPersonId: string
  problemId: string
  measureId: string
  supervisionActionId: string
  bulletinId: string
  facts: string
  decidingBody: string
  documentNumber: string
  decidedOn: string
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s)

/**
 * The `recordAccountability` input of a draft: exactly one subject (the one the 对象 switch
 * names; the other is left out), every basis given, texts as typed (the server checks them and
 * names the field it refuses).
 */
export function accountabilityInput(d: AccountabilityDraft) {
  return {
    campaignId: d.campaignId,
    kind: d.kind,
    subjectUnitId: d.subject === 'UNIT' ? orNull(d.subjectUnitId) : null,
    subjectPersonId: d.subject === 'PERSON' ? orNull(d.subjectPersonId) : null,
    problemId: orNull(d.problemId),
    measureId: orNull(d.measureId),
    supervisionActionId: orNull(d.supervisionActionId),
    bulletinId: orNull(d.bulletinId),
    facts: d.facts,
    decidingBody: d.decidingBody,
    documentNumber: d.documentNumber,
    decidedOn: d.decidedOn,
  }
}

/** What the form says before sending, in the field it belongs to; null when it may be sent. */
export function accountabilityProblem(d: AccountabilityDraft): { field: string; message: string } | null {
  if (d.subject === 'UNIT' && !d.subjectUnitId) return { field: 'subjectUnitId', message: '请选择被问责的单位' }
  if (d.subject === 'PERSON' && !d.subjectPersonId) return { field: 'subjectPersonId', message: '请选择被问责的人员' }
  if (d.subject === 'PERSON' && d.kind === 'ONE_VOTE_VETO') return { field: 'kind', message: '一票否决只适用于单位' }
  if (![d.problemId, d.measureId, d.supervisionActionId, d.bulletinId].some((x) => x)) return { field: 'basis', message: '至少选择一项问责依据（问题或整改措施）' }
  return null
}

/** An accountability record's subject as a line: the person with the unit, or the unit. */
export function subjectOf(a: { subjectPerson: { name: string } | null; subjectUnit: { name: string } | null }): string {
  if (a.subjectPerson) return a.subjectPerson.name
  return a.subjectUnit?.name ?? '—'
}

/** Signed points with two decimals and a true minus sign: +2.00, −20.00, 0.00. */
export function signedPoints(n: number): string {
  const fixed = Math.abs(n).toFixed(2)
  if (fixed === '0.00') return '0.00'
  return `${n < 0 ? '−' : '+'}${fixed}`
}

/** The 审定 / 不予认定 buttons: to whole-tree supervisors (`canDecide`), on items still PROPOSED. */
export function decidable(canDecide: boolean, item: { status: string }): boolean {
  return canDecide && item.status === 'PROPOSED'
}

/** The problem source of an inspection's findings: fixed by its mode. */
export function findingSource(mode: Enum<'InspectionMode'>): Enum<'ProblemSource'> {
  return mode === 'OPEN' ? 'SUPERVISION' : 'UNANNOUNCED_VISIT'
}

/** The units a finding may be led by: the visited units and every unit below them. */
export function findingLeadUnits<U extends FlatUnit>(units: U[], visitedIds: string[]): U[] {
  const allowed = new Set<string>()
  for (const id of visitedIds) for (const u of subtreeIds(units, id)) allowed.add(u)
  return units.filter((u) => allowed.has(u.id))
}

/** A finding's found-on date: today when within the visit, else the visit's last day. */
export function defaultFoundOn(visit: { startsOn: string; endsOn: string }, today: string): string {
  if (today < visit.startsOn) return visit.startsOn
  return today > visit.endsOn ? visit.endsOn : today
}

/** Whether a day (YYYY-MM-DD) falls within the visit. */
export function withinVisit(visit: { startsOn: string; endsOn: string }, day: string): boolean {
  return day >= visit.startsOn && day <= visit.endsOn
}

/** The calendar day a date picker's Date stands for (its local midnight), as YYYY-MM-DD. */
export function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}
