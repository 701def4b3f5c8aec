// The enums' Chinese names from the server's one table (`labels`, src/domain/labels.rs): read
// once per page load and written into the console's tables (labels.ts, format.ts), which are
// reactive, so a page drawn with the built-in names redraws with the server's. Until it answers,
// or if it fails, the built-in names stay. Audit action names (measure.submit …) are not enums
// and stay in format.ts.
import { gql } from './api'
import { graphql, type ResultOf } from './graphql'
import { STATUS_LABELS, ROLE_LABELS } from './format'
import {
  CAMPAIGN_PHASE, COMMITMENT_STATUS, DAY_KIND, DISCLOSURE, EXTENSION_STATUS, FEEDBACK_CHANNEL, FEEDBACK_STATUS,
  MEASURE_ACTION, PROBLEM_SOURCE, PROBLEM_STATUS, RECTIFICATION_KIND, RESPONSIBILITY_LEVEL, SEVERITY, SUPERVISION_KIND,
  SURVEY_METHOD, UNIT_KIND, VERIFICATION_RESULT, ACCOUNTABILITY_KIND, ADJUSTMENT_KIND, ADJUSTMENT_STATUS, INSPECTION_MODE,
  REPORT_RHYTHM_KIND,
} from './labels'


const LABELS = graphql(`query($names: [String!]) { labels(names: $names) { name values { value label } } }`)

/** One enum's values with their Chinese names, as `labels` answers them. */
export type EnumLabels = ResultOf<typeof LABELS>['labels'][number]

/** The schema's enum name → the console's table of it. */
export const TABLES: Record<string, Record<string, string>> = {
  MeasureStatus: STATUS_LABELS,
  Role: ROLE_LABELS,
  ProblemStatus: PROBLEM_STATUS,
  Severity: SEVERITY,
  RectificationKind: RECTIFICATION_KIND,
  ResponsibilityLevel: RESPONSIBILITY_LEVEL,
  ProblemSource: PROBLEM_SOURCE,
  Disclosure: DISCLOSURE,
  FeedbackChannel: FEEDBACK_CHANNEL,
  FeedbackStatus: FEEDBACK_STATUS,
  SupervisionKind: SUPERVISION_KIND,
  SurveyMethod: SURVEY_METHOD,
  CommitmentStatus: COMMITMENT_STATUS,
  UnitKind: UNIT_KIND,
  CampaignPhase: CAMPAIGN_PHASE,
  DayKind: DAY_KIND,
  ExtensionStatus: EXTENSION_STATUS,
  VerificationResult: VERIFICATION_RESULT,
  MeasureAction: MEASURE_ACTION,
  AccountabilityKind: ACCOUNTABILITY_KIND,
  AdjustmentKind: ADJUSTMENT_KIND,
  AdjustmentStatus: ADJUSTMENT_STATUS,
  InspectionMode: INSPECTION_MODE,
  ReportRhythmKind: REPORT_RHYTHM_KIND,
}

/**
 * Writes the server's names into `tables` (each table keeps its values' order, new values are
 * added at the end); enums the console has no table for are ignored. Returns how many names it wrote.
 */
export function applyLabels(answer: EnumLabels[], tables: Record<string, Record<string, string>> = TABLES): number {
  let written = 0
  for (const e of answer) {
    const table = tables[e.name]
    if (!table) continue
    for (const v of e.values) {
      if (typeof v.label === 'string' && v.label !== '') {
        table[v.value] = v.label
        written += 1
      }
    }
  }
  return written
}


let loading: Promise<number> | null = null

/** Reads the server's names once (again only after a failure). */
export function loadLabels(): Promise<number> {
  loading ??= gql(LABELS, { names: Object.keys(TABLES) }, { anonymous: true })
    .then((d) => applyLabels(d.labels))
    .catch(() => {
      loading = null
      return 0
    })
  return loading
}
