import { describe, expect, expectTypeOf, it } from 'vitest'
import { DISCLOSURE, FEEDBACK_CHANNEL, PROBLEM_SOURCE, SEVERITY, keysOf, label, oneOf, options, sourceOfChannel } from './labels'
import type { Enum } from './graphql'

describe('labels', () => {
  it('names enum values in Chinese and keeps unknown ones', () => {
    expect(label(SEVERITY, 'HIGH')).toBe('严重')
    expect(label(SEVERITY, 'NEW_VALUE')).toBe('NEW_VALUE')
    expect(label(SEVERITY, null)).toBe('—')
  })
  it('gives select options in the table order', () => {
    expect(options(SEVERITY).map((o) => o.value)).toEqual(['HIGH', 'MEDIUM', 'LOW'])
  })
  it('gives the values of the table\'s enum, typed as it', () => {
    expect(keysOf(DISCLOSURE)).toEqual(['INTERNAL', 'SYSTEM', 'PUBLIC'])
    expectTypeOf(options(DISCLOSURE)[0].value).toEqualTypeOf<Enum<'Disclosure'>>()
  })
  it('takes a form\'s choice only when it is one of the enum\'s values', () => {
    expect(oneOf(DISCLOSURE, 'PUBLIC')).toBe('PUBLIC')
    expect(oneOf(DISCLOSURE, 'public')).toBeNull()
    expect(oneOf(DISCLOSURE, null)).toBeNull()
    expect(oneOf(SEVERITY, 3)).toBeNull()
  })
  it('maps every feedback channel to a problem source', () => {
    for (const channel of Object.keys(FEEDBACK_CHANNEL)) expect(PROBLEM_SOURCE[sourceOfChannel(channel)]).toBeTruthy()
    expect(sourceOfChannel('FORM')).toBe('OPINION_FORM')
  })
})
