// The panel's edit form: a draft of text fields (lists one per line) and the
// ContactPatch holding only what the user changed.
import type { Contact, ContactPatch } from '../lib/api'

export const TEXT_FIELDS = ['name', 'given_name', 'family_name', 'works_for', 'job_title', 'location'] as const
export const LIST_FIELDS = ['alternate_names', 'telephone', 'same_as'] as const
export type TextField = (typeof TEXT_FIELDS)[number]
export type ListField = (typeof LIST_FIELDS)[number]
export type DraftField = TextField | ListField

/** Field order in the form. */
export const DRAFT_FIELDS: readonly DraftField[] = [
  'name', 'given_name', 'family_name', 'alternate_names', 'telephone', 'works_for', 'job_title', 'location', 'same_as',
]

export type Draft = Record<DraftField, string>

export function isListField(f: DraftField): f is ListField {
  return (LIST_FIELDS as readonly string[]).includes(f)
}

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

export function draftFrom(c: Contact): Draft {
  return {
    name: c.name ?? '',
    given_name: c.given_name ?? '',
    family_name: c.family_name ?? '',
    alternate_names: list(c.alternate_names).join('\n'),
    telephone: list(c.telephone).join('\n'),
    works_for: c.works_for ?? '',
    job_title: c.job_title ?? '',
    location: c.location ?? '',
    same_as: list(c.same_as).join('\n'),
  }
}

/** One value per non-blank line, trimmed, without repeats. */
export function linesToList(text: string): string[] {
  const out: string[] = []
  for (const line of text.split(/\r?\n/)) {
    const v = line.trim()
    if (v !== '' && !out.includes(v)) out.push(v)
  }
  return out
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}

/** Only the fields whose value changed (after trimming) are in the patch. */
export function patchFromDraft(c: Contact, d: Draft): ContactPatch {
  const before = draftFrom(c)
  const patch: ContactPatch = {}
  for (const f of TEXT_FIELDS) {
    if (d[f] === before[f]) continue
    const v = d[f].trim()
    if (v !== (c[f] ?? '')) patch[f] = v
  }
  for (const f of LIST_FIELDS) {
    if (d[f] === before[f]) continue
    const v = linesToList(d[f])
    if (!sameList(v, list(c[f]))) patch[f] = v
  }
  return patch
}

export function isEmptyPatch(p: ContactPatch): boolean {
  return Object.keys(p).length === 0
}

/** Links must be http(s) URLs; returns the ones that are not. */
export function invalidLinks(values: readonly string[]): string[] {
  return values.filter((v) => {
    try {
      const u = new URL(v)
      return !(u.protocol === 'http:' || u.protocol === 'https:') || u.hostname === ''
    } catch {
      return true
    }
  })
}
