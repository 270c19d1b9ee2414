import { describe, expect, it } from 'vitest'
import {
  fingerprint,
  formatBytes,
  formatDate,
  formatDateTime,
  kindLabel,
  parsePeriod,
  reasonLabel,
  RETENTION_MAX,
  retentionForm,
  validateRetention,
} from './format'

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1536, '1.5 kB'],
    [2048, '2.0 kB'],
    [123_456, '123 kB'],
    [999_999, '1.0 MB'],
    [12_300_000, '12.3 MB'],
    [5e9, '5.0 GB'],
    [7e15, '7,000 TB'],
  ])('%d bytes → %s', (n, want) => {
    expect(formatBytes(n)).toBe(want)
  })

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('nonsense (%d) → ""', (n) => {
    expect(formatBytes(n)).toBe('')
  })
})

describe('dates', () => {
  it.each([null, undefined, '', 'not a date'])('a missing or unreadable date (%s) gives ""', (v) => {
    expect(formatDateTime(v)).toBe('')
    expect(formatDate(v)).toBe('')
  })

  it('a date shows its year', () => {
    expect(formatDateTime('2024-07-05T12:00:00Z')).toContain('2024')
    expect(formatDate('2024-07-05T12:00:00Z')).toContain('2024')
  })
})

describe('Do Not Mine Me display', () => {
  it('shows the first 12 characters of the keyed hash', () => {
    expect(fingerprint('0123456789abcdef0123')).toBe('0123456789ab')
    expect(fingerprint('short')).toBe('short')
  })

  it.each([
    ['manual', 'Added by hand'],
    ['import', 'Imported from a list'],
    ['erasure', 'Erasure request'],
    ['objection', 'Objection'],
    ['unsubscribe', 'Unsubscribed'],
    ['something-new', 'something-new'],
  ])('reason %s reads “%s”', (reason, label) => {
    expect(reasonLabel(reason)).toBe(label)
  })

  it.each([
    ['address', 'Address'],
    ['domain', 'Domain'],
    ['other', 'other'],
  ])('kind %s reads “%s”', (kind, label) => {
    expect(kindLabel(kind)).toBe(label)
  })
})

describe('retention validation', () => {
  it.each([
    ['1', 1],
    ['36', 36],
    [' 12 ', 12],
    [String(RETENTION_MAX), RETENTION_MAX],
    ['0', null],
    ['-3', null],
    ['1.5', null],
    ['', null],
    ['abc', null],
    ['1e3', null],
    [String(RETENTION_MAX + 1), null],
  ])('“%s” → %s', (text, want) => {
    expect(parsePeriod(text)).toBe(want)
  })

  it('a valid form gives the settings to save', () => {
    expect(validateRetention(retentionForm({ contact_months: 24, verification_days: 30, enrichment_months: 3 }))).toEqual({
      value: { contact_months: 24, verification_days: 30, enrichment_months: 3 },
      errors: {},
    })
  })

  it('names every wrong field and nothing else', () => {
    const r = validateRetention({ contact_months: '12', verification_days: '0', enrichment_months: 'x' })
    expect(r.value).toBeNull()
    expect(Object.keys(r.errors).sort()).toEqual(['enrichment_months', 'verification_days'])
    expect(r.errors.verification_days).toContain('whole number')
  })
})
