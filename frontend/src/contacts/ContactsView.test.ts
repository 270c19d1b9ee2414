import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defaultQuick, events, type Contact, type ContactQuery } from '../lib/api'
import { nav } from '../lib/nav.svelte'
import ContactsView from './ContactsView.svelte'
import { contact, contactsList, fakeBackend, fakeBus, pageOf, settle, type FakeBackend } from './testing'

let b: FakeBackend
let all: Contact[]

function setup(list: Contact[]) {
  all = list
  b = fakeBackend(all)
}

async function mount() {
  const r = render(ContactsView)
  await settle()
  return r
}

const byId = (id: string) => screen.getByTestId(id)
const grid = () => byId('contacts-grid')
const rowsShown = () => screen.queryAllByTestId('row')
const rowAt = (i: number) => rowsShown().find((r) => r.dataset.index === String(i))
const lastQuery = (): ContactQuery => b.QueryContacts.mock.calls.at(-1)![0]
const queries = () => b.QueryContacts.mock.calls.map(([q]) => q)

beforeEach(() => {
  fakeBus()
  nav.go('contacts')
})
afterEach(() => {
  vi.useRealTimers()
  delete window.go
  delete window.runtime
})

describe('ContactsView: data', () => {
  it('loads the first page and sizes the grid from the total', async () => {
    setup(contactsList(1000))
    await mount()
    expect(queries()[0]).toMatchObject({ offset: 0, limit: 100, search: '', sort: null, quick: defaultQuick, filters: [] })
    expect(byId('contacts-total').textContent).toContain('1000')
    expect(grid().getAttribute('aria-rowcount')).toBe('1001')
    // only the rows in view (600 px fallback height) plus the overscan are drawn
    expect(rowsShown().length).toBeGreaterThan(5)
    expect(rowsShown().length).toBeLessThan(40)
    expect(within(rowAt(0)!).getByText('Person 1')).toBeTruthy()
    expect(within(rowAt(0)!).getByText('42°')).toBeTruthy()
  })

  it('renders a hostile name as text (no element is created from it)', async () => {
    setup([contact(1, { name: '<img src=x onerror=alert(1)>', same_as: ['javascript:alert(1)'], tags: ['<b>x</b>'] })])
    const { container } = await mount()
    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('b')).toBeNull()
    expect(within(rowAt(0)!).getByText('<img src=x onerror=alert(1)>')).toBeTruthy()
    await fireEvent.click(within(rowAt(0)!).getByText('<img src=x onerror=alert(1)>'))
    await settle()
    expect(byId('panel')).toBeTruthy()
    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('a')).toBeNull() // links are not clickable
    expect(within(byId('panel')).getByText('javascript:alert(1)')).toBeTruthy()
  })

  it('debounces the search and starts from the top', async () => {
    setup(contactsList(300))
    await mount()
    const n = b.QueryContacts.mock.calls.length
    await fireEvent.input(byId('contacts-search'), { target: { value: 'Person 12' } })
    await settle()
    expect(b.QueryContacts.mock.calls.length).toBe(n)
    await waitFor(() => expect(lastQuery().search).toBe('Person 12'))
    expect(lastQuery().offset).toBe(0)
    await settle()
    expect(byId('contacts-total').textContent).toContain('11') // Person 12, 120…129
  })

  it('sorts on header clicks: desc, asc, rank order', async () => {
    setup(contactsList(10))
    await mount()
    const th = byId('th-occurrence')
    expect(th.getAttribute('aria-sort')).toBe('none')
    await fireEvent.click(th)
    await settle()
    expect(th.getAttribute('aria-sort')).toBe('descending')
    expect(lastQuery().sort).toEqual({ column: 'occurrence', desc: true })
    await fireEvent.click(th)
    await settle()
    expect(th.getAttribute('aria-sort')).toBe('ascending')
    expect(lastQuery().sort).toEqual({ column: 'occurrence', desc: false })
    await fireEvent.click(th)
    await settle()
    expect(th.getAttribute('aria-sort')).toBe('none')
    expect(lastQuery().sort).toBeNull()
  })

  it('quick filters, a header filter, the badge and Clear filters', async () => {
    setup(contactsList(10))
    await mount()
    expect((byId('quick-hide_unreachable') as HTMLInputElement).checked).toBe(true)
    expect(screen.queryByTestId('filter-count')).toBeNull()
    await fireEvent.click(byId('quick-replied'))
    await settle()
    expect(lastQuery().quick).toEqual({ ...defaultQuick, replied: true })
    // a header filter: Contact contains "acme"
    await fireEvent.click(byId('filter-contact'))
    await fireEvent.input(byId('filter-input-contact'), { target: { value: 'acme' } })
    await fireEvent.click(byId('filter-apply'))
    await settle()
    expect(lastQuery().filters).toEqual([{ column: 'contact', op: 'contains', value: 'acme', values: [] }])
    expect(byId('filter-count').textContent).toContain('2')
    // a multi-select one
    await fireEvent.click(byId('filter-status'))
    await fireEvent.click(byId('filter-opt-status-none'))
    await fireEvent.click(byId('filter-opt-status-VALID'))
    await fireEvent.click(byId('filter-apply'))
    await settle()
    expect(lastQuery().filters).toContainEqual({ column: 'status', op: 'in', value: '', values: ['VALID', ''] })
    await fireEvent.click(byId('clear-filters'))
    await settle()
    expect(lastQuery()).toMatchObject({ quick: defaultQuick, filters: [], search: '' })
    expect(screen.queryByTestId('filter-count')).toBeNull()
    expect((byId('clear-filters') as HTMLButtonElement).disabled).toBe(true)
  })

  it('refreshes while mining, at most every 2 s', async () => {
    setup(contactsList(10))
    const bus = fakeBus()
    await mount()
    const n = b.QueryContacts.mock.calls.length
    vi.useFakeTimers()
    for (let i = 0; i < 5; i++) bus.emit(events.progress, {})
    await vi.advanceTimersByTimeAsync(100)
    expect(b.QueryContacts.mock.calls.length).toBe(n + 1) // at once
    await vi.advanceTimersByTimeAsync(2000)
    expect(b.QueryContacts.mock.calls.length).toBe(n + 2) // the trailing one
    await vi.advanceTimersByTimeAsync(5000)
    expect(b.QueryContacts.mock.calls.length).toBe(n + 2)
    all.push(contact(11))
    bus.emit(events.done, {})
    await vi.advanceTimersByTimeAsync(10)
    expect(b.QueryContacts.mock.calls.length).toBe(n + 3)
    vi.useRealTimers()
    await settle()
    expect(byId('contacts-total').textContent).toContain('11')
  })
})

describe('ContactsView: states', () => {
  it('no contact at all: invites to mine', async () => {
    setup([])
    await mount()
    expect(byId('contacts-empty').textContent).toContain('No contacts yet')
    await fireEvent.click(byId('empty-mine'))
    expect(nav.view).toBe('mine')
  })

  it('filters hide everything: offers to clear them', async () => {
    setup(contactsList(5))
    b.QueryContacts.mockImplementation(async (q) => (q.search ? { total: 0, contacts: [] } : pageOf(all, q)))
    await mount()
    await fireEvent.input(byId('contacts-search'), { target: { value: 'nobody' } })
    await waitFor(() => expect(screen.getByTestId('contacts-empty').textContent).toContain('No contact matches these filters'))
    await fireEvent.click(byId('empty-clear'))
    await settle()
    expect(screen.queryByTestId('contacts-empty')).toBeNull()
    expect(byId('contacts-total').textContent).toContain('5')
  })

  it('shows a loading state, then errors with Retry', async () => {
    setup(contactsList(5))
    let fail = true
    b.QueryContacts.mockImplementation(async (q) => {
      if (fail) throw 'database is locked'
      return pageOf(all, q)
    })
    render(ContactsView)
    expect(byId('contacts-loading')).toBeTruthy()
    await settle()
    expect(byId('contacts-error').textContent).toContain('database is locked')
    fail = false
    await fireEvent.click(byId('contacts-retry'))
    await settle()
    expect(screen.queryByTestId('contacts-error')).toBeNull()
    expect(rowsShown()).toHaveLength(5)
  })
})

describe('ContactsView: keyboard', () => {
  it('arrows move the row, Space selects, Enter opens the panel, Esc closes it', async () => {
    setup(contactsList(50))
    await mount()
    const g = grid()
    g.focus()
    await fireEvent.keyDown(g, { key: 'ArrowDown' })
    await fireEvent.keyDown(g, { key: 'ArrowDown' })
    await fireEvent.keyDown(g, { key: 'ArrowUp' })
    await fireEvent.keyDown(g, { key: 'ArrowDown' })
    expect(rowAt(1)!.classList.contains('focused')).toBe(true)
    expect(g.getAttribute('aria-activedescendant')).toBe(rowAt(1)!.id)
    await fireEvent.keyDown(g, { key: ' ' })
    expect(rowAt(1)!.getAttribute('aria-selected')).toBe('true')
    expect(rowAt(0)!.getAttribute('aria-selected')).toBe('false')
    expect(byId('contacts-total').textContent).toContain('1 selected of 50')
    await fireEvent.keyDown(g, { key: 'Enter' })
    await settle()
    expect(b.ContactDetail).toHaveBeenCalledWith(2)
    expect(within(byId('panel')).getByRole('heading', { level: 2 }).textContent).toBe('Person 2')
    expect(within(byId('panel-seen')).getByText('INBOX')).toBeTruthy()
    await fireEvent.keyDown(g, { key: 'Escape' })
    expect(screen.queryByTestId('panel')).toBeNull()
    await fireEvent.keyDown(g, { key: ' ' })
    expect(rowAt(1)!.getAttribute('aria-selected')).toBe('false')
  })

  it('moving far fetches the page it reaches', async () => {
    setup(contactsList(1000))
    await mount()
    const g = grid()
    await fireEvent.keyDown(g, { key: 'End' })
    await settle()
    expect(queries().some((q) => q.offset === 900)).toBe(true)
    expect(rowAt(999)!.classList.contains('focused')).toBe(true)
    expect(within(rowAt(999)!).getByText('Person 1000')).toBeTruthy()
    await fireEvent.keyDown(g, { key: 'Home' })
    await settle()
    expect(rowAt(0)!.classList.contains('focused')).toBe(true)
  })

  it('Ctrl+A selects every filtered row', async () => {
    setup(contactsList(30))
    await mount()
    await fireEvent.keyDown(grid(), { key: 'a', ctrlKey: true })
    expect(byId('contacts-total').textContent).toContain('30 selected of 30')
    expect((byId('select-all') as HTMLInputElement).checked).toBe(true)
  })

  it('"/" focuses the search, except while typing', async () => {
    setup(contactsList(3))
    await mount()
    await fireEvent.keyDown(document.body, { key: '/' })
    expect(document.activeElement).toBe(byId('contacts-search'))
    const before = b.QueryContacts.mock.calls.length
    await fireEvent.keyDown(byId('contacts-search'), { key: '/' })
    expect(b.QueryContacts.mock.calls.length).toBe(before)
  })

  it('Esc closes an open menu before the panel', async () => {
    setup(contactsList(3))
    await mount()
    const menu = byId('column-chooser') as HTMLDetailsElement
    menu.open = true
    await fireEvent.keyDown(document.body, { key: 'Escape' })
    expect(menu.open).toBe(false)
  })
})

describe('ContactsView: selection and actions', () => {
  it('header checkbox selects every filtered row; export sends the query without ids', async () => {
    setup(contactsList(250))
    await mount()
    await fireEvent.click(byId('select-all'))
    expect(byId('contacts-total').textContent).toContain('250 selected of 250')
    expect(rowAt(3)!.getAttribute('aria-selected')).toBe('true')
    await fireEvent.click(byId('export-go'))
    await settle()
    const [sel, opts] = b.Export.mock.calls[0]
    expect(sel.ids).toEqual([])
    expect(sel.query).toMatchObject({ offset: 0, limit: 0, quick: defaultQuick })
    expect(opts).toEqual({ format: 'csv', delimiter: ',', bom: true, vcard_version: '4.0' })
    expect(byId('toast').textContent).toContain('Exported 250 contacts to /home/ada/contacts.csv')
  })

  it('explicit selection: export those ids with the chosen options; a cancelled export says nothing', async () => {
    setup(contactsList(20))
    await mount()
    await fireEvent.click(within(rowAt(2)!).getByTestId('row-select'))
    await fireEvent.click(within(rowAt(0)!).getByTestId('row-select'))
    expect(byId('contacts-total').textContent).toContain('2 selected of 20')
    await fireEvent.click(byId('export-vcard'))
    await fireEvent.change(byId('export-vcard-version'), { target: { value: '3.0' } })
    await fireEvent.change(byId('export-delimiter'), { target: { value: 'semicolon' } })
    b.Export.mockResolvedValueOnce({ path: '', count: 0 })
    await fireEvent.click(byId('export-go'))
    await settle()
    expect(b.Export).toHaveBeenCalledWith(
      expect.objectContaining({ ids: [1, 3] }),
      { format: 'vcard', delimiter: ';', bom: true, vcard_version: '3.0' },
    )
    expect(screen.queryByTestId('toast')).toBeNull()
  })

  it('Remove needs an explicit selection and a confirmation', async () => {
    setup(contactsList(20))
    await mount()
    expect((byId('remove-selected') as HTMLButtonElement).disabled).toBe(true)
    await fireEvent.click(within(rowAt(4)!).getByTestId('row-select'))
    await fireEvent.click(byId('remove-selected'))
    expect(byId('confirm-remove')).toBeTruthy()
    expect(b.RemoveContacts).not.toHaveBeenCalled()
    await fireEvent.click(byId('confirm-ok'))
    await settle()
    expect(b.RemoveContacts).toHaveBeenCalledWith(expect.objectContaining({ ids: [5] }))
    expect(screen.queryByTestId('confirm-remove')).toBeNull()
    expect(byId('toast').textContent).toContain('Removed 1 contact')
    expect(byId('contacts-total').textContent).toContain('20 contacts')
  })

  it('a new filter drops the selection; a new sort keeps it', async () => {
    setup(contactsList(20))
    await mount()
    await fireEvent.click(within(rowAt(0)!).getByTestId('row-select'))
    await fireEvent.click(byId('th-recency'))
    await settle()
    expect(byId('contacts-total').textContent).toContain('1 selected')
    await fireEvent.click(byId('quick-recent'))
    await settle()
    expect(byId('contacts-total').textContent).toContain('20 contacts')
  })
})

describe('ContactsView: panel', () => {
  it('edit sends only the changed fields and updates the row', async () => {
    setup(contactsList(5))
    await mount()
    await fireEvent.click(within(rowAt(1)!).getByText('Person 2'))
    await settle()
    await fireEvent.click(byId('panel-edit'))
    expect((byId('panel-field-name') as HTMLInputElement).value).toBe('Person 2')
    await fireEvent.input(byId('panel-field-name'), { target: { value: 'Ada Lovelace' } })
    await fireEvent.input(byId('panel-field-telephone'), { target: { value: '+44 1\n+44 2\n' } })
    await fireEvent.input(byId('panel-field-job_title'), { target: { value: '' } }) // was already empty
    await fireEvent.click(byId('panel-save'))
    await settle()
    expect(b.UpdateContact).toHaveBeenCalledExactlyOnceWith(2, { name: 'Ada Lovelace', telephone: ['+44 1', '+44 2'] })
    expect(screen.queryByTestId('panel-save')).toBeNull()
    expect(within(rowAt(1)!).getByText('Ada Lovelace')).toBeTruthy()
    expect(within(byId('panel')).getByRole('heading', { level: 2 }).textContent).toBe('Ada Lovelace')
  })

  it('Cancel leaves the contact as it was', async () => {
    setup(contactsList(5))
    await mount()
    await fireEvent.click(within(rowAt(0)!).getByText('Person 1'))
    await settle()
    await fireEvent.click(byId('panel-edit'))
    await fireEvent.input(byId('panel-field-location'), { target: { value: 'Paris' } })
    await fireEvent.click(byId('panel-cancel'))
    expect(b.UpdateContact).not.toHaveBeenCalled()
    expect(byId('panel-edit')).toBeTruthy()
  })

  it('Remove from the panel removes that contact after confirmation', async () => {
    setup(contactsList(5))
    await mount()
    await fireEvent.click(within(rowAt(2)!).getByText('Person 3'))
    await settle()
    await fireEvent.click(byId('panel-remove'))
    expect(byId('confirm-remove').textContent).toContain('Person 3')
    await fireEvent.click(byId('confirm-ok'))
    await settle()
    const sel = b.RemoveContacts.mock.calls[0][0]
    expect(sel.ids).toEqual([3])
    expect(sel.query).toMatchObject({ offset: 0, limit: 0 })
    expect(screen.queryByTestId('panel')).toBeNull()
  })

  it('Copy puts "Name <email>" on the clipboard', async () => {
    const writeText = vi.fn(async () => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    setup(contactsList(2))
    await mount()
    await fireEvent.click(within(rowAt(0)!).getByText('Person 1'))
    await settle()
    await fireEvent.click(byId('panel-copy'))
    await settle()
    expect(writeText).toHaveBeenCalledWith('Person 1 <person1@example.com>')
    expect(byId('toast').textContent).toContain('Contact copied')
  })
})

describe('ContactsView: columns and prefs', () => {
  it('the column chooser shows columns and remembers the choice', async () => {
    setup(contactsList(3))
    b.LoadPrefs.mockResolvedValue(JSON.stringify({ contacts: { version: 1, columns: ['contact', 'occurrence'] } }))
    await mount()
    expect(screen.queryByTestId('th-recency')).toBeNull()
    expect(byId('th-occurrence')).toBeTruthy()
    await fireEvent.click(byId('col-toggle-location'))
    expect(byId('th-location')).toBeTruthy()
    expect((byId('col-toggle-contact') as HTMLInputElement).disabled).toBe(true)
    await waitFor(() => expect(b.SavePrefs).toHaveBeenCalled(), { timeout: 2000 })
    const saved = JSON.parse(b.SavePrefs.mock.calls.at(-1)![0])
    expect(saved.contacts.columns).toEqual(['contact', 'occurrence', 'location'])
  })
})

describe('ContactsView: drag out', () => {
  function dataTransfer() {
    const data: Record<string, string> = {}
    return { data, setData: (k: string, v: string) => void (data[k] = v), effectAllowed: 'all' }
  }

  it('prepares the CSV when the pointer arrives, then hands its path to the drag', async () => {
    setup(contactsList(3))
    await mount()
    const handle = byId('drag-export')
    expect(handle.getAttribute('draggable')).toBe('true')
    await fireEvent.pointerEnter(handle)
    await settle()
    expect(b.PrepareDragExport).toHaveBeenCalledWith(
      expect.objectContaining({ ids: [] }),
      { format: 'csv', delimiter: ',', bom: true, vcard_version: '4.0' },
    )
    const dt = dataTransfer()
    const ok = await fireEvent.dragStart(handle, { dataTransfer: dt })
    expect(ok).toBe(true)
    expect(dt.data['text/uri-list']).toBe('file:///tmp/leadminer/contacts.csv')
    expect(dt.data['text/plain']).toBe('/tmp/leadminer/contacts.csv')
    expect(dt.data.DownloadURL).toBe('text/csv:contacts.csv:file:///tmp/leadminer/contacts.csv')
    expect(dt.effectAllowed).toBe('copy')
  })

  it('a drag before the file is ready is cancelled with a hint; a selection change makes it stale', async () => {
    setup(contactsList(3))
    await mount()
    const handle = byId('drag-export')
    const ok = await fireEvent.dragStart(handle, { dataTransfer: dataTransfer() })
    expect(ok).toBe(false)
    expect(byId('toast').textContent).toContain('Preparing the file')
    await settle()
    expect(b.PrepareDragExport).toHaveBeenCalledOnce()
    await fireEvent.click(within(rowAt(0)!).getByTestId('row-select'))
    await settle()
    expect(await fireEvent.dragStart(handle, { dataTransfer: dataTransfer() })).toBe(false)
    await settle()
    expect(b.PrepareDragExport).toHaveBeenCalledTimes(2)
    expect(b.PrepareDragExport.mock.calls[1][0].ids).toEqual([1])
  })
})
