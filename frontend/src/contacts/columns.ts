// The table's columns: what each shows, whether the server can sort on it,
// and which kind of filter its header offers.
import type { ColumnFilter, SortColumn } from '../lib/api'

export type ColumnKey =
  | 'contact' | 'sources' | 'occurrence' | 'recency' | 'replied_conversations' | 'temperature'
  | 'tags' | 'status' | 'consent_status' | 'sender' | 'recipient' | 'seniority'
  | 'alternate_names' | 'telephone' | 'works_for' | 'job_title' | 'location' | 'same_as'

/** text: contains; number: ≥; date: after; multi: any of `options`. */
export type FilterKind = 'text' | 'number' | 'date' | 'multi' | 'none'

export type CellKind = 'contact' | 'number' | 'date' | 'temperature' | 'tags' | 'status' | 'consent' | 'list' | 'text'

export interface ColumnDef {
  key: ColumnKey
  sort: SortColumn | null
  filter: FilterKind
  /** The ColumnFilter.column sent for this header's filter. */
  filterColumn: ColumnFilter['column'] | null
  /** Values offered by a multi filter. */
  options: readonly string[]
  cell: CellKind
  width: number // px
}

export const TAG_OPTIONS = [
  'personal', 'professional', 'newsletter', 'group', 'chat', 'role', 'no-reply', 'transactional', 'disposable',
] as const
/** "" is an unverified address. */
export const STATUS_OPTIONS = ['VALID', 'RISKY', 'INVALID', 'UNKNOWN', ''] as const
export const CONSENT_OPTIONS = ['legitimate_interest', 'opt_in', 'opt_out'] as const

function col(
  key: ColumnKey, cell: CellKind, width: number, sort: SortColumn | null, filter: FilterKind,
  filterColumn: ColumnFilter['column'] | null = null, options: readonly string[] = [],
): ColumnDef {
  return { key, cell, width, sort, filter, filterColumn: filter === 'none' ? null : (filterColumn ?? (key as ColumnFilter['column'])), options }
}

export const COLUMNS: readonly ColumnDef[] = [
  col('contact', 'contact', 260, 'contact', 'text', 'contact'),
  col('sources', 'list', 160, null, 'text', 'sources'),
  col('occurrence', 'number', 110, 'occurrence', 'number'),
  col('recency', 'date', 120, 'recency', 'date'),
  col('replied_conversations', 'number', 100, 'replied_conversations', 'number'),
  col('temperature', 'temperature', 130, 'temperature', 'number'),
  col('tags', 'tags', 200, null, 'multi', 'tags', TAG_OPTIONS),
  col('status', 'status', 120, 'status', 'multi', 'status', STATUS_OPTIONS),
  col('consent_status', 'consent', 160, 'consent_status', 'multi', 'consent_status', CONSENT_OPTIONS),
  col('sender', 'number', 100, 'sender', 'number'),
  col('recipient', 'number', 110, 'recipient', 'number'),
  col('seniority', 'date', 120, 'seniority', 'date'),
  col('alternate_names', 'list', 180, null, 'text', 'alternate_names'),
  col('telephone', 'list', 170, null, 'text', 'telephone'),
  col('works_for', 'text', 170, 'works_for', 'text'),
  col('job_title', 'text', 170, 'job_title', 'text'),
  col('location', 'text', 170, 'location', 'text'),
  col('same_as', 'list', 220, null, 'none'),
]

export const COLUMN_KEYS: readonly ColumnKey[] = COLUMNS.map((c) => c.key)

/** Shown on first run (the contact column is always shown). */
export const DEFAULT_COLUMNS: readonly ColumnKey[] = [
  'contact', 'sources', 'occurrence', 'recency', 'replied_conversations', 'temperature', 'tags', 'status',
]

export function isColumnKey(v: unknown): v is ColumnKey {
  return typeof v === 'string' && (COLUMN_KEYS as readonly string[]).includes(v)
}

export function columnDef(key: ColumnKey): ColumnDef {
  const def = COLUMNS.find((c) => c.key === key)
  if (!def) throw new Error(`unknown column ${key}`)
  return def
}

/** The columns to draw, in table order; the contact column is always one. */
export function visibleColumns(chosen: readonly ColumnKey[]): ColumnDef[] {
  return COLUMNS.filter((c) => c.key === 'contact' || chosen.includes(c.key))
}

/** CSS grid template: the selection checkbox, then each column. */
export const CHECK_WIDTH = 44
export function gridTemplate(cols: readonly ColumnDef[]): string {
  return [`${CHECK_WIDTH}px`, ...cols.map((c) => `${c.width}px`)].join(' ')
}
export function gridWidth(cols: readonly ColumnDef[]): number {
  return cols.reduce((w, c) => w + c.width, CHECK_WIDTH)
}
