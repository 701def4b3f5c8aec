// Defaults of the forms: the unit an account works for — the unit of its first grant that may
// write (a liaison records for the department it keeps), else any granted unit, else its
// person's unit.
import { ROLE_RANK } from './roles'

interface AccountUnits {
  person: { unit: { id: string } | null } | null
  grants: { role: string; unit: { id: string } | null }[]
}

export function homeUnitId(me: AccountUnits | null): string {
  if (!me) return ''
  const writer = me.grants.find((g) => g.unit && (ROLE_RANK[g.role as keyof typeof ROLE_RANK] ?? 0) >= ROLE_RANK.EDITOR)
  return writer?.unit?.id ?? me.grants.find((g) => g.unit)?.unit?.id ?? me.person?.unit?.id ?? ''
}
