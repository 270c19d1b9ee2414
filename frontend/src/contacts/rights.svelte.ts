// The contact panel's privacy part: consent history, the Article 14 answer
// and the rights a person can exercise (access, restriction, objection,
// withdrawal, consent, erasure).
import { errorMessage, type ContactRights, type ExportResult, type Right } from '../lib/api'

export interface RightsIO {
  rights(id: number): Promise<ContactRights>
  exercise(id: number, right: Right, note: string): Promise<void>
  exportData(id: number): Promise<ExportResult>
}

export class RightsStore {
  id = $state<number | null>(null)
  rights = $state<ContactRights | null>(null)
  loading = $state(false)
  error = $state('')
  /** The right being applied, while the backend works. */
  busy = $state<Right | 'export' | null>(null)
  /** Erasure waits for a confirmation. */
  confirmErase = $state(false)

  readonly #io: RightsIO
  #gen = 0

  constructor(io: RightsIO) {
    this.#io = io
  }

  /** Loads the rights of a contact (again, after an action). */
  async load(id: number) {
    const gen = ++this.#gen
    if (this.id !== id) {
      this.rights = null
      this.confirmErase = false
    }
    this.id = id
    this.loading = true
    this.error = ''
    try {
      const r = await this.#io.rights(id)
      if (gen !== this.#gen) return
      this.rights = { ...r, history: Array.isArray(r?.history) ? r.history : [] }
    } catch (e) {
      if (gen === this.#gen) this.error = errorMessage(e)
    } finally {
      if (gen === this.#gen) this.loading = false
    }
  }

  reset() {
    this.#gen++
    this.id = null
    this.rights = null
    this.loading = false
    this.error = ''
    this.busy = null
    this.confirmErase = false
  }

  /**
   * Applies a right; true when recorded. Erasure leaves nothing to reload;
   * the other rights reload the history.
   */
  async exercise(right: Right, note = ''): Promise<boolean> {
    const id = this.id
    if (id === null || this.busy) return false
    this.busy = right
    this.error = ''
    try {
      await this.#io.exercise(id, right, note)
    } catch (e) {
      if (this.id === id) this.error = errorMessage(e)
      return false
    } finally {
      this.busy = null
    }
    if (right === 'erase') {
      this.reset()
    } else if (this.id === id) {
      await this.load(id)
    }
    return true
  }

  /** Access / portability: the JSON report; null when cancelled or failed. */
  async exportData(): Promise<ExportResult | null> {
    const id = this.id
    if (id === null || this.busy) return null
    this.busy = 'export'
    this.error = ''
    try {
      const res = await this.#io.exportData(id)
      return res?.path ? res : null
    } catch (e) {
      if (this.id === id) this.error = errorMessage(e)
      return null
    } finally {
      this.busy = null
    }
  }
}
