import { describe, expect, it } from 'vitest'
import { CursorIndex, MAX_PAGE, clampPage, pageCount, pageVariables, rowsBefore } from './paging'

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

describe('walking cursors to a page', () => {
  it('walks from the start in requests of at most the page cap', () => {
    const index = new CursorIndex()
    expect(index.walk(250)).toEqual([MAX_PAGE, MAX_PAGE, 50])
    expect(index.nearest(250)).toEqual({ rows: 0, cursor: null })
  })
  it('starts from the nearest cursor it knows at or below the target', () => {
    const index = new CursorIndex()
    index.remember(20, 'c20')
    index.remember(40, 'c40')
    index.remember(60, 'c60')
    expect(index.nearest(50)).toEqual({ rows: 40, cursor: 'c40' })
    expect(index.walk(50)).toEqual([10])
    expect(index.walk(40)).toEqual([])
  })
  it('forgets everything when the filter changes', () => {
    const index = new CursorIndex()
    index.remember(20, 'c20')
    index.clear()
    expect(index.nearest(20)).toEqual({ rows: 0, cursor: null })
  })
})
