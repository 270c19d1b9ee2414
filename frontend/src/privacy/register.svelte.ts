// The subprocessor register: every third-party service and its switch.
// A switch moves at once; when the backend refuses, it moves back and the
// row says why.
import { SvelteMap, SvelteSet } from 'svelte/reactivity'
import { errorMessage, type Subprocessor } from '../lib/api'
import { Resource } from './resource.svelte'

export interface RegisterIO {
  list(): Promise<Subprocessor[]>
  set(id: string, on: boolean): Promise<void>
}

export class RegisterStore {
  readonly list: Resource<Subprocessor[]>
  /** Switches whose change the backend has not confirmed yet. */
  readonly pending = new SvelteSet<string>()
  /** Why the last change of a switch failed, by subprocessor id. */
  readonly errors = new SvelteMap<string, string>()

  readonly #io: RegisterIO

  constructor(io: RegisterIO) {
    this.#io = io
    this.list = new Resource(async () => ((await io.list()) ?? []).map((sp) => ({ ...sp, data: sp.data ?? [] })))
  }

  get items(): Subprocessor[] {
    return this.list.data ?? []
  }

  load(): Promise<void> {
    return this.list.load()
  }

  /** The name of a registered subprocessor, else the id itself. */
  nameOf(id: string): string {
    return this.items.find((sp) => sp.id === id)?.name || id
  }

  #setEnabled(id: string, on: boolean) {
    const data = this.list.data
    if (data) this.list.data = data.map((sp) => (sp.id === id ? { ...sp, enabled: on } : sp))
  }

  async toggle(id: string, on: boolean): Promise<void> {
    const sp = this.items.find((x) => x.id === id)
    if (!sp || this.pending.has(id) || sp.enabled === on) return
    const before = sp.enabled
    this.#setEnabled(id, on)
    this.pending.add(id)
    this.errors.delete(id)
    try {
      await this.#io.set(id, on)
    } catch (e) {
      this.#setEnabled(id, before)
      this.errors.set(id, errorMessage(e))
    } finally {
      this.pending.delete(id)
    }
  }
}
