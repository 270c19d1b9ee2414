// The stores of one Privacy screen, wired to the backend. The backend is
// reached lazily, call by call, so a window without it (or an older one
// without the Privacy methods) gets a readable error instead of a crash.
import { privacyBackend, type PrivacyBackend } from '../lib/api'
import { common } from '../lib/strings'
import { DeleteAllStore } from './deleteAll.svelte'
import { EgressStore } from './egress.svelte'
import { RegisterStore } from './register.svelte'
import { PurgeStore, RetentionStore } from './retention.svelte'
import { SuppressionsStore } from './suppressions.svelte'

export type PrivacyApi = () => PrivacyBackend

/** Calls one method of the facade; a missing backend or method rejects with common.noBackend. */
export function call<K extends keyof PrivacyBackend>(
  api: PrivacyApi,
  name: K,
  ...args: Parameters<PrivacyBackend[K]>
): Promise<Awaited<ReturnType<PrivacyBackend[K]>>> {
  return new Promise((resolve, reject) => {
    let b: PrivacyBackend | undefined
    try {
      b = api()
    } catch {
      b = undefined
    }
    const fn = b?.[name] as unknown
    if (typeof fn !== 'function') {
      reject(new Error(common.noBackend))
      return
    }
    Promise.resolve((fn as (...a: unknown[]) => unknown).apply(b, args)).then(
      (v) => resolve(v as Awaited<ReturnType<PrivacyBackend[K]>>),
      reject,
    )
  })
}

export interface PrivacyStores {
  register: RegisterStore
  egress: EgressStore
  suppressions: SuppressionsStore
  retention: RetentionStore
  purge: PurgeStore
  deleteAll: DeleteAllStore
}

export function createPrivacyStores(api: PrivacyApi = privacyBackend): PrivacyStores {
  return {
    register: new RegisterStore({
      list: () => call(api, 'Subprocessors'),
      set: (id, on) => call(api, 'SetSubprocessor', id, on),
    }),
    egress: new EgressStore({ log: (limit) => call(api, 'EgressLog', limit) }),
    suppressions: new SuppressionsStore({
      list: () => call(api, 'Suppressions'),
      suppress: (text) => call(api, 'Suppress', text),
      importFile: () => call(api, 'ImportSuppressions'),
      remove: (subject) => call(api, 'RemoveSuppression', subject),
    }),
    retention: new RetentionStore({
      get: () => call(api, 'Retention'),
      set: (r) => call(api, 'SetRetention', r),
    }),
    purge: new PurgeStore({ purge: () => call(api, 'PurgeNow') }),
    deleteAll: new DeleteAllStore({ deleteAll: (confirm) => call(api, 'DeleteAllData', confirm) }),
  }
}
