import { describe, expect, it } from 'vitest'
import { pageOf, pagesFor, revealScrollTop, rowsPerViewport, visibleRange } from './virtual'

describe('visibleRange', () => {
  it('is empty without rows', () => {
    expect(visibleRange(0, 600, 44, 0, 8)).toEqual({ start: 0, end: 0 })
  })
  it('covers the viewport at the top, plus the overscan below', () => {
    // 440 px = 10 rows
    expect(visibleRange(0, 440, 44, 1000, 0)).toEqual({ start: 0, end: 10 })
    expect(visibleRange(0, 440, 44, 1000, 5)).toEqual({ start: 0, end: 15 })
  })
  it('includes partly visible rows', () => {
    // scrolled half a row: row 0 still shows at the top, row 10 at the bottom
    expect(visibleRange(22, 440, 44, 1000, 0)).toEqual({ start: 0, end: 11 })
  })
  it('follows the scroll position', () => {
    expect(visibleRange(44 * 250, 440, 44, 100_000, 8)).toEqual({ start: 242, end: 268 })
  })
  it('is clamped to the total', () => {
    expect(visibleRange(44 * 95, 440, 44, 100, 8)).toEqual({ start: 87, end: 100 })
    expect(visibleRange(0, 440, 44, 3, 8)).toEqual({ start: 0, end: 3 })
  })
  it('ignores negative (elastic) scroll', () => {
    expect(visibleRange(-50, 440, 44, 100, 0)).toEqual({ start: 0, end: 10 })
  })
})

describe('pagesFor', () => {
  it('gives the pages a range touches', () => {
    expect(pagesFor({ start: 0, end: 30 }, 100)).toEqual([0])
    expect(pagesFor({ start: 90, end: 110 }, 100)).toEqual([0, 1])
    expect(pagesFor({ start: 100, end: 200 }, 100)).toEqual([1])
    expect(pagesFor({ start: 99_950, end: 100_000 }, 100)).toEqual([999])
  })
  it('asks for the first page of an empty range, to learn the total', () => {
    expect(pagesFor({ start: 0, end: 0 }, 100)).toEqual([0])
  })
  it('pageOf aligns on the page size', () => {
    expect(pageOf(0, 100)).toBe(0)
    expect(pageOf(99, 100)).toBe(0)
    expect(pageOf(100, 100)).toBe(1)
  })
})

describe('revealScrollTop', () => {
  it('keeps a visible row where it is', () => {
    expect(revealScrollTop(5, 0, 440, 44)).toBe(0)
  })
  it('scrolls down just enough for a row below', () => {
    // row 10 spans 440–484: the viewport must end at 484
    expect(revealScrollTop(10, 0, 440, 44)).toBe(44)
  })
  it('scrolls up to a row above', () => {
    expect(revealScrollTop(3, 44 * 20, 440, 44)).toBe(132)
  })
  it('rowsPerViewport is at least 1', () => {
    expect(rowsPerViewport(440, 44)).toBe(10)
    expect(rowsPerViewport(10, 44)).toBe(1)
  })
})
