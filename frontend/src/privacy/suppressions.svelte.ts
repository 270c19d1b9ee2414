// Do Not Mine Me: the list (keyed hashes only), adding addresses and
// @domains typed or imported from a file, and removing an entry after a
// confirmation.
import { errorMessage, type Suppression, type SuppressResult } from '../lib/api'
import { privacy as s } from '../lib/strings'
import { Resource } from './resource.svelte'

export interface SuppressionsIO {
  list(): Promise<Suppression[]>
  suppress(text: string): Promise<SuppressResult>
  /** Opens a file picker; a cancelled picker answers { added: 0, ignored: [] }. */
  importFile(): Promise<SuppressResult>
  remove(subject: string): Promise<void>
}

export type SuppressAction = '' | 'add' | 'import'

export class SuppressionsStore {
  readonly list: Resource<Suppression[]>
  /** The textarea. */
  text = $state('')
  /** The add or import going on. */
  busy = $state<SuppressAction>('')
  /** What the last add or import did; null when there is nothing to say. */
  result = $state.raw<SuppressResult | null>(null)
  /** Why the last add or import failed. */
  actionError = $state('')
  /** The subject whose removal waits for Yes / No. */
  confirming = $state<string | null>(null)
  removing = $state(false)
  removeError = $state('')

  readonly #io: SuppressionsIO

  constructor(io: SuppressionsIO) {
    this.#io = io
    this.list = new Resource(async () => (await io.list()) ?? [])
  }

  get items(): Suppression[] {
    return this.list.data ?? []
  }

  get canAdd(): boolean {
    return this.busy === '' && this.text.trim() !== ''
  }

  load(): Promise<void> {
    return this.list.load()
  }

  async #run(action: SuppressAction, failed: string, fn: () => Promise<SuppressResult>): Promise<SuppressResult | null> {
    if (this.busy !== '') return null
    this.busy = action
    this.result = null
    this.actionError = ''
    try {
      const r = await fn()
      return { added: r?.added ?? 0, ignored: r?.ignored ?? [] }
    } catch (e) {
      this.actionError = `${failed}: ${errorMessage(e)}`
      return null
    } finally {
      this.busy = ''
    }
  }

  async add(): Promise<void> {
    if (!this.canAdd) return
    const r = await this.#run('add', s.suppress.addFailed, () => this.#io.suppress(this.text))
    if (!r) return
    this.result = r
    this.text = ''
    if (r.added > 0) await this.load()
  }

  async importFile(): Promise<void> {
    const r = await this.#run('import', s.suppress.importFailed, () => this.#io.importFile())
    if (!r) return
    // Nothing added and nothing refused: the picker was cancelled.
    this.result = r.added === 0 && r.ignored.length === 0 ? null : r
    if (r.added > 0) await this.load()
  }

  askRemove(subject: string): void {
    if (this.removing) return
    this.confirming = subject
    this.removeError = ''
  }

  cancelRemove(): void {
    if (this.removing) return
    this.confirming = null
  }

  async confirmRemove(): Promise<void> {
    const subject = this.confirming
    if (subject === null || this.removing) return
    this.removing = true
    this.removeError = ''
    try {
      await this.#io.remove(subject)
      const data = this.list.data
      if (data) this.list.data = data.filter((x) => x.subject !== subject)
    } catch (e) {
      this.removeError = `${s.suppress.removeFailed}: ${errorMessage(e)}`
    } finally {
      this.removing = false
      this.confirming = null
    }
    void this.load()
  }
}
