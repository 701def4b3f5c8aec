import { describe, expect, it } from 'vitest'
import { accountabilityInput, accountabilityProblem, decidable, defaultFoundOn, findingLeadUnits, findingSource, localDay, signedPoints, subjectOf, withinVisit, type AccountabilityDraft } from './practice'

const draft = (over: Partial<AccountabilityDraft> = {}): AccountabilityDraft => ({
  campaignId: 'c', kind: 'TALK', subject: 'UNIT', subjectUnitId: 'u', subjectPersonId: 'p', problemId: '', measureId: 'm',
  supervisionActionId: '', bulletinId: '', facts: '事由', decidingBody: '县纪委', documentNumber: '青纪发〔2026〕30号', decidedOn: '2026-12-01', ...over,
})

describe('问责 input', () => {
  it('sends exactly the subject chosen, and the bases given', () => {
    const unit = accountabilityInput(draft())
    expect(unit.subjectUnitId).toBe('u')
    expect(unit.subjectPersonId).toBeNull()
    expect([unit.problemId, unit.measureId, unit.supervisionActionId, unit.bulletinId]).toEqual([null, 'm', null, null])
    const person = accountabilityInput(draft({ subject: 'PERSON', kind: 'ADMONITION' }))
    expect(person.subjectUnitId).toBeNull()
    expect(person.subjectPersonId).toBe('p')
  })

  it('names the field that is missing before sending', () => {
    expect(accountabilityProblem(draft())).toBeNull()
    expect(accountabilityProblem(draft({ subjectUnitId: '' }))?.field).toBe('subjectUnitId')
    expect(accountabilityProblem(draft({ subject: 'PERSON', subjectPersonId: '' }))?.field).toBe('subjectPersonId')
    expect(accountabilityProblem(draft({ subject: 'PERSON', kind: 'ONE_VOTE_VETO' }))?.field).toBe('kind')
    expect(accountabilityProblem(draft({ measureId: '' }))?.field).toBe('basis')
    expect(accountabilityProblem(draft({ measureId: '', problemId: 'x' }))).toBeNull()
  })

  it('shows a person, else the unit', () => {
    expect(subjectOf({ subjectPerson: { name: '潘越' }, subjectUnit: { name: '医政医管股' } })).toBe('潘越')
    expect(subjectOf({ subjectPerson: null, subjectUnit: { name: '石口镇' } })).toBe('石口镇')
    expect(subjectOf({ subjectPerson: null, subjectUnit: null })).toBe('—')
  })
})

describe('考核', () => {
  it('signs the points', () => {
    expect(signedPoints(-20)).toBe('−20.00')
    expect(signedPoints(2)).toBe('+2.00')
    expect(signedPoints(0)).toBe('0.00')
    expect(signedPoints(-0.001)).toBe('0.00')
  })

  it('offers 审定 to whole-tree supervisors on proposed items only', () => {
    expect(decidable(true, { status: 'PROPOSED' })).toBe(true)
    expect(decidable(true, { status: 'APPROVED' })).toBe(false)
    expect(decidable(true, { status: 'REFUSED' })).toBe(false)
    expect(decidable(false, { status: 'PROPOSED' })).toBe(false)
  })
})

describe('督查', () => {
  it('fixes the source by the mode', () => {
    expect(findingSource('OPEN')).toBe('SUPERVISION')
    expect(findingSource('UNANNOUNCED')).toBe('UNANNOUNCED_VISIT')
  })

  it('offers the visited units and their subunits as lead units', () => {
    const u = (id: string, parent: string | null) => ({ id, name: id, sortOrder: 0, parent: parent ? { id: parent } : null })
    const units = [u('county', null), u('water', 'county'), u('water-1', 'water'), u('hr', 'county'), u('town', 'county')]
    expect(findingLeadUnits(units, ['water', 'hr']).map((x) => x.id)).toEqual(['water', 'water-1', 'hr'])
    expect(findingLeadUnits(units, [])).toEqual([])
  })

  it('dates a finding within the visit', () => {
    const visit = { startsOn: '2026-11-24', endsOn: '2026-11-26' }
    expect(defaultFoundOn(visit, '2026-12-02')).toBe('2026-11-26')
    expect(defaultFoundOn(visit, '2026-11-25')).toBe('2026-11-25')
    expect(defaultFoundOn(visit, '2026-11-01')).toBe('2026-11-24')
    expect([withinVisit(visit, '2026-11-23'), withinVisit(visit, '2026-11-24'), withinVisit(visit, '2026-11-26'), withinVisit(visit, '2026-11-27')]).toEqual([false, true, true, false])
    expect(localDay(new Date(2026, 10, 24))).toBe('2026-11-24')
  })
})
