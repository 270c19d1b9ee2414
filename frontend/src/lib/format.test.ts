import { describe, expect, it } from 'vitest'
import { displayName, formatRate, progressPercent } from './format'

describe('displayName', () => {
  it('uses the name when there is one', () => {
    expect(displayName({ name: 'Ada Lovelace', email: 'ada@example.com' })).toBe('Ada Lovelace')
  })
  it('falls back to the address for a blank name', () => {
    expect(displayName({ name: '  ', email: 'ada@example.com' })).toBe('ada@example.com')
  })
})

describe('progressPercent', () => {
  it('is 0 without a total', () => expect(progressPercent(5, 0)).toBe(0))
  it('never exceeds 100', () => expect(progressPercent(12, 10)).toBe(100))
  it('rounds', () => expect(progressPercent(1, 3)).toBe(33))
})

describe('formatRate', () => {
  it('keeps one decimal for slow rates', () => expect(formatRate(12.345)).toBe('12.3'))
  it('rounds fast rates with separators', () => expect(formatRate(12345.6)).toBe('12,346'))
})
