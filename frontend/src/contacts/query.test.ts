import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defaultQuick } from '../lib/api'
import { columnDef } from './columns'
import { FiltersStore } from './filters.svelte'
import {
  activeFilterCount, ariaSort, buildQuery, cycleSort, defaultFilterState, isDefaultFilters, makeFilter, selectionQuery,
} from './query'

describe('buildQuery', () => {
  it('defaults: no search, rank order, the default quick filters, no header filter', () => {
    expect(buildQuery(defaultFilterState())).toEqual({
      search: '', sort: null, quick: defaultQuick, filters: [], offset: 0, limit: 100,
    })
  })

  it('carries search (trimmed), sort, toggles and header filters in column order', () => {
    const s = defaultFilterState()
    s.search = '  acme '
    s.sort = { column: 'recency', desc: false }
    s.quick.replied = true
    s.quick.hide_unreachable = false
    s.columns.tags = makeFilter(columnDef('tags'), '', ['newsletter', 'personal'])!
    s.columns.occurrence = makeFilter(columnDef('occurrence'), ' 5 ')!
    s.columns.location = makeFilter(columnDef('location'), ' Paris ')!
    const q = buildQuery(s, 200, 100)
    expect(q.search).toBe('acme')
    expect(q.sort).toEqual({ column: 'recency', desc: false })
    expect(q.quick).toEqual({ ...defaultQuick, replied: true, hide_unreachable: false })
    expect(q.filters).toEqual([
      { column: 'occurrence', op: 'gte', value: '5', values: [] },
      { column: 'tags', op: 'in', value: '', values: ['personal', 'newsletter'] },
      { column: 'location', op: 'contains', value: 'Paris', values: [] },
    ])
    expect([q.offset, q.limit]).toEqual([200, 100])
  })

  it('does not share objects with the state', () => {
    const s = defaultFilterState()
    const q = buildQuery(s)
    q.quick.recent = true
    expect(s.quick.recent).toBe(false)
  })
})

describe('makeFilter', () => {
  it('builds each kind', () => {
    expect(makeFilter(columnDef('contact'), 'ada')).toEqual({ column: 'contact', op: 'contains', value: 'ada', values: [] })
    expect(makeFilter(columnDef('temperature'), '40')).toEqual({ column: 'temperature', op: 'gte', value: '40', values: [] })
    expect(makeFilter(columnDef('recency'), '2024-05-01')).toEqual({ column: 'recency', op: 'after', value: '2024-05-01', values: [] })
    expect(makeFilter(columnDef('status'), '', ['', 'VALID'])).toEqual({ column: 'status', op: 'in', value: '', values: ['VALID', ''] })
    expect(makeFilter(columnDef('telephone'), '+33')?.column).toBe('telephone')
  })
  it('an empty or invalid value is no filter', () => {
    expect(makeFilter(columnDef('location'), '   ')).toBeNull()
    expect(makeFilter(columnDef('occurrence'), 'many')).toBeNull()
    expect(makeFilter(columnDef('recency'), 'yesterday')).toBeNull()
    expect(makeFilter(columnDef('tags'), '', [])).toBeNull()
    expect(makeFilter(columnDef('tags'), '', ['<script>'])).toBeNull() // not an option
    expect(makeFilter(columnDef('same_as'), 'x')).toBeNull() // no filter on links
  })
})

describe('sorting', () => {
  it('cycles desc → asc → rank order, and restarts on another column', () => {
    let s = cycleSort(null, 'occurrence')
    expect(s).toEqual({ column: 'occurrence', desc: true })
    s = cycleSort(s, 'occurrence')
    expect(s).toEqual({ column: 'occurrence', desc: false })
    expect(cycleSort(s, 'occurrence')).toBeNull()
    expect(cycleSort(s, 'recency')).toEqual({ column: 'recency', desc: true })
  })
  it('aria-sort', () => {
    expect(ariaSort({ column: 'recency', desc: true }, 'recency')).toBe('descending')
    expect(ariaSort({ column: 'recency', desc: false }, 'recency')).toBe('ascending')
    expect(ariaSort({ column: 'recency', desc: false }, 'occurrence')).toBe('none')
    expect(ariaSort(null, 'occurrence')).toBe('none')
  })
})

describe('active filters', () => {
  it('counts toggles away from their default, header filters and a search', () => {
    const s = defaultFilterState()
    expect(activeFilterCount(s)).toBe(0)
    expect(isDefaultFilters(s)).toBe(true)
    s.quick.hide_unreachable = false // default is on
    s.quick.has_phone = true
    s.columns.location = makeFilter(columnDef('location'), 'Paris')!
    s.search = 'x'
    s.sort = { column: 'occurrence', desc: true } // not a filter
    expect(activeFilterCount(s)).toBe(4)
    expect(isDefaultFilters(s)).toBe(false)
  })
})

describe('selectionQuery', () => {
  it('keeps filters, search and sort but has no window', () => {
    const s = defaultFilterState()
    s.search = 'acme'
    s.sort = { column: 'temperature', desc: true }
    const q = selectionQuery(buildQuery(s, 300, 100))
    expect(q).toMatchObject({ search: 'acme', sort: { column: 'temperature', desc: true }, offset: 0, limit: 0 })
  })
})

describe('FiltersStore', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('debounces the search by 250 ms', () => {
    const f = new FiltersStore()
    f.setSearch('a')
    f.setSearch('ad')
    expect(f.searchInput).toBe('ad')
    expect(f.query.search).toBe('')
    vi.advanceTimersByTime(249)
    expect(f.query.search).toBe('')
    vi.advanceTimersByTime(1)
    expect(f.query.search).toBe('ad')
  })

  it('Enter applies the search at once', () => {
    const f = new FiltersStore()
    f.setSearch('ada')
    f.flushSearch()
    expect(f.query.search).toBe('ada')
  })

  it('clear resets toggles, header filters and search but keeps the sort', () => {
    const f = new FiltersStore()
    f.setSearch('ada')
    vi.advanceTimersByTime(300)
    f.toggleQuick('recent')
    f.setQuick('hide_unsubscribed', false)
    f.setFilter('location', makeFilter(columnDef('location'), 'Paris'))
    f.cycleSort('recency')
    expect(f.activeCount).toBe(4)
    const before = f.filterKey
    f.clear()
    expect(f.query).toEqual({
      search: '', sort: { column: 'recency', desc: true }, quick: defaultQuick, filters: [], offset: 0, limit: 100,
    })
    expect(f.searchInput).toBe('')
    expect(f.isDefault).toBe(true)
    expect(f.filterKey).not.toBe(before)
  })

  it('a pending search does not come back after clear', () => {
    const f = new FiltersStore()
    f.setSearch('ada')
    f.clear()
    vi.advanceTimersByTime(500)
    expect(f.query.search).toBe('')
  })

  it('setFilter(null) removes a header filter; sort changes the key, not the filter key', () => {
    const f = new FiltersStore()
    f.setFilter('location', makeFilter(columnDef('location'), 'Paris'))
    expect(f.query.filters).toHaveLength(1)
    f.setFilter('location', null)
    expect(f.query.filters).toHaveLength(0)
    const { key, filterKey } = f
    f.cycleSort('occurrence')
    expect(f.key).not.toBe(key)
    expect(f.filterKey).toBe(filterKey)
  })
})
