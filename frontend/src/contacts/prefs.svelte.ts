// Remembered choices: visible columns and export options. Loaded once;
// every change is saved, debounced, through the backend.
import type { ExportOptions } from '../lib/api'
import type { ColumnKey } from './columns'
import { defaultPrefs, mergePrefs, normalizeColumns, parsePrefs, type ContactsPrefs } from './prefs'
import { debounce } from './timing'

export const PREFS_SAVE_DELAY_MS = 500

export interface PrefsIO {
  load(): Promise<string>
  save(json: string): Promise<void>
}

export class PrefsStore {
  columns = $state<ColumnKey[]>(defaultPrefs().columns)
  exportOptions = $state<ExportOptions>(defaultPrefs().export)
  loaded = $state(false)

  readonly #io: PrefsIO
  readonly #save
  /** Set by a change made before the stored preferences arrived: keep it. */
  #dirty = false

  constructor(io: PrefsIO, saveDelay = PREFS_SAVE_DELAY_MS) {
    this.#io = io
    this.#save = debounce(() => void this.#write(), saveDelay)
  }

  async load(): Promise<void> {
    let json = ''
    try {
      json = await this.#io.load()
    } catch {
      // no stored preferences: keep the defaults
    }
    if (!this.#dirty) {
      const p = parsePrefs(typeof json === 'string' ? json : '')
      this.columns = p.columns
      this.exportOptions = p.export
    }
    this.loaded = true
  }

  isVisible(key: ColumnKey): boolean {
    return key === 'contact' || this.columns.includes(key)
  }

  setColumn(key: ColumnKey, visible: boolean) {
    if (key === 'contact') return
    const next = visible ? [...this.columns, key] : this.columns.filter((k) => k !== key)
    this.columns = normalizeColumns(next) ?? this.columns
    this.#changed()
  }

  toggleColumn(key: ColumnKey) {
    this.setColumn(key, !this.isVisible(key))
  }

  setExport(patch: Partial<ExportOptions>) {
    this.exportOptions = { ...this.exportOptions, ...patch }
    this.#changed()
  }

  snapshot(): ContactsPrefs {
    return { version: 1, columns: [...this.columns], export: { ...this.exportOptions } }
  }

  /** Saves a pending change now (e.g. when the screen closes). */
  flush() {
    this.#save.flush()
  }

  #changed() {
    this.#dirty = true
    this.#save()
  }

  async #write() {
    const prefs = this.snapshot()
    // Re-read just before writing so other screens' keys are kept.
    let existing = ''
    try {
      existing = await this.#io.load()
    } catch {
      existing = ''
    }
    try {
      await this.#io.save(mergePrefs(typeof existing === 'string' ? existing : '', prefs))
    } catch {
      // preferences are a convenience: a failed save is not worth an error
    }
  }
}
