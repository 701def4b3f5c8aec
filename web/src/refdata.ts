// Reference lists that every reader may read and many pages need whole: units and campaigns,
// read once per tab and shared (reloaded after an administrator changes them).
import { gqlAll } from './api'
import { graphql, type ResultOf } from './graphql'
import { buildTree, flattenTree } from './tree'

const UNITS = graphql(`query($first: Int, $after: String) { units(first: $first, after: $after, orderBy: SORT_ORDER) {
  pageInfo { hasNextPage endCursor } nodes { id name shortCode kind sortOrder archived parent { id } } } }`)
const CAMPAIGNS = graphql(`query($first: Int, $after: String) { campaigns(first: $first, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { id name startsOn endsOn phase } } }`)

export type UnitRef = ResultOf<typeof UNITS>['units']['nodes'][number]
export type CampaignRef = ResultOf<typeof CAMPAIGNS>['campaigns']['nodes'][number]

let units: Promise<UnitRef[]> | null = null
let campaigns: Promise<CampaignRef[]> | null = null

export function allUnits(): Promise<UnitRef[]> {
  units ??= gqlAll(UNITS, (d) => d.units, (page) => page).catch((e) => {
    units = null
    throw e
  })
  return units
}

export function allCampaigns(): Promise<CampaignRef[]> {
  campaigns ??= gqlAll(CAMPAIGNS, (d) => d.campaigns, (page) => page).catch((e) => {
    campaigns = null
    throw e
  })
  return campaigns
}

/** Forget the lists (after a change, or on logout). */
export function forgetReferenceData(): void {
  units = null
  campaigns = null
}

/** Units as select options in tree order, indented by depth (full-width spaces). */
export function unitOptions(list: UnitRef[]): { value: string; label: string }[] {
  return flattenTree(buildTree(list)).map(({ unit, depth }) => ({ value: unit.id, label: `${'\u3000'.repeat(depth)}${unit.name}` }))
}

export function namesOf(list: { id: string; name: string }[]): Map<string, string> {
  return new Map(list.map((u) => [u.id, u.name]))
}
