import { describe, expect, expectTypeOf, it } from 'vitest'
import { documentText, graphql, seqInput, type Enum, type ResultOf, type VariablesOf } from './graphql'

// The type assertions below are checked by the build's type check (vue-tsc), not at run time.
const EVENT = graphql(`query($seq: BigInt!, $hash: String!, $from: DateTime, $due: Date) {
  verifyCheckpoint(seq: $seq, hash: $hash)
  auditEvents(first: 1, filter: {occurredFrom: $from}) { nodes { seq occurredAt before after } }
  measures(first: 1, filter: {deadlineFrom: $due}) { nodes { deadline status evidence { size } } }
}`)

describe('the schema\'s scalars', () => {
  it('read as the console\'s types', () => {
    type Result = ResultOf<typeof EVENT>
    type Event = Result['auditEvents']['nodes'][number]
    expectTypeOf<Event['seq']>().toEqualTypeOf<number>()
    expectTypeOf<Event['occurredAt']>().toEqualTypeOf<string>()
    expectTypeOf<Event['before']>().toEqualTypeOf<unknown>()
    type Measure = Result['measures']['nodes'][number]
    expectTypeOf<Measure['deadline']>().toEqualTypeOf<string>()
    expectTypeOf<Measure['evidence'][number]['size']>().toEqualTypeOf<number>()
    expectTypeOf<Measure['status']>().toEqualTypeOf<Enum<'MeasureStatus'>>()
    expectTypeOf<Result['verifyCheckpoint']>().toEqualTypeOf<boolean>()
  })
  it('write as the console\'s types, nullable variables optional', () => {
    expectTypeOf<VariablesOf<typeof EVENT>>().toEqualTypeOf<{ seq: number; hash: string; from?: string | null; due?: string | null }>()
    expectTypeOf<VariablesOf<ReturnType<typeof uploadDocument>>['i']['file']>().toEqualTypeOf<Blob>()
  })
  it('names an enum by its values', () => {
    expectTypeOf<Enum<'Severity'>>().toEqualTypeOf<'HIGH' | 'MEDIUM' | 'LOW'>()
  })
})

function uploadDocument() {
  return graphql(`mutation($i: UploadEvidenceInput!) { uploadEvidence(input: $i) { evidence { id } } }`)
}

describe('a document\'s text', () => {
  it('is the document printed, the same object each time', () => {
    const text = documentText(EVENT)
    expect(text).toContain('verifyCheckpoint(seq: $seq, hash: $hash)')
    expect(text.startsWith('query ($seq: BigInt!')).toBe(true)
    expect(documentText(EVENT)).toBe(text)
  })
  it('carries the fragments the document spreads', () => {
    const UNIT = graphql(`fragment UnitName on Unit { id name }`)
    const Q = graphql(`query { units(first: 1) { nodes { ...UnitName } } }`, [UNIT])
    expect(documentText(Q)).toMatch(/\.\.\.UnitName[\s\S]*fragment UnitName on Unit/)
  })
})

describe('a sequence number typed by a person', () => {
  it('is a positive integer that a JSON number carries exactly', () => {
    expect(seqInput(' 593 ')).toBe(593)
    expect(seqInput('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER)
  })
  it('is refused when it is not one', () => {
    for (const text of ['', '0', '-3', '5.5', '1e3', '0x10', '593a', '9007199254740993']) expect(seqInput(text)).toBeNull()
  })
})
