import { describe, expect, it } from 'vitest'
import { formatDuration, formatEta } from './time'

describe('formatEta', () => {
  it.each([
    [0, '< 5 seconds'],
    [4.2, '< 5 seconds'],
    [5, '< 5 seconds'],
    [6, '10 seconds'],
    [12, '15 seconds'],
    [50, '50 seconds'],
    [54, '55 seconds'],
    [55, '1 minute'],
    [89, '1 minute'],
    [90, '2 minutes'],
    [599, '10 minutes'],
    [600, '10 minutes'],
    [601, '10 minutes'],
    [14 * 60, '15 minutes'],
    [57 * 60, '55 minutes'],
    [58 * 60, '1 hour'],
    [62 * 60, '1 hour'],
    [63 * 60, '1 hour 5 minutes'],
    [2 * 3600, '2 hours'],
    [2 * 3600 + 22 * 60, '2 hours 20 minutes'],
    [2 * 3600 + 58 * 60, '3 hours'],
  ])('%s s → %s', (sec, want) => {
    expect(formatEta(sec)).toBe(want)
  })

  it('is empty when unknown', () => {
    expect(formatEta(-1)).toBe('')
    expect(formatEta(Number.NaN)).toBe('')
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('')
  })
})

describe('formatDuration', () => {
  it.each([
    [0, 'less than a second'],
    [1e9, '1 second'],
    [42e9, '42 seconds'],
    [120e9, '2 minutes'],
    [192e9, '3 minutes 12 seconds'],
    [3600e9, '1 hour'],
    [3840e9, '1 hour 4 minutes'],
    [7199e9, '2 hours'],
  ])('%s ns → %s', (ns, want) => {
    expect(formatDuration(ns)).toBe(want)
  })
})
