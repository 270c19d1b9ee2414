// From the filter state (search, sort, quick toggles, header filters) to the
// ContactQuery the backend runs. Pure, so the rules are tested on their own.
import { defaultQuick, type ColumnFilter, type ContactQuery, type QuickFilters, type SortColumn } from '../lib/api'
import { COLUMNS, type ColumnDef, type ColumnKey } from './columns'

export type Sort = { column: SortColumn; desc: boolean }

export interface FilterState {
  search: string
  sort: Sort | null
  quick: QuickFilters
  columns: Partial<Record<ColumnKey, ColumnFilter>>
}

export const QUICK_KEYS = Object.keys(defaultQuick) as (keyof QuickFilters)[]

export function defaultFilterState(): FilterState {
  return { search: '', sort: null, quick: { ...defaultQuick }, columns: {} }
}

/** A header filter that selects nothing is no filter. */
export function isEmptyFilter(f: ColumnFilter): boolean {
  if (f.op === 'in') return f.values.length === 0
  return f.value.trim() === ''
}

/** Builds the ColumnFilter a header's popover produced (null: no filter). */
export function makeFilter(def: ColumnDef, value: string, values: readonly string[] = []): ColumnFilter | null {
  if (def.filter === 'none' || def.filterColumn === null) return null
  let f: ColumnFilter
  switch (def.filter) {
    case 'text':
      f = { column: def.filterColumn, op: 'contains', value: value.trim(), values: [] }
      break
    case 'number': {
      const n = Number(value.trim())
      if (value.trim() === '' || !Number.isFinite(n)) return null
      f = { column: def.filterColumn, op: 'gte', value: String(n), values: [] }
      break
    }
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return null
      f = { column: def.filterColumn, op: 'after', value: value.trim(), values: [] }
      break
    case 'multi':
      f = { column: def.filterColumn, op: 'in', value: '', values: def.options.filter((o) => values.includes(o)) }
      break
  }
  return isEmptyFilter(f) ? null : f
}

/** The query for a state, with the given page window (offset/limit). */
export function buildQuery(s: FilterState, offset = 0, limit = 100): ContactQuery {
  const filters: ColumnFilter[] = []
  for (const def of COLUMNS) {
    const f = s.columns[def.key]
    if (f && !isEmptyFilter(f)) filters.push({ column: f.column, op: f.op, value: f.value, values: [...f.values] })
  }
  const quick = {} as QuickFilters
  for (const k of QUICK_KEYS) quick[k] = Boolean(s.quick[k])
  return {
    search: s.search.trim(),
    sort: s.sort ? { column: s.sort.column, desc: s.sort.desc } : null,
    quick,
    filters,
    offset,
    limit,
  }
}

/**
 * The query a Selection carries: it means "every contact these filters,
 * this search and this sort select", so it has no window (offset 0, limit 0).
 */
export function selectionQuery(q: ContactQuery): ContactQuery {
  return { ...q, quick: { ...q.quick }, filters: q.filters.map((f) => ({ ...f, values: [...f.values] })), offset: 0, limit: 0 }
}

/** Header click: descending, then ascending, then back to rank order. */
export function cycleSort(current: Sort | null, column: SortColumn): Sort | null {
  if (!current || current.column !== column) return { column, desc: true }
  if (current.desc) return { column, desc: false }
  return null
}

export function ariaSort(current: Sort | null, column: SortColumn): 'ascending' | 'descending' | 'none' {
  if (!current || current.column !== column) return 'none'
  return current.desc ? 'descending' : 'ascending'
}

/** Quick toggles away from their default, header filters and a search each count one. */
export function activeFilterCount(s: FilterState): number {
  let n = 0
  for (const k of QUICK_KEYS) if (Boolean(s.quick[k]) !== defaultQuick[k]) n++
  for (const f of Object.values(s.columns)) if (f && !isEmptyFilter(f)) n++
  if (s.search.trim() !== '') n++
  return n
}

export function isDefaultFilters(s: FilterState): boolean {
  return activeFilterCount(s) === 0
}

/** The same set of contacts (sort aside): used to decide when a selection still applies. */
export function filterKey(q: ContactQuery): string {
  return JSON.stringify([q.search, q.quick, q.filters])
}

export function queryKey(q: ContactQuery): string {
  return JSON.stringify([q.search, q.quick, q.filters, q.sort])
}
