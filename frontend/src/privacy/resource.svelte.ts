// Something the screen loads from the backend and may load again: the data
// once it came, whether a request is going on, and why the last one failed.
// A newer load wins over an older one that answers late.
import { errorMessage } from '../lib/api'

export class Resource<T> {
  /** null until the first load succeeds; kept when a later load fails. */
  data = $state.raw<T | null>(null)
  loading = $state(false)
  error = $state('')

  readonly #fetch: () => Promise<T>
  #req = 0

  constructor(fetch: () => Promise<T>) {
    this.#fetch = fetch
  }

  get loaded(): boolean {
    return this.data !== null
  }

  async load(): Promise<void> {
    const req = ++this.#req
    this.loading = true
    this.error = ''
    try {
      const v = await this.#fetch()
      if (req === this.#req) this.data = v
    } catch (e) {
      if (req === this.#req) this.error = errorMessage(e)
    } finally {
      if (req === this.#req) this.loading = false
    }
  }
}
