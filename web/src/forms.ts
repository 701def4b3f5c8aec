// Update inputs send only what changed: the API's update mutations change the fields given, and
// for some a null means "clear" (a unit's parent or head), so an untouched field must be left out.

/**
 * The fields of `edited` whose value differs from `original`, among `keys`; an emptied text or
 * choice becomes null (cleared).
 */
export function changes<T extends Record<string, unknown>>(original: T, edited: T, keys: readonly (keyof T)[]): Partial<Record<keyof T, unknown>> {
  const out: Partial<Record<keyof T, unknown>> = {}
  for (const key of keys) {
    const before = original[key] ?? null
    let after: unknown = edited[key] ?? null
    if (typeof after === 'string' && after.trim() === '') after = null
    if (JSON.stringify(before) !== JSON.stringify(after)) out[key] = after
  }
  return out
}
