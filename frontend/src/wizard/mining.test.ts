import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { events } from '../lib/api'
import { mining } from './mining.svelte'
import { fakeBackend, fakeBus, idle, progress, settle, summary, type FakeBackend, type FakeBus } from './testing'

let b: FakeBackend
let bus: FakeBus

beforeEach(() => {
  b = fakeBackend()
  bus = fakeBus()
})
afterEach(() => mining.reset())

describe('mining store', () => {
  it('subscribes once', async () => {
    await Promise.all([mining.init(), mining.init()])
    expect(bus.count(events.progress)).toBe(1)
    expect(b.MiningState).toHaveBeenCalledTimes(1)
  })

  it('follows progress, then done', async () => {
    await mining.init()
    await mining.start({ uri: 'demo:', folders: ['INBOX'] })
    expect(b.StartMining).toHaveBeenCalledWith({ uri: 'demo:', folders: ['INBOX'] })
    expect(mining.running).toBe(true)
    bus.emit(events.progress, progress({ done: 10, total: 100, contacts: 4 }))
    expect(mining.progress?.done).toBe(10)
    bus.emit(events.done, summary())
    expect(mining.running).toBe(false)
    expect(mining.summary?.new_contacts).toBe(40)
  })

  it('reattaches to a run that is going on', async () => {
    b.MiningState.mockResolvedValue({ ...idle, running: true, uri: 'imap://a@b.c', progress: progress({ done: 5, total: 9 }) })
    await mining.init()
    expect(mining.running).toBe(true)
    expect(mining.isFor('imap://a@b.c')).toBe(true)
    expect(mining.progress?.done).toBe(5)
  })

  it('keeps an event that arrived before MiningState answered', async () => {
    let answer: (v: typeof idle) => void = () => {}
    b.MiningState.mockReturnValue(new Promise((r) => (answer = r)))
    const done = mining.init()
    bus.emit(events.progress, progress({ done: 50, total: 60 }))
    answer({ ...idle, uri: 'demo:' })
    await done
    expect(mining.running).toBe(true)
    expect(mining.progress?.done).toBe(50)
    expect(mining.uri).toBe('demo:')
  })

  it('retries the same request after an error', async () => {
    await mining.init()
    await mining.start({ uri: 'demo:', folders: ['A', 'B'] })
    bus.emit(events.error, 'Connection lost')
    expect(mining.error).toBe('Connection lost')
    expect(mining.running).toBe(false)
    await mining.retry()
    expect(b.StartMining).toHaveBeenCalledTimes(2)
    expect(b.StartMining).toHaveBeenLastCalledWith({ uri: 'demo:', folders: ['A', 'B'] })
    expect(mining.error).toBe('')
  })

  it('reports a refused start as an error', async () => {
    b.StartMining.mockRejectedValue('A mining run is already in progress.')
    await mining.start({ uri: 'demo:', folders: [] })
    await settle()
    expect(mining.running).toBe(false)
    expect(mining.error).toBe('A mining run is already in progress.')
  })
})

describe('out-of-order events', () => {
  it('a late progress event after the summary does not reopen the run', async () => {
    await mining.init()
    await mining.start({ uri: 'demo:', folders: [] })
    bus.emit(events.done, summary())
    bus.emit(events.progress, progress({ phase: 'ranking', done: 100, total: 100 }))
    bus.emit(events.progress, progress({ phase: 'done', done: 100, total: 100 }))
    expect(mining.running).toBe(false)
    expect(mining.summary).not.toBeNull()
  })

  it('done arriving before StartMining answers still ends the run', async () => {
    await mining.init()
    let release!: () => void
    b.StartMining.mockImplementation(() => new Promise<void>((r) => (release = r)))
    const started = mining.start({ uri: 'demo:', folders: [] })
    bus.emit(events.done, summary())
    release()
    await started
    expect(mining.running).toBe(false)
    expect(mining.summary).not.toBeNull()
  })
})
