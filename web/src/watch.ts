// The dashboard's 重点关注 lists, from the ranking rows and the supervision counts.

export interface WatchRankRow {
  unit: { name: string } | null
  overdue: number
  satisfactionRate?: number | null
}

/** Units with overdue measures, the most first (ties by name), at most `limit`. */
export function overdueByUnit(rows: WatchRankRow[], limit: number): { unit: string; overdue: number }[] {
  return rows
    .filter((r) => r.overdue > 0)
    .map((r) => ({ unit: r.unit?.name ?? '—', overdue: r.overdue }))
    .sort((a, b) => b.overdue - a.overdue || a.unit.localeCompare(b.unit, 'zh-CN'))
    .slice(0, limit)
}

/** Units with a satisfaction rate, the lowest first, each marked below the threshold or not. */
export function satisfactionRows(rows: WatchRankRow[], threshold: number | null): { unit: string; rate: number; below: boolean }[] {
  return rows
    .filter((r) => r.satisfactionRate !== null && r.satisfactionRate !== undefined)
    .map((r) => {
      const rate = r.satisfactionRate as number
      return { unit: r.unit?.name ?? '—', rate, below: threshold !== null && rate < threshold }
    })
    .sort((a, b) => a.rate - b.rate || a.unit.localeCompare(b.unit, 'zh-CN'))
}

/** Unanswered supervision summed per unit over its kinds, the most first, at most `limit`. */
export function openSupervisionByUnit(counts: { unit: { name: string } | null; open: number }[], limit: number): { unit: string; open: number }[] {
  const byUnit = new Map<string, number>()
  for (const c of counts) {
    if (c.open <= 0) continue
    const name = c.unit?.name ?? '—'
    byUnit.set(name, (byUnit.get(name) ?? 0) + c.open)
  }
  return [...byUnit.entries()]
    .map(([unit, open]) => ({ unit, open }))
    .sort((a, b) => b.open - a.open || a.unit.localeCompare(b.unit, 'zh-CN'))
    .slice(0, limit)
}
