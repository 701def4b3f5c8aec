// The requests that are not JSON: the ledger exports (GET /export/ledger.{csv,xlsx}, see
// src/http/export.rs) and the evidence upload (a GraphQL multipart request, docs/api.md).
import { graphql, type VariablesOf } from './graphql'

export interface ExportFilter {
  campaignId?: string | null
  unitId?: string | null
  /** The export takes one status; several (or none) export every status. */
  status?: string[] | string | null
  overdue?: boolean | null
  asOf?: string | null
}

/** The export's path for the same filter as the ledger's (the parameters it knows). */
export function exportPath(format: 'csv' | 'xlsx', filter: ExportFilter): string {
  const q = new URLSearchParams()
  if (filter.campaignId) q.set('campaignId', filter.campaignId)
  if (filter.unitId) q.set('unitId', filter.unitId)
  const status = Array.isArray(filter.status) ? (filter.status.length === 1 ? filter.status[0] : null) : filter.status
  if (status) q.set('status', status)
  if (filter.overdue === true || filter.overdue === false) q.set('overdue', String(filter.overdue))
  if (filter.asOf) q.set('asOf', filter.asOf)
  const query = q.toString()
  return `/export/ledger.${format}${query ? `?${query}` : ''}`
}

export const UPLOAD_EVIDENCE = graphql(`mutation($i: UploadEvidenceInput!) { uploadEvidence(input: $i) {
  evidence { id fileName size sha256 downloadPath uploaderName uploadedAt } } }`)

/** The variables that upload `file` as evidence of a measure, with its description if any. */
export function evidenceVariables(measureId: string, file: Blob, description: string | null): VariablesOf<typeof UPLOAD_EVIDENCE> {
  return { i: { measureId, file, description: description?.trim() || null } }
}

/**
 * The parts of a GraphQL multipart request (docs/api.md): `operations` (the request with null
 * in place of each file), `map` (which part goes where: "0" → `variables.i.file`), then the
 * files, as parts "0", "1" … in the order they are met.
 */
export function multipartParts(query: string, variables: unknown): { operations: string; map: string; files: Blob[] } {
  const files: Blob[] = []
  const map: Record<string, string[]> = {}
  const strip = (value: unknown, path: string): unknown => {
    if (value instanceof Blob) {
      map[String(files.length)] = [path]
      files.push(value)
      return null
    }
    if (Array.isArray(value)) return value.map((v, i) => strip(v, `${path}.${i}`))
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v, `${path}.${k}`)]))
    }
    return value
  }
  const operations = JSON.stringify({ query, variables: strip(variables ?? {}, 'variables') })
  return { operations, map: JSON.stringify(map), files }
}

/** The multipart request as a form: `operations`, `map`, then each file under its part's name. */
export function multipartForm(query: string, variables: unknown): FormData {
  const parts = multipartParts(query, variables)
  const form = new FormData()
  form.append('operations', parts.operations)
  form.append('map', parts.map)
  parts.files.forEach((file, i) => form.append(String(i), file, file instanceof File ? file.name : 'file'))
  return form
}
