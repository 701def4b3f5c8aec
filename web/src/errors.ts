// Where a form shows the server's refusal: at the field the error names (`extensions.field`,
// the input field's name) when the form has it, else at the form's fallback place.
import { ApiError } from './api'

export function errorPlace(e: unknown, fields: readonly string[], fallback: string): { field: string; message: string } {
  const message = e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e)
  // A list's item is named by its place (`memberIds.0`): shown at the list.
  const named = e instanceof ApiError ? (e.field?.replace(/\.\d+$/, '') ?? null) : null
  // The server may name a nested input (`input.content`, `newProblem.title`): its last part.
  const last = named?.split('.').pop() ?? null
  if (named && fields.includes(named)) return { field: named, message }
  // A field of a list's item (`units.1.unitId`): at that item when the form has a place for each.
  const item = e instanceof ApiError ? /^(.+\.\d+)\./.exec(e.field ?? '')?.[1] : undefined
  if (item && fields.includes(item)) return { field: item, message }
  if (last && fields.includes(last)) return { field: last, message }
  return { field: fallback, message }
}

/** Clears a form's error map, then puts the refusal at its place. */
export function showError(errors: Record<string, string>, e: unknown, fields: readonly string[], fallback = '_form'): void {
  for (const k of Object.keys(errors)) errors[k] = ''
  const { field, message } = errorPlace(e, fields, fallback)
  errors[field] = message
}

export function clearErrors(errors: Record<string, string>): void {
  for (const k of Object.keys(errors)) errors[k] = ''
}
