// Pure helpers of the Privacy area: sizes, dates, fingerprints and the
// retention form's validation. Tested on their own (format.test.ts).
import type { Retention } from '../lib/api'
import { privacy as s } from '../lib/strings'

/** "512 B", "1.5 kB", "12 MB" (powers of 1000); "" for nonsense. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return ''
  if (n < 1000) return `${Math.round(n)} ${s.units.bytes}`
  const units = s.units.larger
  let v = n / 1000
  let i = 0
  while (v >= 999.95 && i < units.length - 1) {
    v /= 1000
    i++
  }
  return `${v >= 99.95 ? Math.round(v).toLocaleString('en') : v.toFixed(1)} ${units[i]}`
}

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? null : d
}

/** A date and time in the user's locale; "" when missing or unreadable. */
export function formatDateTime(iso: string | null | undefined): string {
  const d = parse(iso)
  return d ? d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : ''
}

/** A date in the user's locale; "" when missing or unreadable. */
export function formatDate(iso: string | null | undefined): string {
  const d = parse(iso)
  return d ? d.toLocaleDateString(undefined, { dateStyle: 'medium' }) : ''
}

/** A time of day (with seconds) in the user's locale; "" when missing or unreadable. */
export function formatTime(iso: string | null | undefined): string {
  const d = parse(iso)
  return d ? d.toLocaleTimeString() : ''
}

/** How a Do Not Mine Me entry is shown: the start of its keyed hash. */
export function fingerprint(subject: string): string {
  return subject.slice(0, 12)
}

export function kindLabel(kind: string): string {
  return s.suppress.kind[kind] ?? kind
}

export function reasonLabel(reason: string): string {
  return s.suppress.reason[reason] ?? reason
}

// ---- retention ------------------------------------------------------------

export type RetentionField = keyof Retention
export const retentionFields: readonly RetentionField[] = ['contact_months', 'verification_days', 'enrichment_months']

/** The privacy policy's defaults, shown until the backend answers. */
export const defaultRetention: Retention = { contact_months: 36, verification_days: 100, enrichment_months: 6 }

/** Beyond this a period means "forever" and is most likely a typing slip. */
export const RETENTION_MAX = 9999

/** The form as typed: text, so that a wrong entry can be shown as typed. */
export type RetentionForm = Record<RetentionField, string>

export function retentionForm(r: Retention): RetentionForm {
  return {
    contact_months: String(r.contact_months),
    verification_days: String(r.verification_days),
    enrichment_months: String(r.enrichment_months),
  }
}

/** A whole number from 1 to RETENTION_MAX, or null. */
export function parsePeriod(text: string): number | null {
  const t = text.trim()
  if (!/^\d+$/.test(t)) return null
  const n = Number(t)
  return n >= 1 && n <= RETENTION_MAX ? n : null
}

export type RetentionErrors = Partial<Record<RetentionField, string>>

/** The settings to save, or the message of every wrong field. */
export function validateRetention(form: RetentionForm): { value: Retention | null; errors: RetentionErrors } {
  const errors: RetentionErrors = {}
  const value = { ...defaultRetention }
  for (const f of retentionFields) {
    const n = parsePeriod(form[f])
    if (n === null) errors[f] = s.retention.invalid(RETENTION_MAX)
    else value[f] = n
  }
  return Object.keys(errors).length > 0 ? { value: null, errors } : { value, errors }
}

export function retentionLabel(f: RetentionField): string {
  switch (f) {
    case 'contact_months':
      return s.retention.contactMonths
    case 'verification_days':
      return s.retention.verificationDays
    case 'enrichment_months':
      return s.retention.enrichmentMonths
  }
}
