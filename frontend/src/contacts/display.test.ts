import { describe, expect, it } from 'vitest'
import { addressLine, clampTemperature, formatDate, statusLabel, temperatureColor, visibleTags } from './display'

describe('display helpers', () => {
  it('shows two tags and counts the rest', () => {
    expect(visibleTags(['a', 'b', 'c', 'd'])).toEqual({ shown: ['a', 'b'], more: 2 })
    expect(visibleTags(['a'])).toEqual({ shown: ['a'], more: 0 })
    expect(visibleTags(null)).toEqual({ shown: [], more: 0 })
  })
  it('labels statuses, "Unverified" when empty', () => {
    expect(statusLabel('VALID')).toBe('Valid')
    expect(statusLabel('')).toBe('Unverified')
    expect(statusLabel('SOMETHING')).toBe('SOMETHING')
  })
  it('temperature badge colour goes from yellow to red', () => {
    expect(temperatureColor(0)).toBe('hsl(45 90% 85%)')
    expect(temperatureColor(100)).toBe('hsl(0 90% 85%)')
    expect(clampTemperature(140)).toBe(100)
    expect(clampTemperature(Number.NaN)).toBe(0)
  })
  it('formats dates as YYYY-MM-DD, nothing for none or garbage', () => {
    expect(formatDate('2024-05-06T12:00:00')).toBe('2024-05-06')
    expect(formatDate(null)).toBe('')
    expect(formatDate('garbage')).toBe('')
  })
  it('copies "Name <email>", quoting names that need it', () => {
    expect(addressLine({ name: 'Ada Lovelace', email: 'ada@example.com' })).toBe('Ada Lovelace <ada@example.com>')
    expect(addressLine({ name: '', email: 'ada@example.com' })).toBe('<ada@example.com>')
    expect(addressLine({ name: 'Lovelace, Ada "Countess"', email: 'ada@example.com' })).toBe(
      '"Lovelace, Ada \\"Countess\\"" <ada@example.com>',
    )
    expect(addressLine({ name: 'Evil\r\nBcc: x@y', email: 'a@b' })).toBe('"Evil Bcc: x@y" <a@b>')
  })
})
