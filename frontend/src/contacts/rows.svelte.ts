// The page cache behind the virtual table: rows come from QueryContacts in
// pages of PAGE_SIZE at aligned offsets; only missing pages are fetched, at
// most `maxPages` are kept (least recently used go first), and responses to
// an older query are dropped.
import { errorMessage, type Contact, type ContactPage, type ContactQuery } from '../lib/api'
import { MAX_PAGES, PAGE_SIZE, pagesFor, type Range } from './virtual'

export type Fetcher = (q: ContactQuery) => Promise<ContactPage>
export type RowsStatus = 'idle' | 'loading' | 'ready' | 'error'

interface CachedPage {
  rows: Contact[]
  /** The generation it was fetched in; older pages are shown but refetched. */
  gen: number
}

export class RowsStore {
  /** Rows the query selects (sizes the scroll area). */
  total = $state(0)
  /** loading: nothing received yet for this query. */
  status = $state<RowsStatus>('idle')
  error = $state('')
  /** Bumped whenever cached rows change, so readers of row() update. */
  #version = $state(0)

  readonly pageSize: number
  readonly maxPages: number
  readonly #fetch: Fetcher
  #base: ContactQuery | null = null
  /** Bumped by each new query or refresh; responses of an older one are ignored. */
  #gen = 0
  #pages = new Map<number, CachedPage>() // in LRU order: first = least recently used
  #inflight = new Set<number>()
  #range: Range = { start: 0, end: 0 }

  constructor(fetch: Fetcher, opts: { pageSize?: number; maxPages?: number } = {}) {
    this.#fetch = fetch
    this.pageSize = opts.pageSize ?? PAGE_SIZE
    this.maxPages = Math.max(1, opts.maxPages ?? MAX_PAGES)
  }

  /** A new search/sort/filter: forget every row and load from the top. */
  setQuery(q: ContactQuery) {
    this.#base = { ...q, offset: 0, limit: this.pageSize }
    this.#gen++
    this.#pages.clear()
    this.#inflight.clear()
    this.status = 'loading'
    this.error = ''
    this.#version++
    const size = Math.max(1, this.#range.end - this.#range.start)
    this.ensure({ start: 0, end: size })
  }

  /** The rows now in view: fetch the pages among them that are missing or out of date. */
  ensure(range: Range) {
    this.#range = { start: range.start, end: range.end }
    if (!this.#base) return
    const needed = pagesFor(range, this.pageSize)
    for (const p of needed) {
      const cached = this.#pages.get(p)
      if (cached) {
        // most recently used goes last
        this.#pages.delete(p)
        this.#pages.set(p, cached)
      }
      if ((!cached || cached.gen !== this.#gen) && !this.#inflight.has(p)) this.#load(p)
    }
    this.#evict(needed)
  }

  /**
   * The data changed underneath (mining): keep showing the cached rows,
   * refetch the visible pages, and refetch the others when they come into view.
   */
  refresh() {
    if (!this.#base) return
    this.#gen++
    this.#inflight.clear()
    this.#clearError()
    this.ensure(this.#range)
  }

  /** After an error: try the visible pages again. */
  retry() {
    if (!this.#base) return
    this.#clearError()
    this.ensure(this.#range)
  }

  #clearError() {
    if (this.status !== 'error') return
    this.error = ''
    this.status = this.#pages.size > 0 ? 'ready' : 'loading'
  }

  /** A row, or undefined while its page is loading. */
  row(index: number): Contact | undefined {
    void this.#version
    const p = Math.floor(index / this.pageSize)
    return this.#pages.get(p)?.rows[index - p * this.pageSize]
  }

  /** Replaces a contact wherever it is cached (after an edit). */
  updateRow(c: Contact) {
    let changed = false
    for (const page of this.#pages.values()) {
      const i = page.rows.findIndex((r) => r.id === c.id)
      if (i >= 0) {
        page.rows[i] = c
        changed = true
      }
    }
    if (changed) this.#version++
  }

  /** Pages held, least recently used first (for tests and debugging). */
  cachedPages(): number[] {
    return [...this.#pages.keys()]
  }

  get hasRows(): boolean {
    void this.#version
    return this.#pages.size > 0
  }

  #load(page: number) {
    const base = this.#base
    if (!base) return
    const gen = this.#gen
    this.#inflight.add(page)
    const q: ContactQuery = { ...base, offset: page * this.pageSize, limit: this.pageSize }
    let request: Promise<ContactPage>
    try {
      request = this.#fetch(q)
    } catch (e) {
      request = Promise.reject(e)
    }
    request.then(
      (res) => {
        if (gen !== this.#gen) return
        this.#inflight.delete(page)
        this.#pages.delete(page)
        this.#pages.set(page, { rows: Array.isArray(res.contacts) ? res.contacts : [], gen })
        this.total = Math.max(0, res.total | 0)
        this.status = 'ready'
        this.error = ''
        this.#evict(pagesFor(this.#range, this.pageSize))
        this.#version++
      },
      (e: unknown) => {
        if (gen !== this.#gen) return
        this.#inflight.delete(page)
        this.error = errorMessage(e)
        this.status = 'error'
      },
    )
  }

  /** Drops least recently used pages beyond the bound, never the ones in view. */
  #evict(keep: number[]) {
    if (this.#pages.size <= this.maxPages) return
    for (const p of [...this.#pages.keys()]) {
      if (this.#pages.size <= this.maxPages) break
      if (!keep.includes(p)) this.#pages.delete(p)
    }
  }
}
