// Update inputs send only what changed: the API's update mutations change the fields given, and
// for some a null means "clear" (a unit's parent or head), so an untouched field must be left out.

/**
 * The fields of `edited` whose value differs from `original`, among `keys`; an emptied text or
 * choice becomes null (cleared). Typed as the form's fields, each also null, so the result
 * spreads into the update mutation's input.
 */
export function changes<T extends Record<string, unknown>, K extends keyof T>(original: T, edited: T, keys: readonly K[]): { [P in K]?: T[P] | null } {
  const out: { [P in K]?: T[P] | null } = {}
  for (const key of keys) {
    const value = edited[key]
    const after = typeof value === 'string' && value.trim() === '' ? null : (value ?? null)
    if (JSON.stringify(original[key] ?? null) !== JSON.stringify(after)) out[key] = after
  }
  return out
}
