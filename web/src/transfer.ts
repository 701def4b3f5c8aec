// The requests that are not JSON: the ledger exports (GET /export/ledger.{csv,xlsx}, see
// src/http/export.rs) and the evidence upload (a GraphQL multipart request, docs/api.md).

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

export const UPLOAD_EVIDENCE = `mutation($i: UploadEvidenceInput!) { uploadEvidence(input: $i) {
  evidence { id fileName size sha256 downloadPath uploaderName uploadedAt } } }`

/**
 * The parts of the multipart request that uploads `file` as evidence of a measure: `operations`
 * (the request with null for the file), `map` (where part "0" goes), then the file as part "0".
 */
export function evidenceParts(measureId: string, description: string | null): { operations: string; map: string } {
  return {
    operations: JSON.stringify({
      query: UPLOAD_EVIDENCE,
      variables: { i: { measureId, file: null, description: description?.trim() || null } },
    }),
    map: JSON.stringify({ 0: ['variables.i.file'] }),
  }
}

export function evidenceForm(measureId: string, file: Blob & { name?: string }, description: string | null): FormData {
  const parts = evidenceParts(measureId, description)
  const form = new FormData()
  form.append('operations', parts.operations)
  form.append('map', parts.map)
  form.append('0', file, file.name ?? 'file')
  return form
}
