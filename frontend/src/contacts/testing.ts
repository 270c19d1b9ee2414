// Test helpers for the contacts screen: contacts, and a fake facade
// (window.go.main.App) whose QueryContacts pages through an array.
import { vi, type Mock } from 'vitest'
import type { Backend, Contact, ContactPage, ContactQuery, ContactRights, PrivacyBackend } from '../lib/api'

type RightsMethods = 'ContactRights' | 'ExerciseRight' | 'ExportContactData'
export type FakeBackend = { [K in keyof Backend]: Mock<Backend[K]> } & {
  [K in RightsMethods]: Mock<PrivacyBackend[K]>
}

/** A contact's rights as the backend reports them before any request. */
export function rightsOf(over: Partial<ContactRights> = {}): ContactRights {
  return {
    consent_status: 'legitimate_interest',
    restricted: false,
    suppressed: false,
    history: [],
    source: 'We found this address in 3 message(s) in "INBOX" of ada@example.com, between 2020-01-01 and 2025-03-01.',
    summary: '',
    ...over,
  }
}

export function contact(id: number, over: Partial<Contact> = {}): Contact {
  return {
    id,
    email: `person${id}@example.com`,
    name: `Person ${id}`,
    given_name: '',
    family_name: '',
    alternate_names: [],
    alternate_emails: [],
    tags: ['professional'],
    occurrence: 10,
    sender: 4,
    recipient: 6,
    conversations: 3,
    replied_conversations: 1,
    recency: '2025-03-01T10:00:00Z',
    seniority: '2019-01-02T10:00:00Z',
    temperature: 42,
    status: 'VALID',
    consent_status: 'legitimate_interest',
    sources: ['ada@example.com'],
    telephone: [],
    works_for: '',
    job_title: '',
    location: '',
    same_as: [],
    ...over,
  }
}

export function contactsList(n: number): Contact[] {
  return Array.from({ length: n }, (_, i) => contact(i + 1))
}

/** A page of `all` for the query's window (search matches name or email). */
export function pageOf(all: Contact[], q: ContactQuery): ContactPage {
  const s = q.search.toLowerCase()
  const rows = s ? all.filter((c) => c.name.toLowerCase().includes(s) || c.email.includes(s)) : all
  return { total: rows.length, contacts: rows.slice(q.offset, q.offset + q.limit) }
}

export function fakeBackend(all: Contact[] = []): FakeBackend {
  const b: FakeBackend = {
    Accounts: vi.fn(async () => []),
    DetectIMAP: vi.fn(async () => ({ provider: '', host: '', port: 993, security: 'implicit' as const, oauth: '' as const, note: '' })),
    TestIMAP: vi.fn(async () => ({ ok: true, field: '' as const, message: '', fingerprint: '' })),
    AddIMAPAccount: vi.fn(async () => { throw new Error('not used') }),
    RemoveAccount: vi.fn(async () => {}),
    SignIn: vi.fn(async () => { throw new Error('not used') }),
    ReconnectAccount: vi.fn(async () => { throw new Error('not used') }),
    CancelSignIn: vi.fn(async () => {}),
    SignInProviders: vi.fn(async () => []),
    SetOAuthClient: vi.fn(async () => {}),
    ChooseMailFolder: vi.fn(async () => ''),
    ChooseMailFile: vi.fn(async () => ''),
    AddLocalSource: vi.fn(async () => { throw new Error('not used') }),
    DemoSource: vi.fn(async () => { throw new Error('not used') }),
    Folders: vi.fn(async () => []),
    StartMining: vi.fn(async () => {}),
    HaltMining: vi.fn(async () => {}),
    MiningState: vi.fn(async () => ({ running: false, uri: '', request: null, progress: null, summary: null, error: '' })),
    QueryContacts: vi.fn(async (q: ContactQuery) => pageOf(all, q)),
    ContactDetail: vi.fn(async (id: number) => {
      const c = all.find((x) => x.id === id)
      if (!c) throw new Error('no such contact')
      return { contact: c, seen: [{ source: 'ada@example.com', folder: 'INBOX', count: 3, first: '2020-01-01T00:00:00Z', last: '2025-03-01T10:00:00Z' }] }
    }),
    UpdateContact: vi.fn(async (id, patch) => {
      const c = all.find((x) => x.id === id)
      if (!c) throw new Error('no such contact')
      return { ...c, ...patch }
    }),
    RemoveContacts: vi.fn(async (sel) => sel.ids.length),
    Export: vi.fn(async () => ({ path: '/home/ada/contacts.csv', count: all.length })),
    PrepareDragExport: vi.fn(async () => '/tmp/leadminer/contacts.csv'),
    Overview: vi.fn(async () => ({ contacts: all.length, visible: all.length, mining: false })),
    LoadPrefs: vi.fn(async () => ''),
    SavePrefs: vi.fn(async () => {}),
    ContactRights: vi.fn(async () => rightsOf()),
    ExerciseRight: vi.fn(async () => {}),
    ExportContactData: vi.fn(async () => ({ path: '/home/ada/leadminer-access.json', count: 1 })),
  }
  window.go = { main: { App: b } }
  return b
}

/** A tiny event bus standing in for window.runtime.EventsOn. */
export function fakeBus() {
  const handlers = new Map<string, Set<(...data: unknown[]) => void>>()
  window.runtime = {
    EventsOn(name, cb) {
      let set = handlers.get(name)
      if (!set) handlers.set(name, (set = new Set()))
      set.add(cb)
      return () => set.delete(cb)
    },
  }
  return {
    emit(name: string, data: unknown) {
      for (const cb of handlers.get(name) ?? []) cb(data)
    },
  }
}

export { deferred, settle } from '../lib/testing'
