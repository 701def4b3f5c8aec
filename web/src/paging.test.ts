import { describe, expect, it } from 'vitest'
import { MAX_PAGE, clampPage, pageCount, pageVariables, rowsBefore } from './paging'

describe('page numbers', () => {
  it('counts pages, with one empty page for an empty list', () => {
    expect(pageCount(0, 20)).toBe(1)
    expect(pageCount(20, 20)).toBe(1)
    expect(pageCount(21, 20)).toBe(2)
    expect(pageCount(69, 10)).toBe(7)
  })
  it('clamps a page into the pages that exist', () => {
    expect(clampPage(9, 69, 20)).toBe(4)
    expect(clampPage(0, 69, 20)).toBe(1)
    expect(clampPage(2.7, 69, 20)).toBe(2)
  })
  it('counts the rows before a page', () => {
    expect(rowsBefore(1, 20)).toBe(0)
    expect(rowsBefore(3, 20)).toBe(40)
    expect(rowsBefore(0, 20)).toBe(0)
  })
})

describe('the offset of a page', () => {
  it('asks page n of size first with offset (n − 1) × first', () => {
    expect(pageVariables(1, 20)).toEqual({ first: 20, offset: 0 })
    expect(pageVariables(3, 20)).toEqual({ first: 20, offset: 40 })
    expect(pageVariables(7, 50)).toEqual({ first: 50, offset: 300 })
  })
  it('keeps the page size within the API cap and above zero', () => {
    expect(pageVariables(2, 500)).toEqual({ first: MAX_PAGE, offset: MAX_PAGE })
    expect(pageVariables(2, 0)).toEqual({ first: 1, offset: 1 })
  })
})
