import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_COLUMNS } from './columns'
import { defaultPrefs, mergePrefs, parsePrefs, PREFS_VERSION } from './prefs'
import { PrefsStore } from './prefs.svelte'

describe('parsePrefs / mergePrefs', () => {
  it('defaults for nothing stored or garbage', () => {
    expect(parsePrefs('')).toEqual(defaultPrefs())
    expect(parsePrefs('{not json')).toEqual(defaultPrefs())
    expect(parsePrefs('[1,2]')).toEqual(defaultPrefs())
    expect(parsePrefs('{"contacts": 3}')).toEqual(defaultPrefs())
    expect(defaultPrefs().columns).toEqual([...DEFAULT_COLUMNS])
  })

  it('round-trips, keeping other screens\' keys', () => {
    const p = defaultPrefs()
    p.columns = ['contact', 'job_title', 'location'] // table order
    p.export = { format: 'vcard', delimiter: ';', bom: false, vcard_version: '3.0' }
    const json = mergePrefs('{"wizard":{"last":"demo:"}}', p)
    const doc = JSON.parse(json)
    expect(doc.wizard).toEqual({ last: 'demo:' })
    expect(doc.contacts.version).toBe(PREFS_VERSION)
    expect(parsePrefs(json)).toEqual(p)
  })

  it('cleans what it reads: unknown columns dropped, contact kept, table order, bad options defaulted', () => {
    const json = JSON.stringify({
      contacts: {
        version: 1,
        columns: ['location', 'evil<img>', 'occurrence', 'location'],
        export: { format: 'xlsx', delimiter: '|', bom: 'yes', vcard_version: '3.0' },
      },
    })
    const p = parsePrefs(json)
    expect(p.columns).toEqual(['contact', 'occurrence', 'location'])
    expect(p.export).toEqual({ format: 'csv', delimiter: ',', bom: true, vcard_version: '3.0' })
  })

  it('ignores a section of another version', () => {
    const newer = JSON.stringify({ contacts: { version: 2, columns: ['contact'] } })
    expect(parsePrefs(newer)).toEqual(defaultPrefs())
    const unversioned = JSON.stringify({ contacts: { columns: ['contact'] } })
    expect(parsePrefs(unversioned)).toEqual(defaultPrefs())
  })
})

describe('PrefsStore', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function io(stored = '') {
    let doc = stored
    return {
      load: vi.fn(async () => doc),
      save: vi.fn(async (json: string) => {
        doc = json
      }),
      get doc() {
        return doc
      },
    }
  }

  it('loads, then saves changes once, debounced, merged into the stored document', async () => {
    const store = io(JSON.stringify({ wizard: { x: 1 }, contacts: { version: 1, columns: ['contact', 'location'] } }))
    const p = new PrefsStore(store, 500)
    await p.load()
    expect(p.columns).toEqual(['contact', 'location'])
    expect(p.isVisible('location')).toBe(true)
    expect(p.isVisible('occurrence')).toBe(false)
    p.toggleColumn('occurrence')
    p.toggleColumn('location')
    p.setExport({ delimiter: '\t' })
    expect(store.save).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(500)
    await vi.advanceTimersByTimeAsync(10) // the save re-reads the document first
    expect(store.save).toHaveBeenCalledOnce()
    const doc = JSON.parse(store.doc)
    expect(doc.wizard).toEqual({ x: 1 })
    expect(doc.contacts).toEqual({
      version: 1, columns: ['contact', 'occurrence'], export: { format: 'csv', delimiter: '\t', bom: true, vcard_version: '4.0' },
    })
    // a new store reads back the same choices
    const again = new PrefsStore(store, 500)
    await again.load()
    expect(again.columns).toEqual(['contact', 'occurrence'])
    expect(again.exportOptions.delimiter).toBe('\t')
  })

  it('the contact column cannot be hidden', async () => {
    const p = new PrefsStore(io(), 500)
    await p.load()
    p.setColumn('contact', false)
    expect(p.isVisible('contact')).toBe(true)
  })

  it('a failing backend leaves the defaults', async () => {
    const p = new PrefsStore({ load: async () => { throw new Error('x') }, save: async () => {} }, 500)
    await p.load()
    expect(p.columns).toEqual([...DEFAULT_COLUMNS])
    expect(p.loaded).toBe(true)
  })
})
