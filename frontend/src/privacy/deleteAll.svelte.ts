// Delete all my data: armed only once the user typed the word exactly.
import { errorMessage } from '../lib/api'

/** What the user must type, and what the backend expects as confirmation. */
export const DELETE_WORD = 'DELETE'

export interface DeleteAllIO {
  deleteAll(confirm: string): Promise<void>
}

export class DeleteAllStore {
  typed = $state('')
  running = $state(false)
  done = $state(false)
  error = $state('')

  readonly #io: DeleteAllIO

  constructor(io: DeleteAllIO) {
    this.#io = io
  }

  get armed(): boolean {
    return this.typed === DELETE_WORD && !this.running && !this.done
  }

  async run(): Promise<void> {
    if (!this.armed) return
    this.running = true
    this.error = ''
    try {
      await this.#io.deleteAll(DELETE_WORD)
      this.done = true
    } catch (e) {
      this.error = errorMessage(e)
    } finally {
      this.running = false
    }
  }
}
