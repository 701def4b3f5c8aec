// A supervision action (督办) as the 督办 page lists it (SupervisionTable.vue).
import { graphql, type ResultOf } from './graphql'

export const SUPERVISION_ACTION = graphql(`fragment SupervisionRow on SupervisionAction {
  id kind content responseDue issuerName issuedAt response responderName respondedAt open responseOverdue
  targetUnit { id name } measure { id title } problem { id code title }
  receipt { id version dueOn acknowledgedAt acknowledgerName late }
  urgings { id note respondBy urgerName createdAt }
}`)
export type Action = ResultOf<typeof SUPERVISION_ACTION>

/** Whether the unit must still sign for (签收) the action before it may answer it. */
export function awaitsReceipt(a: Action): boolean {
  return a.open && a.receipt !== null && a.receipt !== undefined && !a.receipt.acknowledgedAt
}
