import { describe, expect, it, vi } from 'vitest'
import { emptyQuery, type ContactPage, type ContactQuery } from '../lib/api'
import { RowsStore } from './rows.svelte'
import { contactsList, deferred, pageOf, settle } from './testing'

function store(n: number, maxPages = 5) {
  const all = contactsList(n)
  const fetch = vi.fn(async (q: ContactQuery) => pageOf(all, q))
  const rows = new RowsStore(fetch, { pageSize: 100, maxPages })
  return { all, fetch, rows }
}

const offsets = (fetch: { mock: { calls: [ContactQuery][] } }) => fetch.mock.calls.map(([q]) => q.offset)

describe('RowsStore', () => {
  it('loads the first page of a query, with an aligned window, and learns the total', async () => {
    const { fetch, rows } = store(1000)
    rows.setQuery({ ...emptyQuery(), search: 'zzz', offset: 55, limit: 7 })
    expect(rows.status).toBe('loading')
    await settle()
    expect(fetch).toHaveBeenCalledOnce()
    expect(fetch.mock.calls[0][0]).toMatchObject({ search: 'zzz', offset: 0, limit: 100 })
    expect(rows.status).toBe('ready')
    expect(rows.total).toBe(0) // "zzz" matches nothing in the fake
  })

  it('fetches only the pages it does not hold', async () => {
    const { fetch, rows } = store(1000)
    rows.ensure({ start: 0, end: 30 })
    rows.setQuery(emptyQuery())
    await settle()
    expect(rows.total).toBe(1000)
    expect(rows.row(0)?.id).toBe(1)
    expect(rows.row(99)?.id).toBe(100)
    expect(rows.row(100)).toBeUndefined()

    rows.ensure({ start: 80, end: 130 }) // page 0 held, page 1 missing
    rows.ensure({ start: 85, end: 135 }) // page 1 already on its way
    await settle()
    expect(offsets(fetch)).toEqual([0, 100])
    expect(rows.row(120)?.id).toBe(121)

    rows.ensure({ start: 0, end: 150 })
    await settle()
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('keeps at most maxPages pages, dropping the least recently used', async () => {
    const { fetch, rows } = store(10_000, 3)
    rows.setQuery(emptyQuery())
    await settle()
    for (const p of [1, 2, 3]) {
      rows.ensure({ start: p * 100, end: p * 100 + 20 })
      await settle()
    }
    expect(rows.cachedPages()).toEqual([1, 2, 3]) // page 0 went first
    rows.ensure({ start: 100, end: 120 }) // touch page 1
    rows.ensure({ start: 400, end: 420 })
    await settle()
    expect(rows.cachedPages()).toEqual([3, 1, 4]) // page 2 was the least recently used
    expect(rows.row(0)).toBeUndefined()
    rows.ensure({ start: 0, end: 20 })
    await settle()
    expect(offsets(fetch)).toEqual([0, 100, 200, 300, 400, 0])
  })

  it('never drops a page in view, even past the bound', async () => {
    const { rows } = store(10_000, 1)
    rows.setQuery(emptyQuery())
    await settle()
    rows.ensure({ start: 50, end: 250 }) // pages 0, 1, 2 in view
    await settle()
    expect(rows.cachedPages().sort()).toEqual([0, 1, 2])
  })

  it('ignores responses to an older query', async () => {
    const all = contactsList(300)
    const pending: { q: ContactQuery; d: ReturnType<typeof deferred<ContactPage>> }[] = []
    const fetch = vi.fn((q: ContactQuery) => {
      const d = deferred<ContactPage>()
      pending.push({ q, d })
      return d.promise
    })
    const rows = new RowsStore(fetch)
    rows.setQuery({ ...emptyQuery(), search: 'old' })
    rows.setQuery({ ...emptyQuery(), search: 'new' })
    expect(pending.map((p) => p.q.search)).toEqual(['old', 'new'])
    // the new answer arrives first, the old one last
    pending[1].d.resolve({ total: 1, contacts: [all[1]] })
    await settle()
    pending[0].d.resolve({ total: 300, contacts: all.slice(0, 100) })
    await settle()
    expect(rows.total).toBe(1)
    expect(rows.row(0)?.id).toBe(2)
    expect(rows.row(1)).toBeUndefined()
  })

  it('a new query forgets every cached row', async () => {
    const { fetch, rows } = store(500)
    rows.setQuery(emptyQuery())
    await settle()
    rows.ensure({ start: 150, end: 170 })
    await settle()
    rows.setQuery({ ...emptyQuery(), sort: { column: 'occurrence', desc: true } })
    expect(rows.row(0)).toBeUndefined()
    expect(rows.cachedPages()).toEqual([])
    await settle()
    expect(fetch.mock.calls.at(-1)?.[0]).toMatchObject({ offset: 0, sort: { column: 'occurrence', desc: true } })
  })

  it('refresh keeps showing rows while it refetches the visible pages', async () => {
    const all = contactsList(150)
    let version = 0
    const fetch = vi.fn(async (q: ContactQuery) => {
      const page = pageOf(all, q)
      return { ...page, contacts: page.contacts.map((c) => ({ ...c, name: `v${version}` })) }
    })
    const rows = new RowsStore(fetch)
    rows.ensure({ start: 0, end: 20 })
    rows.setQuery(emptyQuery())
    await settle()
    rows.ensure({ start: 100, end: 120 })
    await settle()
    rows.ensure({ start: 0, end: 20 })
    version = 1
    rows.refresh()
    expect(rows.row(0)?.name).toBe('v0') // still shown
    await settle()
    expect(rows.row(0)?.name).toBe('v1')
    expect(rows.row(100)?.name).toBe('v0') // out of view: refetched when it comes back
    expect(fetch).toHaveBeenCalledTimes(3)
    rows.ensure({ start: 100, end: 120 })
    await settle()
    expect(rows.row(100)?.name).toBe('v1')
  })

  it('reports errors and retries', async () => {
    let fail = true
    const all = contactsList(10)
    const fetch = vi.fn(async (q: ContactQuery) => {
      if (fail) throw 'database is locked'
      return pageOf(all, q)
    })
    const rows = new RowsStore(fetch)
    rows.setQuery(emptyQuery())
    await settle()
    expect(rows.status).toBe('error')
    expect(rows.error).toBe('database is locked')
    fail = false
    rows.retry()
    await settle()
    expect(rows.status).toBe('ready')
    expect(rows.total).toBe(10)
  })

  it('updateRow replaces a cached contact', async () => {
    const { rows } = store(10)
    rows.setQuery(emptyQuery())
    await settle()
    const c = rows.row(3)!
    rows.updateRow({ ...c, name: 'Renamed' })
    expect(rows.row(3)?.name).toBe('Renamed')
  })
})
