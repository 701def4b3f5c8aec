import { describe, expect, it } from 'vitest'
import { FEEDBACK_CHANNEL, PROBLEM_SOURCE, SEVERITY, label, options, sourceOfChannel } from './labels'

describe('labels', () => {
  it('names enum values in Chinese and keeps unknown ones', () => {
    expect(label(SEVERITY, 'HIGH')).toBe('严重')
    expect(label(SEVERITY, 'NEW_VALUE')).toBe('NEW_VALUE')
    expect(label(SEVERITY, null)).toBe('—')
  })
  it('gives select options in the table order', () => {
    expect(options(SEVERITY).map((o) => o.value)).toEqual(['HIGH', 'MEDIUM', 'LOW'])
  })
  it('maps every feedback channel to a problem source', () => {
    for (const channel of Object.keys(FEEDBACK_CHANNEL)) expect(PROBLEM_SOURCE[sourceOfChannel(channel)]).toBeTruthy()
    expect(sourceOfChannel('FORM')).toBe('OPINION_FORM')
  })
})
