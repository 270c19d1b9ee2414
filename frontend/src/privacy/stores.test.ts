// The stores on their own, with their IO injected.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PrivacyBackend, Subprocessor } from '../lib/api'
import { common } from '../lib/strings'
import { DeleteAllStore } from './deleteAll.svelte'
import { EgressStore, EGRESS_LIMIT } from './egress.svelte'
import { RegisterStore } from './register.svelte'
import { PurgeStore, RetentionStore } from './retention.svelte'
import { call, createPrivacyStores } from './stores'
import { SuppressionsStore } from './suppressions.svelte'
import { deferred, fakePrivacy, subprocessor, suppression } from './testing'

afterEach(() => {
  delete window.go
})

function registerWith(list: Subprocessor[], set = vi.fn(async (_id: string, _on: boolean) => {})) {
  const store = new RegisterStore({ list: async () => list, set })
  return { store, set }
}

describe('call', () => {
  it('without a backend it rejects with the common message', async () => {
    delete window.go
    const stores = createPrivacyStores()
    await stores.register.load()
    expect(stores.register.list.error).toBe(common.noBackend)
  })

  it('a backend without the Privacy methods is reported the same way', async () => {
    const api = () => ({}) as PrivacyBackend
    await expect(call(api, 'Subprocessors')).rejects.toThrow(common.noBackend)
  })

  it('passes the arguments and the answer through', async () => {
    const b = fakePrivacy()
    b.Suppress.mockResolvedValue({ added: 2, ignored: ['x'] })
    const stores = createPrivacyStores()
    stores.suppressions.text = 'a@b.c'
    await stores.suppressions.add()
    expect(b.Suppress).toHaveBeenCalledWith('a@b.c')
    expect(stores.suppressions.result).toEqual({ added: 2, ignored: ['x'] })
  })

  it('a Wails rejection (a string) becomes the error message', async () => {
    const b = fakePrivacy()
    b.EgressLog.mockRejectedValue('Could not read the egress log: disk I/O error')
    const stores = createPrivacyStores()
    await stores.egress.load()
    expect(stores.egress.log.error).toBe('Could not read the egress log: disk I/O error')
  })
})

describe('RegisterStore', () => {
  it('switches on at once and keeps it when the backend agrees', async () => {
    const { store, set } = registerWith([subprocessor('zerobounce')])
    await store.load()
    const p = store.toggle('zerobounce', true)
    expect(store.items[0].enabled).toBe(true)
    expect(store.pending.has('zerobounce')).toBe(true)
    await p
    expect(set).toHaveBeenCalledWith('zerobounce', true)
    expect(store.items[0].enabled).toBe(true)
    expect(store.pending.size).toBe(0)
    expect(store.errors.size).toBe(0)
  })

  it.each([
    ['on', false, true],
    ['off', true, false],
  ])('a refused switch %s goes back and keeps the reason', async (_, before, on) => {
    const set = vi.fn(async (_id: string, _on: boolean): Promise<void> => {
      throw new Error('Could not change the switch: locked')
    })
    const { store } = registerWith([subprocessor('x', { enabled: before })], set)
    await store.load()
    await store.toggle('x', on)
    expect(store.items[0].enabled).toBe(before)
    expect(store.errors.get('x')).toBe('Could not change the switch: locked')
    // The next attempt clears the old reason.
    set.mockResolvedValueOnce(undefined)
    await store.toggle('x', on)
    expect(store.items[0].enabled).toBe(on)
    expect(store.errors.has('x')).toBe(false)
  })

  it('ignores a second change while the first is pending', async () => {
    const d = deferred<void>()
    const set = vi.fn(() => d.promise)
    const { store } = registerWith([subprocessor('x')], set)
    await store.load()
    const p = store.toggle('x', true)
    await store.toggle('x', false)
    expect(set).toHaveBeenCalledOnce()
    d.resolve()
    await p
    expect(store.items[0].enabled).toBe(true)
  })

  it('names an id from the register, else the id itself', async () => {
    const { store } = registerWith([subprocessor('zerobounce', { name: 'ZeroBounce' })])
    await store.load()
    expect(store.nameOf('zerobounce')).toBe('ZeroBounce')
    expect(store.nameOf('gone')).toBe('gone')
  })

  it('a register without data categories (null from Go) still loads', async () => {
    const store = new RegisterStore({
      list: async () => [{ ...subprocessor('x'), data: null as unknown as string[] }],
      set: async () => {},
    })
    await store.load()
    expect(store.items[0].data).toEqual([])
  })
})

describe('EgressStore', () => {
  it(`asks for the last ${EGRESS_LIMIT} calls; null from Go is an empty log`, async () => {
    const log = vi.fn(async () => null as unknown as [])
    const store = new EgressStore({ log })
    await store.load()
    expect(log).toHaveBeenCalledWith(EGRESS_LIMIT)
    expect(store.log.loaded).toBe(true)
    expect(store.events).toEqual([])
  })

  it('a failed refresh keeps the rows already shown', async () => {
    const log = vi.fn()
    log.mockResolvedValueOnce([{ id: 1 }]).mockRejectedValueOnce(new Error('boom'))
    const store = new EgressStore({ log })
    await store.load()
    await store.load()
    expect(store.events).toHaveLength(1)
    expect(store.log.error).toBe('boom')
  })

  it('a late answer of an older request is dropped', async () => {
    const first = deferred<never[]>()
    const log = vi.fn()
    log.mockReturnValueOnce(first.promise).mockResolvedValueOnce([{ id: 2 }])
    const store = new EgressStore({ log })
    const p1 = store.load()
    await store.load()
    first.resolve([])
    await p1
    expect(store.events).toEqual([{ id: 2 }])
  })
})

describe('SuppressionsStore', () => {
  function setup() {
    const io = {
      list: vi.fn(async () => [suppression('a'.repeat(64))]),
      suppress: vi.fn(async (_text: string) => ({ added: 1, ignored: [] as string[] })),
      importFile: vi.fn(async () => ({ added: 0, ignored: [] as string[] })),
      remove: vi.fn(async (_subject: string) => {}),
    }
    return { io, store: new SuppressionsStore(io) }
  }

  it('Add sends the text, shows the result, empties the box and reloads the list', async () => {
    const { io, store } = setup()
    io.suppress.mockResolvedValue({ added: 2, ignored: ['nope'] })
    store.text = 'a@example.com, @example.org\nnope'
    await store.add()
    expect(io.suppress).toHaveBeenCalledWith('a@example.com, @example.org\nnope')
    expect(store.result).toEqual({ added: 2, ignored: ['nope'] })
    expect(store.text).toBe('')
    expect(io.list).toHaveBeenCalledOnce()
  })

  it.each(['', '   \n '])('Add with nothing typed (%j) does not call the backend', async (text) => {
    const { io, store } = setup()
    store.text = text
    expect(store.canAdd).toBe(false)
    await store.add()
    expect(io.suppress).not.toHaveBeenCalled()
  })

  it('a failed Add keeps the text and says why', async () => {
    const { io, store } = setup()
    io.suppress.mockRejectedValue('database is locked')
    store.text = 'a@example.com'
    await store.add()
    expect(store.text).toBe('a@example.com')
    expect(store.result).toBeNull()
    expect(store.actionError).toBe('Could not add to the list: database is locked')
  })

  it.each([
    ['a cancelled picker', { added: 0, ignored: [] }, null],
    ['a file with only bad lines', { added: 0, ignored: ['x'] }, { added: 0, ignored: ['x'] }],
    ['a good file', { added: 3, ignored: [] }, { added: 3, ignored: [] }],
  ])('Import: %s', async (_, answer, shown) => {
    const { io, store } = setup()
    store.result = { added: 9, ignored: [] } // an older result goes away
    io.importFile.mockResolvedValue(answer)
    await store.importFile()
    expect(store.result).toEqual(shown)
    expect(io.list).toHaveBeenCalledTimes(answer.added > 0 ? 1 : 0)
  })

  it('removes only after Yes', async () => {
    const { io, store } = setup()
    await store.load()
    const subject = store.items[0].subject
    store.askRemove(subject)
    expect(store.confirming).toBe(subject)
    store.cancelRemove()
    expect(store.confirming).toBeNull()
    expect(io.remove).not.toHaveBeenCalled()
    store.askRemove(subject)
    io.list.mockResolvedValue([])
    await store.confirmRemove()
    expect(io.remove).toHaveBeenCalledWith(subject)
    expect(store.confirming).toBeNull()
    expect(store.items).toEqual([])
  })

  it('a failed removal keeps the entry and says why', async () => {
    const { io, store } = setup()
    await store.load()
    io.remove.mockRejectedValue(new Error('gone'))
    store.askRemove(store.items[0].subject)
    await store.confirmRemove()
    expect(store.items).toHaveLength(1)
    expect(store.removeError).toBe('Could not remove the entry: gone')
  })
})

describe('RetentionStore', () => {
  function setup() {
    const io = {
      get: vi.fn(async () => ({ contact_months: 24, verification_days: 30, enrichment_months: 3 })),
      set: vi.fn(async () => {}),
    }
    return { io, store: new RetentionStore(io) }
  }

  it('shows the policy defaults until loaded, then the saved settings', async () => {
    const { store } = setup()
    expect(store.form).toEqual({ contact_months: '36', verification_days: '100', enrichment_months: '6' })
    await store.load()
    expect(store.form).toEqual({ contact_months: '24', verification_days: '30', enrichment_months: '3' })
  })

  it.each([
    ['contact_months', '0'],
    ['verification_days', '2.5'],
    ['enrichment_months', ''],
  ] as const)('refuses a wrong %s (%j) without calling the backend', async (field, text) => {
    const { io, store } = setup()
    await store.load()
    store.edit(field, text)
    expect(await store.save()).toBe(false)
    expect(io.set).not.toHaveBeenCalled()
    expect(Object.keys(store.errors)).toEqual([field])
    // Fixing the field clears its error.
    store.edit(field, '7')
    expect(store.errors).toEqual({})
  })

  it('saves numbers', async () => {
    const { io, store } = setup()
    await store.load()
    store.edit('contact_months', '12')
    expect(await store.save()).toBe(true)
    expect(io.set).toHaveBeenCalledWith({ contact_months: 12, verification_days: 30, enrichment_months: 3 })
    expect(store.saved).toBe(true)
    store.edit('contact_months', '13')
    expect(store.saved).toBe(false)
  })

  it('a refused save says why', async () => {
    const { io, store } = setup()
    await store.load()
    io.set.mockRejectedValue('read-only database')
    expect(await store.save()).toBe(false)
    expect(store.saveError).toBe('read-only database')
    expect(store.saved).toBe(false)
  })
})

describe('PurgeStore', () => {
  it('keeps the report, or the reason it failed', async () => {
    const purge = vi.fn()
    purge.mockResolvedValueOnce({ marked_deleted: 1, purged: 2, messages: 3, at: '2025-01-01T00:00:00Z' })
    purge.mockRejectedValueOnce(new Error('busy'))
    const store = new PurgeStore({ purge })
    await store.run()
    expect(store.report?.purged).toBe(2)
    await store.run()
    expect(store.report).toBeNull()
    expect(store.error).toBe('busy')
  })
})

describe('DeleteAllStore', () => {
  it.each([
    ['', false],
    ['delete', false],
    ['DELETE ', false],
    [' DELETE', false],
    ['DELET', false],
    ['DELETE', true],
  ])('typed %j → armed %s', async (typed, armed) => {
    const deleteAll = vi.fn(async () => {})
    const store = new DeleteAllStore({ deleteAll })
    store.typed = typed
    expect(store.armed).toBe(armed)
    await store.run()
    expect(deleteAll).toHaveBeenCalledTimes(armed ? 1 : 0)
    if (armed) expect(deleteAll).toHaveBeenCalledWith('DELETE')
  })

  it('a failure says why and can be tried again', async () => {
    const deleteAll = vi.fn()
    deleteAll.mockRejectedValueOnce('Some data could not be deleted: permission denied')
    const store = new DeleteAllStore({ deleteAll })
    store.typed = 'DELETE'
    await store.run()
    expect(store.error).toBe('Some data could not be deleted: permission denied')
    expect(store.done).toBe(false)
    expect(store.armed).toBe(true)
  })
})
