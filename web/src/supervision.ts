// A supervision action (督办) as the 督办 page lists it (SupervisionTable.vue).
import { graphql, type ResultOf } from './graphql'

export const SUPERVISION_ACTION = graphql(`fragment SupervisionRow on SupervisionAction {
  id kind content responseDue issuerName issuedAt response responderName respondedAt open responseOverdue
  targetUnit { id name } measure { id title } problem { id code title }
}`)
export type Action = ResultOf<typeof SUPERVISION_ACTION>
