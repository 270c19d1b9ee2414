// What the table asks for: search (debounced), sort, quick toggles and
// header filters. `query` is what QueryContacts gets (page window aside).
import { defaultQuick, type ColumnFilter, type ContactQuery, type QuickFilters, type SortColumn } from '../lib/api'
import type { ColumnKey } from './columns'
import {
  activeFilterCount, buildQuery, cycleSort, filterKey, isEmptyFilter, queryKey, type FilterState, type Sort,
} from './query'
import { debounce } from './timing'

export const SEARCH_DEBOUNCE_MS = 250

export class FiltersStore {
  /** What is typed in the search box. */
  searchInput = $state('')
  /** The search the query uses (searchInput, 250 ms later). */
  search = $state('')
  sort = $state<Sort | null>(null)
  quick = $state<QuickFilters>({ ...defaultQuick })
  columns = $state<Partial<Record<ColumnKey, ColumnFilter>>>({})

  readonly #applySearch

  constructor(searchDelay = SEARCH_DEBOUNCE_MS) {
    this.#applySearch = debounce((text: string) => {
      this.search = text
    }, searchDelay)
  }

  get state(): FilterState {
    return { search: this.search, sort: this.sort, quick: this.quick, columns: this.columns }
  }

  /** The query without its page window. */
  query: ContactQuery = $derived(buildQuery(this.state))
  /** Changes when the set of contacts changes (not the order). */
  filterKey: string = $derived(filterKey(this.query))
  /** Changes when the rows or their order change. */
  key: string = $derived(queryKey(this.query))
  activeCount: number = $derived(activeFilterCount(this.state))
  isDefault: boolean = $derived(this.activeCount === 0)

  setSearch(text: string) {
    this.searchInput = text
    this.#applySearch(text)
  }

  /** Applies the typed search now (Enter). */
  flushSearch() {
    this.#applySearch.flush()
  }

  setQuick(key: keyof QuickFilters, on: boolean) {
    this.quick[key] = on
  }

  toggleQuick(key: keyof QuickFilters) {
    this.quick[key] = !this.quick[key]
  }

  /** Sets or (null / empty) removes a header filter. */
  setFilter(key: ColumnKey, f: ColumnFilter | null) {
    const next = { ...this.columns }
    if (f && !isEmptyFilter(f)) next[key] = f
    else delete next[key]
    this.columns = next
  }

  filterOf(key: ColumnKey): ColumnFilter | undefined {
    return this.columns[key]
  }

  cycleSort(column: SortColumn) {
    this.sort = cycleSort(this.sort, column)
  }

  /** Back to the default toggles, no header filter, no search (the sort stays). */
  clear() {
    this.#applySearch.cancel()
    this.searchInput = ''
    this.search = ''
    this.quick = { ...defaultQuick }
    this.columns = {}
  }

  dispose() {
    this.#applySearch.cancel()
  }
}
