// Typed GraphQL documents (gql.tada): every document the console sends is written as
// graphql(`…`), and its result and variables types are read from the schema — the types of
// `graphql-env.d.ts`, generated from the repository's schema.graphql by `npm run typegen`.
// `npm run build` refuses a document that the schema does not answer (`gql.tada check`) and a
// `graphql-env.d.ts` that no longer matches schema.graphql (scripts/check-graphql.mjs).
import { initGraphQLTada, type TadaDocumentNode } from 'gql.tada'
import { print } from '@0no-co/graphql.web'
import type { introspection } from './graphql-env.d.ts'

/**
 * The schema's own scalars as the console reads and writes them (docs/api.md, "Scalars, ids and
 * enums"). gql.tada gives a scalar one type for both directions.
 */
export interface Scalars {
  /** A calendar day, `YYYY-MM-DD` (deadlines, found dates). */
  Date: string
  /** An instant, RFC 3339; the server writes UTC with six fractional digits. */
  DateTime: string
  /**
   * A 64-bit integer (an audit event's `seq`, a file's size), which the server writes as a JSON
   * number; `seqInput` turns what a person typed into one.
   */
  BigInt: number
  /** Any JSON value (an audit event's `before` and `after` snapshots). */
  JSON: unknown
  /**
   * A file of a multipart request: `gqlForm` sends it as a part of its own and writes null in its
   * place in `operations` (transfer.ts).
   */
  Upload: Blob
}

export const graphql = initGraphQLTada<{
  introspection: introspection
  scalars: Scalars
  // A fragment's fields are read as if written in place (no readFragment needed).
  disableMasking: true
}>()

export type { ResultOf, VariablesOf } from 'gql.tada'

/** An enum (or input type) of the schema by its name: `Enum<'MeasureStatus'>`. */
export type Enum<Name extends string> = ReturnType<typeof graphql.scalar<Name>>

const texts = new WeakMap<object, string>()

/**
 * The text sent for a document (its operation and the fragments it spreads). gql.tada keeps a
 * source text only for fragments, so an operation is printed, once per document.
 */
export function documentText(document: TadaDocumentNode<unknown, never>): string {
  let text = texts.get(document)
  if (text === undefined) {
    text = print(document)
    texts.set(document, text)
  }
  return text
}

/**
 * A `BigInt` typed by a person (a checkpoint's sequence number): a positive integer within what
 * a JSON number carries exactly (every sequence number there will be), else null.
 */
export function seqInput(text: string): number | null {
  const t = text.trim()
  if (!/^\d+$/.test(t)) return null
  const n = Number(t)
  return n > 0 && Number.isSafeInteger(n) ? n : null
}
