// The contacts screen's preferences (visible columns, export options), kept
// by the backend as one JSON document (LoadPrefs/SavePrefs) shared with the
// rest of the app: this screen owns the "contacts" key and leaves the others
// as they are.
//
//   { ..., "contacts": { "version": 1, "columns": [...], "export": {...} } }
import type { ExportOptions } from '../lib/api'
import { COLUMN_KEYS, DEFAULT_COLUMNS, isColumnKey, type ColumnKey } from './columns'

export const PREFS_KEY = 'contacts'
export const PREFS_VERSION = 1

export interface ContactsPrefs {
  version: typeof PREFS_VERSION
  columns: ColumnKey[]
  export: ExportOptions
}

export function defaultExportOptions(): ExportOptions {
  return { format: 'csv', delimiter: ',', bom: true, vcard_version: '4.0' }
}

export function defaultPrefs(): ContactsPrefs {
  return { version: PREFS_VERSION, columns: [...DEFAULT_COLUMNS], export: defaultExportOptions() }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Known keys only, in table order, the contact column always in. */
export function normalizeColumns(v: unknown): ColumnKey[] | null {
  if (!Array.isArray(v)) return null
  const chosen = new Set<ColumnKey>(v.filter(isColumnKey))
  chosen.add('contact')
  return COLUMN_KEYS.filter((k) => chosen.has(k))
}

function normalizeExport(v: unknown): ExportOptions {
  const d = defaultExportOptions()
  if (!isObject(v)) return d
  return {
    format: v.format === 'csv' || v.format === 'vcard' || v.format === 'json' ? v.format : d.format,
    delimiter: v.delimiter === ',' || v.delimiter === ';' || v.delimiter === '\t' ? v.delimiter : d.delimiter,
    bom: typeof v.bom === 'boolean' ? v.bom : d.bom,
    vcard_version: v.vcard_version === '4.0' || v.vcard_version === '3.0' ? v.vcard_version : d.vcard_version,
  }
}

/** The whole document, {} when empty or not an object. */
export function parseDocument(json: string): Record<string, unknown> {
  if (json.trim() === '') return {}
  try {
    const doc: unknown = JSON.parse(json)
    return isObject(doc) ? doc : {}
  } catch {
    return {}
  }
}

/**
 * This screen's preferences from the stored document. Anything missing or
 * malformed falls back to its default; a version this build does not know
 * (written by a newer one) is ignored as a whole.
 */
export function parsePrefs(json: string): ContactsPrefs {
  const section = parseDocument(json)[PREFS_KEY]
  const d = defaultPrefs()
  if (!isObject(section)) return d
  if (section.version !== PREFS_VERSION) return d
  return {
    version: PREFS_VERSION,
    columns: normalizeColumns(section.columns) ?? d.columns,
    export: normalizeExport(section.export),
  }
}

/** The stored document with this screen's section replaced, other keys kept. */
export function mergePrefs(existing: string, prefs: ContactsPrefs): string {
  const doc = parseDocument(existing)
  doc[PREFS_KEY] = {
    version: PREFS_VERSION,
    columns: normalizeColumns(prefs.columns) ?? [...DEFAULT_COLUMNS],
    export: normalizeExport(prefs.export),
  }
  return JSON.stringify(doc)
}
