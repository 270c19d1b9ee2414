// The stores of one contacts screen, built together and shared with its
// components through Svelte context (a fresh set per mount).
import { getContext, setContext } from 'svelte'
import { backend, type Backend, type PrivacyBackend } from '../lib/api'
import { DragExportStore } from './dragExport.svelte'
import { FiltersStore } from './filters.svelte'
import { PanelStore } from './panel.svelte'
import { PrefsStore } from './prefs.svelte'
import { RightsStore } from './rights.svelte'
import { RowsStore } from './rows.svelte'
import { SelectionStore } from './selection.svelte'
import { ToastStore } from './toast.svelte'
import { UIStore } from './ui.svelte'

export interface ContactsContext {
  api: () => Backend
  filters: FiltersStore
  rows: RowsStore
  selection: SelectionStore
  prefs: PrefsStore
  panel: PanelStore
  rights: RightsStore
  drag: DragExportStore
  toast: ToastStore
  ui: UIStore
}

/** Calls the backend lazily so "not connected" becomes a rejected promise. */
function call<T>(api: () => Backend, f: (b: Backend) => Promise<T>): Promise<T> {
  return Promise.resolve().then(() => f(api()))
}

/** The same facade's Privacy methods. */
function callPrivacy<T>(api: () => Backend, f: (b: PrivacyBackend) => Promise<T>): Promise<T> {
  return Promise.resolve().then(() => f(api() as unknown as PrivacyBackend))
}

export function createContactsContext(api: () => Backend = backend): ContactsContext {
  return {
    api,
    filters: new FiltersStore(),
    rows: new RowsStore((q) => call(api, (b) => b.QueryContacts(q))),
    selection: new SelectionStore(),
    prefs: new PrefsStore({
      load: () => call(api, (b) => b.LoadPrefs()),
      save: (json) => call(api, (b) => b.SavePrefs(json)),
    }),
    panel: new PanelStore({
      detail: (id) => call(api, (b) => b.ContactDetail(id)),
      update: (id, patch) => call(api, (b) => b.UpdateContact(id, patch)),
    }),
    rights: new RightsStore({
      rights: (id) => callPrivacy(api, (b) => b.ContactRights(id)),
      exercise: (id, right, note) => callPrivacy(api, (b) => b.ExerciseRight(id, right, note)),
      exportData: (id) => callPrivacy(api, (b) => b.ExportContactData(id)),
    }),
    drag: new DragExportStore((sel, opts) => call(api, (b) => b.PrepareDragExport(sel, opts))),
    toast: new ToastStore(),
    ui: new UIStore(),
  }
}

const KEY = Symbol('contacts')

export function provideContacts(ctx: ContactsContext): ContactsContext {
  return setContext(KEY, ctx)
}

export function useContacts(): ContactsContext {
  const ctx = getContext<ContactsContext | undefined>(KEY)
  if (!ctx) throw new Error('contacts context missing')
  return ctx
}
