import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Contact, LedgerEntry, Right } from '../lib/api'
import { nav } from '../lib/nav.svelte'
import ContactsView from './ContactsView.svelte'
import { evidenceText, ledgerActionLabel, ledgerPurpose } from './display'
import { RightsStore } from './rights.svelte'
import { contact, contactsList, deferred, fakeBackend, fakeBus, rightsOf, settle, type FakeBackend } from './testing'

let b: FakeBackend
let all: Contact[]

const byId = (id: string) => screen.getByTestId(id)
const rowAt = (i: number) => screen.queryAllByTestId('row').find((r) => r.dataset.index === String(i))

function entry(over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    id: 1, basis: 'consent', purpose: 'campaigns', action: 'withdrawn', source: 'leadminer desktop',
    evidence: { note: 'asked by phone' }, actor: 'the mailbox owner', at: '2026-11-02T09:00:00Z', policy_version: '2026-11',
    ...over,
  }
}

async function openPanel(list: Contact[], index = 0) {
  all = list
  b = fakeBackend(all)
  render(ContactsView)
  await settle()
  await fireEvent.click(within(rowAt(index)!).getByText(all[index].name))
  await settle()
}

beforeEach(() => {
  fakeBus()
  nav.go('contacts')
})
afterEach(() => {
  delete window.go
  delete window.runtime
})

describe('contact panel: rights', () => {
  it('shows the Article 14 source, the status and the consent history of the contact opened', async () => {
    all = contactsList(3)
    b = fakeBackend(all)
    b.ContactRights.mockResolvedValue(rightsOf({
      consent_status: 'opt_out', restricted: true, suppressed: true,
      history: [entry({ id: 1, action: 'restricted', basis: 'legitimate_interest', purpose: 'enrichment', evidence: {} }), entry({ id: 2 })],
    }))
    render(ContactsView)
    await settle()
    await fireEvent.click(within(rowAt(1)!).getByText('Person 2'))
    await settle()
    expect(b.ContactRights).toHaveBeenCalledWith(2)
    expect(byId('rights-source').textContent).toContain('"INBOX" of ada@example.com')
    expect(byId('rights-consent').textContent).toContain('Opt-out')
    expect(byId('rights-restricted')).toBeTruthy()
    expect(byId('rights-suppressed')).toBeTruthy()
    const entries = screen.getAllByTestId('rights-entry')
    expect(entries).toHaveLength(2)
    expect(entries[0].textContent).toContain('Restricted')
    expect(entries[0].textContent).toContain('for enrichment, on legitimate interest')
    expect(entries[1].textContent).toContain('Consent withdrawn')
    expect(entries[1].textContent).toContain('asked by phone')
    expect(entries[1].textContent).toContain('notice 2026-11')
  })

  it('says when nothing was recorded yet', async () => {
    await openPanel(contactsList(2))
    expect(byId('rights-history-empty')).toBeTruthy()
    expect(screen.queryByTestId('rights-restricted')).toBeNull()
  })

  it.each<[Right, string]>([
    ['restrict', 'Restriction recorded'],
    ['object', 'Objection recorded'],
    ['withdraw', 'Withdrawal recorded'],
    ['grant', 'Consent recorded'],
  ])('%s is sent for the contact, then the history, the panel and the table reload', async (right, toast) => {
    await openPanel(contactsList(3), 2)
    const rightsCalls = b.ContactRights.mock.calls.length
    const detailCalls = b.ContactDetail.mock.calls.length
    const queryCalls = b.QueryContacts.mock.calls.length
    await fireEvent.click(byId(`rights-${right}`))
    await settle()
    expect(b.ExerciseRight).toHaveBeenCalledExactlyOnceWith(3, right, '')
    expect(b.ContactRights.mock.calls.length).toBe(rightsCalls + 1)
    expect(b.ContactDetail.mock.calls.length).toBe(detailCalls + 1)
    expect(b.QueryContacts.mock.calls.length).toBeGreaterThan(queryCalls)
    expect(byId('toast').textContent).toContain(toast)
    expect(byId('panel')).toBeTruthy()
  })

  it('a refused request says why and keeps the panel', async () => {
    await openPanel(contactsList(2))
    b.ExerciseRight.mockRejectedValueOnce(new Error('database is locked'))
    await fireEvent.click(byId('rights-object'))
    await settle()
    expect(byId('rights-error').textContent).toContain('Could not record the request: database is locked')
    expect(byId('panel')).toBeTruthy()
  })

  it('erase asks first, then removes the contact from the panel and the table', async () => {
    await openPanel(contactsList(3), 1)
    await fireEvent.click(byId('rights-erase'))
    expect(b.ExerciseRight).not.toHaveBeenCalled()
    expect(byId('confirm-erase').textContent).toContain('Person 2')
    expect(byId('confirm-erase').textContent).toContain('Do Not Mine Me')
    const queryCalls = b.QueryContacts.mock.calls.length
    await fireEvent.click(byId('confirm-ok'))
    await settle()
    expect(b.ExerciseRight).toHaveBeenCalledExactlyOnceWith(2, 'erase', '')
    expect(screen.queryByTestId('panel')).toBeNull()
    expect(screen.queryByTestId('confirm-erase')).toBeNull()
    expect(b.QueryContacts.mock.calls.length).toBeGreaterThan(queryCalls)
    expect(byId('toast').textContent).toContain('Erased Person 2')
  })

  it('Escape cancels the erase question without closing the panel', async () => {
    await openPanel(contactsList(2))
    await fireEvent.click(byId('rights-erase'))
    await fireEvent.keyDown(window, { key: 'Escape' })
    await settle()
    expect(screen.queryByTestId('confirm-erase')).toBeNull()
    expect(byId('panel')).toBeTruthy()
    expect(b.ExerciseRight).not.toHaveBeenCalled()
  })

  it('export writes the access report and says where', async () => {
    await openPanel(contactsList(2))
    await fireEvent.click(byId('rights-export'))
    await settle()
    expect(b.ExportContactData).toHaveBeenCalledExactlyOnceWith(1)
    expect(byId('toast').textContent).toContain('/home/ada/leadminer-access.json')
  })

  it('renders hostile history and source as text', async () => {
    all = [contact(1)]
    b = fakeBackend(all)
    b.ContactRights.mockResolvedValue(rightsOf({
      source: '<img src=x onerror=alert(1)>',
      history: [entry({ evidence: { note: '<script>alert(1)</script>' }, source: '<b>bold</b>' })],
    }))
    const { container } = render(ContactsView)
    await settle()
    await fireEvent.click(within(rowAt(0)!).getByText('Person 1'))
    await settle()
    expect(container.querySelector('img, script, b')).toBeNull()
    expect(byId('rights-source').textContent).toBe('<img src=x onerror=alert(1)>')
    expect(byId('rights-history').textContent).toContain('<script>alert(1)</script>')
  })
})

describe('RightsStore', () => {
  it('ignores the answer for a contact the panel no longer shows', async () => {
    const first = deferred<ReturnType<typeof rightsOf>>()
    const store = new RightsStore({
      rights: (id) => (id === 1 ? first.promise : Promise.resolve(rightsOf({ source: 'second' }))),
      exercise: async () => {},
      exportData: async () => ({ path: '', count: 0 }),
    })
    const a = store.load(1)
    await store.load(2)
    first.resolve(rightsOf({ source: 'first' }))
    await a
    expect(store.id).toBe(2)
    expect(store.rights?.source).toBe('second')
  })

  it('a cancelled save dialog is not a success', async () => {
    const store = new RightsStore({
      rights: async () => rightsOf(),
      exercise: async () => {},
      exportData: async () => ({ path: '', count: 0 }),
    })
    await store.load(1)
    expect(await store.exportData()).toBeNull()
    expect(store.error).toBe('')
  })

  it('refuses a second request while one is running', async () => {
    const pending = deferred<void>()
    let calls = 0
    const store = new RightsStore({
      rights: async () => rightsOf(),
      exercise: () => { calls++; return pending.promise },
      exportData: async () => ({ path: '', count: 0 }),
    })
    await store.load(1)
    const first = store.exercise('object')
    expect(await store.exercise('erase')).toBe(false)
    pending.resolve()
    expect(await first).toBe(true)
    expect(calls).toBe(1)
  })
})

describe('ledger display', () => {
  it.each([
    [{ note: 'by phone' }, 'by phone'],
    [{ fields: ['job_title', 'name'] }, 'fields: job_title, name'],
    [{ account: 'ada@example.com', message_id: '<a@b>' }, 'account: ada@example.com · message id: <a@b>'],
    [{ note: '' }, ''],
    [null, ''],
  ])('evidence %j reads %j', (ev, want) => {
    expect(evidenceText(ev as Record<string, unknown> | null)).toBe(want)
  })

  it('labels known actions and bases and passes unknown ones through', () => {
    expect(ledgerActionLabel('objected')).toBe('Objected')
    expect(ledgerActionLabel('novel')).toBe('novel')
    expect(ledgerPurpose('campaigns', 'consent')).toBe('for campaigns, on consent')
    expect(ledgerPurpose('x', 'odd')).toBe('for x, on odd')
  })
})
