// Test helpers: a fake facade (window.go.main.App) and a tiny event bus
// (window.runtime.EventsOn) the tests can emit on.
import { vi, type Mock } from 'vitest'
import type { Account, Backend, Folder, MiningState, Progress, Summary } from '../lib/api'

export type FakeBackend = { [K in keyof Backend]: Mock<Backend[K]> }

export function account(over: Partial<Account> = {}): Account {
  return {
    id: 1,
    kind: 'demo',
    label: 'Demo mailbox',
    uri: 'demo:',
    status: 'ready',
    status_message: '',
    last_mined: null,
    contacts: 0,
    ...over,
  }
}

export function folder(name: string, over: Partial<Folder> = {}): Folder {
  return { name, count: 10, special_use: '', selectable: true, default: true, ...over }
}

export const idle: MiningState = { running: false, uri: '', request: null, progress: null, summary: null, error: '' }

export function fakeBackend(): FakeBackend {
  const b: FakeBackend = {
    Accounts: vi.fn(async () => []),
    DetectIMAP: vi.fn(async () => ({ provider: '', host: '', port: 993, security: 'implicit' as const, oauth: '' as const, note: '' })),
    TestIMAP: vi.fn(async () => ({ ok: true, field: '' as const, message: '', fingerprint: '' })),
    AddIMAPAccount: vi.fn(async (f) => account({ id: 7, kind: 'imap', label: f.email, uri: `imap://${f.email}` })),
    RemoveAccount: vi.fn(async () => {}),
    SignIn: vi.fn(async (provider, email) => account({ id: 9, kind: 'imap', auth: provider, label: email || 'ada@gmail.com', uri: 'imap://ada%40gmail.com@imap.gmail.com:993?tls=implicit' })),
    ReconnectAccount: vi.fn(async (id) => account({ id, kind: 'imap', auth: 'google', label: 'ada@gmail.com', uri: 'imap://ada%40gmail.com@imap.gmail.com:993?tls=implicit' })),
    CancelSignIn: vi.fn(async () => {}),
    SignInProviders: vi.fn(async () => [
      { id: 'google' as const, name: 'Google', configured: true },
      { id: 'microsoft' as const, name: 'Microsoft', configured: true },
    ]),
    SetOAuthClient: vi.fn(async () => {}),
    ChooseMailFolder: vi.fn(async () => ''),
    ChooseMailFile: vi.fn(async () => ''),
    AddLocalSource: vi.fn(async (path) => account({ id: 3, kind: 'maildir', label: path, uri: `maildir:${path}` })),
    DemoSource: vi.fn(async () => account()),
    Folders: vi.fn(async () => [folder('INBOX')]),
    StartMining: vi.fn(async () => {}),
    HaltMining: vi.fn(async () => {}),
    MiningState: vi.fn(async () => ({ ...idle })),
    QueryContacts: vi.fn(async () => ({ total: 0, contacts: [] })),
    ContactDetail: vi.fn(async () => { throw new Error('not used') }),
    UpdateContact: vi.fn(async () => { throw new Error('not used') }),
    RemoveContacts: vi.fn(async () => 0),
    Export: vi.fn(async () => ({ path: '', count: 0 })),
    PrepareDragExport: vi.fn(async () => ''),
    Overview: vi.fn(async () => ({ contacts: 0, visible: 0, mining: false })),
    LoadPrefs: vi.fn(async () => ''),
    SavePrefs: vi.fn(async () => {}),
  }
  window.go = { main: { App: b } }
  return b
}

export interface FakeBus {
  emit(name: string, data: unknown): void
  count(name: string): number
}

export function fakeBus(): FakeBus {
  const subs = new Map<string, Set<(...data: unknown[]) => void>>()
  window.runtime = {
    EventsOn(name, cb) {
      let set = subs.get(name)
      if (!set) subs.set(name, (set = new Set()))
      set.add(cb)
      return () => set.delete(cb)
    },
  }
  return {
    emit(name, data) {
      for (const cb of [...(subs.get(name) ?? [])]) cb(data)
    },
    count(name) {
      return subs.get(name)?.size ?? 0
    },
  }
}

export { deferred, settle } from '../lib/testing'

export function progress(over: Partial<Progress> = {}): Progress {
  return {
    phase: 'mining', folder: 'INBOX', done: 0, total: 0, fetched: 0, folder_done: 0, folder_total: 1,
    contacts: 0, new_contacts: 0, duplicates: 0, skipped: 0, rate: 0, eta_seconds: 0, ...over,
  }
}

export function summary(over: Partial<Summary> = {}): Summary {
  return {
    run_id: 1, source: 'demo:', folders: ['INBOX'], messages: 120, new_messages: 120, duplicates: 3, skipped: 0,
    new_contacts: 40, contacts: 40, duration_ns: 42e9, canceled: false, ...over,
  }
}
