// How contact values read in cells and in the panel. Everything returns
// plain text; the components render it as text only.
import { contacts as t } from '../lib/strings'

/** YYYY-MM-DD in local time, "" for none or garbage. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  const mm = String(d.getMonth() + 1).padStart(2, '0')
  const dd = String(d.getDate()).padStart(2, '0')
  return `${d.getFullYear()}-${mm}-${dd}`
}

/** The full timestamp, for a tooltip. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString()
}

export function joinList(v: readonly string[] | null | undefined): string {
  return Array.isArray(v) ? v.join(', ') : ''
}

/** Temperature 0–100 clamped to an integer. */
export function clampTemperature(v: number): number {
  if (!Number.isFinite(v)) return 0
  return Math.max(0, Math.min(100, Math.round(v)))
}

/** Yellow (cold) to red (hot): hue 45° → 0°. */
export function temperatureColor(v: number): string {
  const hue = Math.round(45 - (45 * clampTemperature(v)) / 100)
  return `hsl(${hue} 90% 85%)`
}

/** At most `max` tags shown, and how many more there are. */
export function visibleTags(tags: readonly string[] | null | undefined, max = 2): { shown: string[]; more: number } {
  const all = Array.isArray(tags) ? tags : []
  return { shown: all.slice(0, max), more: Math.max(0, all.length - max) }
}

export function tagLabel(tag: string): string {
  return t.tag[tag] ?? tag
}

export function statusLabel(status: string | null | undefined): string {
  const s = status ?? ''
  return t.status[s] ?? s
}

/** CSS class suffix for a status pill. */
export function statusTone(status: string | null | undefined): 'good' | 'warn' | 'bad' | 'neutral' {
  switch (status) {
    case 'VALID':
      return 'good'
    case 'RISKY':
      return 'warn'
    case 'INVALID':
      return 'bad'
    default:
      return 'neutral'
  }
}

export function consentLabel(consent: string | null | undefined): string {
  const c = consent ?? ''
  return t.consent[c] ?? c
}

export function consentTone(consent: string | null | undefined): 'good' | 'bad' | 'info' | 'neutral' {
  switch (consent) {
    case 'opt_in':
      return 'good'
    case 'opt_out':
      return 'bad'
    case 'legitimate_interest':
      return 'info'
    default:
      return 'neutral'
  }
}

export function tagTone(tag: string): 'personal' | 'professional' | 'other' {
  return tag === 'personal' ? 'personal' : tag === 'professional' ? 'professional' : 'other'
}

/**
 * "Name <email>" for the clipboard; the name is quoted when it holds
 * characters that would break the address (RFC 5322 specials), and
 * "<email>" alone without a name.
 */
export function addressLine(c: { name: string; email: string }): string {
  const name = (c.name ?? '').replace(/[\r\n]+/g, ' ').trim()
  if (name === '') return `<${c.email}>`
  const quoted = /[()<>[\]:;@\\,."]/.test(name) ? `"${name.replace(/(["\\])/g, '\\$1')}"` : name
  return `${quoted} <${c.email}>`
}

/** A ledger entry's evidence as one line of text (note, changed fields, where it came from). */
export function evidenceText(evidence: Record<string, unknown> | null | undefined): string {
  if (!evidence || typeof evidence !== 'object') return ''
  const parts: string[] = []
  for (const [k, v] of Object.entries(evidence)) {
    if (v === null || v === undefined || v === '') continue
    const value = Array.isArray(v) ? v.map(String).join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)
    if (value === '') continue
    parts.push(k === 'note' || k === 'evidence' ? value : `${k.replace(/_/g, ' ')}: ${value}`)
  }
  return parts.join(' · ')
}

/** The label of a ledger action, or the action itself when unknown. */
export function ledgerActionLabel(action: string): string {
  return t.rights.action[action] ?? action
}

/** "for campaigns, on consent". */
export function ledgerPurpose(purpose: string, basis: string): string {
  return t.rights.entry(purpose, t.rights.basis[basis] ?? basis)
}
