import { describe, expect, it, vi } from 'vitest'
import { emptyQuery, type ExportOptions } from '../lib/api'
import { applyDragPayload, dragPayload, fileUrl } from './drag'
import { DragExportStore } from './dragExport.svelte'
import { deferred, settle } from './testing'

describe('dragPayload', () => {
  it('offers the file as a URI list, a path and a Chromium DownloadURL, for copying', () => {
    const p = dragPayload('/tmp/leadminer drag/contacts é.csv')
    expect(p.effectAllowed).toBe('copy')
    expect(p.data).toEqual([
      ['text/uri-list', 'file:///tmp/leadminer%20drag/contacts%20%C3%A9.csv'],
      ['text/plain', '/tmp/leadminer drag/contacts é.csv'],
      ['DownloadURL', 'text/csv:contacts.csv:file:///tmp/leadminer%20drag/contacts%20%C3%A9.csv'],
    ])
  })

  it('escapes characters that would end a file path in a URL', () => {
    expect(fileUrl('/tmp/a#b?c.csv')).toBe('file:///tmp/a%23b%3Fc.csv')
  })

  it('makes Windows paths proper file URLs', () => {
    expect(fileUrl('C:\\Users\\Ada\\Temp\\contacts.csv')).toBe('file:///C:/Users/Ada/Temp/contacts.csv')
  })

  it('applyDragPayload fills a DataTransfer', () => {
    const set = new Map<string, string>()
    const dt = { setData: (k: string, v: string) => void set.set(k, v), effectAllowed: 'all' as DataTransfer['effectAllowed'] }
    applyDragPayload(dt, dragPayload('/tmp/c.csv'))
    expect(Object.fromEntries(set)).toEqual({
      'text/uri-list': 'file:///tmp/c.csv',
      'text/plain': '/tmp/c.csv',
      DownloadURL: 'text/csv:contacts.csv:file:///tmp/c.csv',
    })
    expect(dt.effectAllowed).toBe('copy')
  })
})

describe('DragExportStore', () => {
  const opts: ExportOptions = { format: 'csv', delimiter: ';', bom: true, vcard_version: '4.0' }
  const sel = { ids: [], query: { ...emptyQuery(), limit: 0 } }

  it('prepares once per selection and options; a change makes the file stale', async () => {
    const prepare = vi.fn(async () => '/tmp/x.csv')
    const d = new DragExportStore(prepare)
    void d.prepare(sel, opts)
    void d.prepare(sel, opts) // already on its way
    await settle()
    expect(prepare).toHaveBeenCalledOnce()
    expect(d.readyPath(sel, opts)).toBe('/tmp/x.csv')
    await d.prepare(sel, opts)
    expect(prepare).toHaveBeenCalledOnce()
    expect(d.readyPath({ ...sel, ids: [3] }, opts)).toBe('')
    expect(d.readyPath(sel, { ...opts, delimiter: ',' })).toBe('')
    d.invalidate()
    expect(d.readyPath(sel, opts)).toBe('')
  })

  it('ignores a file prepared for an older selection', async () => {
    const first = deferred<string>()
    const prepare = vi.fn().mockReturnValueOnce(first.promise).mockResolvedValueOnce('/tmp/new.csv')
    const d = new DragExportStore(prepare)
    void d.prepare(sel, opts)
    const other = { ...sel, ids: [1, 2] }
    void d.prepare(other, opts)
    first.resolve('/tmp/old.csv')
    await settle()
    expect(d.readyPath(sel, opts)).toBe('')
    expect(d.readyPath(other, opts)).toBe('/tmp/new.csv')
  })

  it('keeps the error and allows a new attempt', async () => {
    const prepare = vi.fn().mockRejectedValueOnce('disk full').mockResolvedValueOnce('/tmp/x.csv')
    const d = new DragExportStore(prepare)
    await d.prepare(sel, opts)
    expect(d.error).toBe('disk full')
    await d.prepare(sel, opts)
    expect(d.readyPath(sel, opts)).toBe('/tmp/x.csv')
  })
})
