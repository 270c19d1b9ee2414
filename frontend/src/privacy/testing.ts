// Test helpers of the Privacy area: register entries, log events, list
// entries and a fake facade (window.go.main.App) with the Privacy methods.
import { vi, type Mock } from 'vitest'
import type { Backend, EgressEvent, PrivacyBackend, Subprocessor, Suppression } from '../lib/api'

export type FakePrivacy = { [K in keyof PrivacyBackend]: Mock<PrivacyBackend[K]> }

export function subprocessor(id: string, over: Partial<Subprocessor> = {}): Subprocessor {
  return {
    id,
    name: `Service ${id}`,
    purpose: 'Verify that contacts’ addresses exist',
    data: ['email addresses of contacts'],
    region: 'European Union (Lithuania)',
    eea: true,
    website: `https://${id}.example`,
    enabled: false,
    last_used: null,
    ...over,
  }
}

export function egressEvent(id: number, over: Partial<EgressEvent> = {}): EgressEvent {
  return {
    id,
    at: '2025-03-01T10:00:00Z',
    subprocessor: 'mailercheck',
    purpose: 'verify',
    records: 10,
    bytes_out: 2048,
    outcome: '10 records',
    ...over,
  }
}

export function suppression(subject: string, over: Partial<Suppression> = {}): Suppression {
  return { subject, kind: 'address', reason: 'manual', added_at: '2025-02-01T09:00:00Z', ...over }
}

/** A fake facade bound as window.go.main.App; every method answers something harmless. */
export function fakePrivacy(): FakePrivacy {
  const b: FakePrivacy = {
    Subprocessors: vi.fn(async () => []),
    SetSubprocessor: vi.fn(async () => {}),
    EgressLog: vi.fn(async () => []),
    Suppressions: vi.fn(async () => []),
    Suppress: vi.fn(async () => ({ added: 0, ignored: [] })),
    ImportSuppressions: vi.fn(async () => ({ added: 0, ignored: [] })),
    RemoveSuppression: vi.fn(async () => {}),
    Retention: vi.fn(async () => ({ contact_months: 36, verification_days: 100, enrichment_months: 6 })),
    SetRetention: vi.fn(async () => {}),
    PurgeNow: vi.fn(async () => ({ marked_deleted: 0, purged: 0, messages: 0, at: '2025-03-01T10:00:00Z' })),
    ContactRights: vi.fn(async () => { throw new Error('not used') }),
    ExportContactData: vi.fn(async () => ({ path: '', count: 0 })),
    ExerciseRight: vi.fn(async () => {}),
    DeleteAllData: vi.fn(async () => {}),
  }
  window.go = { main: { App: b as unknown as Backend } }
  return b
}

export { deferred, settle } from '../lib/testing'
