import { describe, expect, it } from 'vitest'
import { ApiError } from './api'
import { errorPlace, showError } from './errors'

describe('errorPlace', () => {
  const fields = ['content', 'receivedOn']
  it('puts an error at the field the server names', () => {
    expect(errorPlace(new ApiError('内容不能为空', 'BAD_USER_INPUT', 'content'), fields, '_form')).toEqual({ field: 'content', message: '内容不能为空' })
    expect(errorPlace(new ApiError('x', 'BAD_USER_INPUT', 'input.receivedOn'), fields, '_form').field).toBe('receivedOn')
  })
  it('puts an item of a list at the list', () => {
    expect(errorPlace(new ApiError('不是该组人员', 'BAD_USER_INPUT', 'memberIds.1'), ['memberIds'], '_form').field).toBe('memberIds')
    expect(errorPlace(new ApiError('编号已用', 'BAD_USER_INPUT', 'problem.code'), ['code'], '_form').field).toBe('code')
  })
  it('puts a field of a list\'s item at that item when the form has one place per item', () => {
    const places = ['default', 'units.0', 'units.1']
    expect(errorPlace(new ApiError('重复', 'BAD_USER_INPUT', 'units.1.unitId'), places, '_form').field).toBe('units.1')
    expect(errorPlace(new ApiError('缺周几', 'BAD_USER_INPUT', 'units.0.rhythm'), places, '_form').field).toBe('units.0')
    expect(errorPlace(new ApiError('x', 'BAD_USER_INPUT', 'units.7.rhythm'), places, '_form').field).toBe('_form')
    expect(errorPlace(new ApiError('x', 'BAD_USER_INPUT', 'default'), places, '_form').field).toBe('default')
  })
  it('falls back for a field the form lacks, or none', () => {
    expect(errorPlace(new ApiError('无权', 'FORBIDDEN', null), fields, 'content').field).toBe('content')
    expect(errorPlace(new ApiError('x', 'BAD_USER_INPUT', 'unitId'), fields, '_form').field).toBe('_form')
    expect(errorPlace(new Error('boom'), fields, '_form')).toEqual({ field: '_form', message: 'boom' })
  })
  it('clears the old errors when showing a new one', () => {
    const errors: Record<string, string> = { content: 'old', _form: '' }
    showError(errors, new ApiError('新的', 'CONFLICT', null), fields)
    expect(errors).toEqual({ content: '', _form: '新的' })
  })
})

describe('the request id of a server error', () => {
  it('is quoted with the message', async () => {
    const { messageOf, requestIdOf } = await import('./api')
    const e = new ApiError('无权操作', 'FORBIDDEN', null, '0193-abcd')
    expect(messageOf(e)).toBe('无权操作（请求编号 0193-abcd）')
    expect(requestIdOf(e)).toBe('0193-abcd')
    expect(messageOf(new ApiError('无法连接服务器', 'NETWORK', null))).toBe('无法连接服务器')
  })
})
