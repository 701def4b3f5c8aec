import { describe, expect, it } from 'vitest'
import { can, holds, holdsEverywhere, menuFor, menuPathOf, scopesOf } from './roles'

const grant = (role: string, unit: string | null) => ({ role, wholeTree: unit === null, unit: unit ? { id: unit } : null })
const admin = { grants: [grant('ADMIN', null)] }
const ducha = { grants: [grant('SUPERVISOR', null)] }
const shuili = { grants: [grant('EDITOR', 'water')] }
const jiwei = { grants: [grant('DISCIPLINE', null)] }
const nobody = { grants: [] }

describe('roles', () => {
  it('a role includes the ones below it', () => {
    expect(holds(admin, 'SUPERVISOR')).toBe(true)
    expect(holds(shuili, 'EDITOR')).toBe(true)
    expect(holds(shuili, 'SUPERVISOR')).toBe(false)
    expect(holds(null, 'VIEWER')).toBe(false)
  })

  it('DISCIPLINE reads as a VIEWER, and no other role gives it', () => {
    expect(holds(jiwei, 'VIEWER')).toBe(true)
    expect(holds(jiwei, 'DISCIPLINE')).toBe(true)
    expect(holds(jiwei, 'EDITOR')).toBe(false)
    expect(holds(admin, 'DISCIPLINE')).toBe(false)
    expect(holdsEverywhere(jiwei, 'VIEWER')).toBe(true)
  })

  it('whole-tree rights need a whole-tree grant', () => {
    expect(holdsEverywhere(ducha, 'SUPERVISOR')).toBe(true)
    expect(holdsEverywhere({ grants: [grant('ADMIN', 'water')] }, 'VIEWER')).toBe(false)
    expect(can({ grants: [grant('SUPERVISOR', 'water')] }, 'generateBulletin')).toBe(false)
    expect(can(ducha, 'generateBulletin')).toBe(true)
  })

  it('lists the scopes of a role, null for the whole tree', () => {
    expect(scopesOf({ grants: [grant('EDITOR', 'water'), grant('VIEWER', null)] }, 'EDITOR')).toEqual(['water'])
    expect(scopesOf(admin, 'EDITOR')).toEqual([null])
  })

  it('shows each account the menu it can use', () => {
    const paths = (me: typeof admin) => menuFor(me).map((m) => m.path)
    expect(paths(admin)).toEqual(['/dashboard', '/ledger', '/supervision', '/reports-due', '/intake', '/bulletins', '/accountability', '/scoring', '/inspections', '/audit', '/admin'])
    expect(paths(shuili)).toEqual(['/dashboard', '/ledger', '/supervision', '/reports-due', '/intake', '/bulletins', '/accountability', '/scoring', '/inspections'])
    expect(paths(jiwei)).toEqual(['/dashboard', '/ledger', '/supervision', '/reports-due', '/intake', '/bulletins', '/accountability', '/scoring', '/inspections', '/audit'])
    expect(paths(nobody)).toEqual(['/dashboard', '/ledger', '/reports-due', '/bulletins'])
    // A whole-tree supervisor manages campaigns, on the 管理 page's one tab.
    expect(paths(ducha)).toContain('/admin')
    expect(can(ducha, 'manageOrg')).toBe(false)
    expect(can(ducha, 'manageCampaigns')).toBe(true)
    expect(can({ grants: [grant('SUPERVISOR', 'water')] }, 'admin')).toBe(false)
  })

  it('puts a measure, a problem and a bulletin under their list', () => {
    expect(menuPathOf('/measures/1')).toBe('/ledger')
    expect(menuPathOf('/problems/1')).toBe('/ledger')
    expect(menuPathOf('/bulletin/1')).toBe('/bulletins')
    expect(menuPathOf('/audit')).toBe('/audit')
  })

  it('问责: every role reads it, only the 纪委 (DISCIPLINE) records it', () => {
    for (const me of [admin, ducha, shuili, jiwei]) expect(can(me, 'accountability')).toBe(true)
    expect(can(nobody, 'accountability')).toBe(false)
    expect(can(jiwei, 'holdAccountable')).toBe(true)
    for (const me of [admin, ducha, shuili, nobody]) expect(can(me, 'holdAccountable')).toBe(false)
  })

  it('考核: supervisors propose, supervisors of the whole tree decide', () => {
    const local = { grants: [grant('SUPERVISOR', 'water')] }
    for (const me of [admin, ducha, shuili, jiwei]) expect(can(me, 'scoring')).toBe(true)
    expect(can(nobody, 'scoring')).toBe(false)
    expect([admin, ducha, local, shuili, jiwei].map((me) => can(me, 'proposeAdjustment'))).toEqual([true, true, true, false, false])
    expect([admin, ducha, local, shuili, jiwei].map((me) => can(me, 'decideAdjustment'))).toEqual([true, true, false, false, false])
  })

  it('报送: every account reads the missed reports of its scope, supervisors of the whole tree set the rhythm', () => {
    const local = { grants: [grant('SUPERVISOR', 'water')] }
    for (const me of [admin, ducha, shuili, jiwei, nobody]) expect(can(me, 'reportsDue')).toBe(true)
    expect(can(null, 'reportsDue')).toBe(false)
    expect([admin, ducha, local, shuili, jiwei].map((me) => can(me, 'setReportRhythm'))).toEqual([true, true, false, false, false])
  })

  it('督查: every role reads, supervisors record', () => {
    const local = { grants: [grant('SUPERVISOR', 'water')] }
    for (const me of [admin, ducha, shuili, jiwei]) expect(can(me, 'inspections')).toBe(true)
    expect(can(nobody, 'inspections')).toBe(false)
    expect([admin, ducha, local, shuili, jiwei].map((me) => can(me, 'recordInspection'))).toEqual([true, true, true, false, false])
  })
})
