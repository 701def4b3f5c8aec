import { describe, expect, it } from 'vitest'
import { changes } from './forms'

describe('changes', () => {
  const original = { name: '县水利局', parentId: 'county' as string | null, headId: null as string | null, sortOrder: 1, rankingCategory: '县直部门' }
  const keys = ['name', 'parentId', 'headId', 'sortOrder', 'rankingCategory'] as const

  it('leaves untouched fields out', () => {
    expect(changes(original, { ...original }, keys)).toEqual({})
  })
  it('sends changed fields, and an emptied one as null (cleared)', () => {
    expect(changes(original, { ...original, name: '县水务局', parentId: null, rankingCategory: ' ' }, keys)).toEqual({ name: '县水务局', parentId: null, rankingCategory: null })
    expect(changes(original, { ...original, headId: 'p1', sortOrder: 3 }, keys)).toEqual({ headId: 'p1', sortOrder: 3 })
  })
})
