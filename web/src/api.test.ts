import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, gql, gqlAll, gqlForm } from './api'
import { documentText, graphql } from './graphql'
import { UPLOAD_EVIDENCE, evidenceVariables } from './transfer'

/** Answers each POST /graphql with the next of `answers`, keeping what was sent. */
function server(...answers: unknown[]) {
  const sent: { body: BodyInit | null | undefined; headers: Record<string, string>; credentials?: RequestCredentials }[] = []
  vi.stubGlobal('fetch', vi.fn(async (_url: string, init: RequestInit) => {
    sent.push({ body: init.body, headers: init.headers as Record<string, string>, credentials: init.credentials })
    return new Response(JSON.stringify(answers.shift()), { status: 200, headers: { 'x-request-id': 'r1' } })
  }))
  return sent
}
afterEach(() => vi.unstubAllGlobals())

const PERSON = graphql(`query($id: ID!) { node(id: $id) { id ... on Person { name } } }`)
const UNITS = graphql(`query($first: Int, $after: String, $f: UnitFilter) {
  units(first: $first, after: $after, filter: $f) { pageInfo { hasNextPage endCursor } nodes { id } } }`)

describe('a typed document sent', () => {
  it('posts its printed text and its variables, with the CSRF header', async () => {
    const sent = server({ data: { node: { id: 'p1', name: '张三' } } })
    const data = await gql(PERSON, { id: 'p1' })
    expect(data.node).toEqual({ id: 'p1', name: '张三' })
    expect(JSON.parse(String(sent[0].body))).toEqual({ query: documentText(PERSON), variables: { id: 'p1' } })
    expect(sent[0].headers['X-Requested-With']).toBe('taizhang')
    expect(sent[0].credentials).toBe('same-origin')
  })
  it('sends no cookie for the public pages, and {} for a document without variables', async () => {
    const sent = server({ data: { auditHead: { seq: 1, hash: 'h' } } })
    await gql(graphql(`{ auditHead { seq hash } }`), {}, { anonymous: true })
    expect(sent[0].credentials).toBe('omit')
    expect(JSON.parse(String(sent[0].body)).variables).toEqual({})
  })
  it('throws the first error with its code, field and request id', async () => {
    server({ errors: [{ message: '无权', extensions: { code: 'FORBIDDEN', field: 'id' } }] })
    const e = await gql(PERSON, { id: 'p1' }).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(ApiError)
    expect(e).toMatchObject({ code: 'FORBIDDEN', field: 'id', requestId: 'r1' })
  })
})

describe('a whole list', () => {
  it('follows endCursor 100 at a time with the other variables', async () => {
    const sent = server(
      { data: { units: { pageInfo: { hasNextPage: true, endCursor: 'c1' }, nodes: [{ id: 'a' }] } } },
      { data: { units: { pageInfo: { hasNextPage: false, endCursor: 'c2' }, nodes: [{ id: 'b' }] } } },
    )
    const nodes = await gqlAll(UNITS, (d) => d.units, (page) => ({ ...page, f: { archived: true } }))
    expect(nodes.map((n) => n.id)).toEqual(['a', 'b'])
    expect(sent.map((s) => JSON.parse(String(s.body)).variables)).toEqual([
      { first: 100, after: null, f: { archived: true } },
      { first: 100, after: 'c1', f: { archived: true } },
    ])
  })
})

describe('a multipart request', () => {
  it('sends the form with the file as its own part', async () => {
    const sent = server({ data: { uploadEvidence: { evidence: { id: 'e1', fileName: 'a.pdf' } } } })
    const file = new File(['x'], 'a.pdf')
    const data = await gqlForm(UPLOAD_EVIDENCE, evidenceVariables('m1', file, null))
    expect(data.uploadEvidence.evidence.fileName).toBe('a.pdf')
    const form = sent[0].body as FormData
    expect(JSON.parse(form.get('operations') as string).variables).toEqual({ i: { measureId: 'm1', file: null, description: null } })
    expect(sent[0].headers['Content-Type']).toBeUndefined()
  })
})
