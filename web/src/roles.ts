// What an account may use in the console, read from its grants (`me.grants`). The server decides
// every request; these checks only keep the menu and the forms to what the account can do, by
// the rule book (docs/permissions.md): each of VIEWER ⊂ EDITOR ⊂ SUPERVISOR ⊂ ADMIN includes the
// ones below it, DISCIPLINE (the 纪委's) includes VIEWER only and no other role includes it, and
// some things need the role on the whole tree.

export type Role = 'VIEWER' | 'EDITOR' | 'SUPERVISOR' | 'ADMIN' | 'DISCIPLINE'

/** The chain's order; DISCIPLINE stands beside it (see `covers`). */
export const ROLE_RANK: Record<Exclude<Role, 'DISCIPLINE'>, number> = { VIEWER: 1, EDITOR: 2, SUPERVISOR: 3, ADMIN: 4 }

export interface GrantLike {
  role: string
  wholeTree: boolean
  unit: { id: string } | null
}

export interface AccountLike {
  grants: GrantLike[]
}

/** Whether a grant gives `role`, as the server's `access::includes` decides. */
function covers(grant: GrantLike, role: Role): boolean {
  if (grant.role === 'DISCIPLINE') return role === 'DISCIPLINE' || role === 'VIEWER'
  if (role === 'DISCIPLINE') return false
  return (ROLE_RANK[grant.role as Exclude<Role, 'DISCIPLINE'>] ?? 0) >= ROLE_RANK[role]
}

/** Holds `role` (or a higher one) somewhere. */
export function holds(me: AccountLike | null | undefined, role: Role): boolean {
  return !!me && me.grants.some((g) => covers(g, role))
}

/** Holds `role` (or a higher one) on the whole unit tree. */
export function holdsEverywhere(me: AccountLike | null | undefined, role: Role): boolean {
  return !!me && me.grants.some((g) => g.wholeTree && covers(g, role))
}

/** The roots of the subtrees where `role` is held (null in the list: the whole tree). */
export function scopesOf(me: AccountLike | null | undefined, role: Role): (string | null)[] {
  if (!me) return []
  return me.grants.filter((g) => covers(g, role)).map((g) => (g.wholeTree ? null : (g.unit?.id ?? null)))
}

export type Feature = 'ledger' | 'supervision' | 'intake' | 'bulletins' | 'generateBulletin' | 'audit' | 'admin'
  | 'adminWholeTree' | 'manageOrg' | 'manageCampaigns' | 'recordSurvey' | 'editIntake' | 'respond'
  | 'accountability' | 'holdAccountable'
  | 'scoring' | 'proposeAdjustment' | 'decideAdjustment'
  | 'inspections' | 'recordInspection'
  | 'reportsDue' | 'setReportRhythm'

/** Whether the account may use a feature of the console. */
export function can(me: AccountLike | null | undefined, feature: Feature): boolean {
  switch (feature) {
    case 'ledger':
    case 'bulletins':
    case 'reportsDue':
      // missingReports answers every account for the measures in its scope.
      return !!me
    case 'supervision':
    case 'intake':
    case 'accountability':
    case 'scoring':
    case 'inspections':
      return holds(me, 'VIEWER')
    case 'holdAccountable':
      // 问责 is the 纪委's: DISCIPLINE, which no other role includes (an ADMIN is refused).
      return holds(me, 'DISCIPLINE')
    case 'proposeAdjustment':
      return holds(me, 'SUPERVISOR')
    case 'decideAdjustment':
      // The server also refuses the proposer; the console leaves that to it.
      return holdsEverywhere(me, 'SUPERVISOR')
    case 'recordInspection':
      return holds(me, 'SUPERVISOR')
    case 'respond':
    case 'editIntake':
      return holds(me, 'EDITOR')
    case 'recordSurvey':
      return holds(me, 'SUPERVISOR')
    case 'generateBulletin':
      return holdsEverywhere(me, 'SUPERVISOR')
    case 'audit':
      // The whole trail needs a role on the whole tree (any role).
      return holdsEverywhere(me, 'VIEWER')
    case 'admin':
      // Campaigns are managed by whole-tree supervisors too: they get the page with that tab.
      return holds(me, 'ADMIN') || holdsEverywhere(me, 'SUPERVISOR')
    case 'manageOrg':
      return holds(me, 'ADMIN')
    case 'manageCampaigns':
    case 'setReportRhythm':
      // Campaign settings (the reporting rhythm among them) are the whole tree's supervisors'.
      return holdsEverywhere(me, 'SUPERVISOR')
    case 'adminWholeTree':
      return holdsEverywhere(me, 'ADMIN')
  }
}

export interface MenuEntry {
  path: string
  label: string
}

const MENU: { entry: MenuEntry; feature: Feature }[] = [
  { entry: { path: '/dashboard', label: '图版' }, feature: 'ledger' },
  { entry: { path: '/ledger', label: '台账' }, feature: 'ledger' },
  { entry: { path: '/supervision', label: '督办' }, feature: 'supervision' },
  { entry: { path: '/reports-due', label: '报送' }, feature: 'reportsDue' },
  { entry: { path: '/intake', label: '意见·测评·承诺' }, feature: 'intake' },
  { entry: { path: '/bulletins', label: '通报' }, feature: 'bulletins' },
  { entry: { path: '/accountability', label: '问责' }, feature: 'accountability' },
  { entry: { path: '/scoring', label: '考核' }, feature: 'scoring' },
  { entry: { path: '/inspections', label: '督查' }, feature: 'inspections' },
  { entry: { path: '/audit', label: '审计' }, feature: 'audit' },
  { entry: { path: '/admin', label: '管理' }, feature: 'admin' },
]

/** The menu entries the account can use, in menu order (我的 is always last and added by the shell). */
export function menuFor(me: AccountLike | null | undefined): MenuEntry[] {
  return MENU.filter((m) => can(me, m.feature)).map((m) => m.entry)
}

/** The menu entry a path belongs to (a measure's page belongs to 台账, a bulletin's to 通报). */
export function menuPathOf(path: string): string {
  if (path.startsWith('/measures/') || path.startsWith('/problems/')) return '/ledger'
  if (path.startsWith('/bulletin/')) return '/bulletins'
  return path
}
