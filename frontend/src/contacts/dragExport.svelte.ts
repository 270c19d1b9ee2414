// The file behind the "Drag CSV" handle. A drag must be given its data
// synchronously at dragstart, so the file is written beforehand (when the
// pointer reaches the handle) and its path kept for the selection and
// options it was written for; any change makes it stale.
import { errorMessage, type ExportOptions, type Selection } from '../lib/api'

export type Preparer = (sel: Selection, opts: ExportOptions) => Promise<string>

export function dragKey(sel: Selection, opts: ExportOptions): string {
  return JSON.stringify([sel, opts])
}

export class DragExportStore {
  /** The prepared file, "" when none is ready. */
  path = $state('')
  preparing = $state(false)
  error = $state('')

  readonly #prepare: Preparer
  #key = ''
  #gen = 0

  constructor(prepare: Preparer) {
    this.#prepare = prepare
  }

  /** Writes the file for this selection and options, unless it is already (being) written. */
  prepare(sel: Selection, opts: ExportOptions): Promise<void> {
    const key = dragKey(sel, opts)
    if (key === this.#key && (this.path !== '' || this.preparing)) return Promise.resolve()
    const gen = ++this.#gen
    this.#key = key
    this.path = ''
    this.error = ''
    this.preparing = true
    let request: Promise<string>
    try {
      request = this.#prepare(sel, opts)
    } catch (e) {
      request = Promise.reject(e)
    }
    return request.then(
      (path) => {
        if (gen !== this.#gen) return
        this.preparing = false
        this.path = typeof path === 'string' ? path : ''
        if (this.path === '') this.#key = ''
      },
      (e: unknown) => {
        if (gen !== this.#gen) return
        this.preparing = false
        this.error = errorMessage(e)
        this.#key = ''
      },
    )
  }

  /** The prepared path if it matches this selection and options, else "". */
  readyPath(sel: Selection, opts: ExportOptions): string {
    return this.path !== '' && this.#key === dragKey(sel, opts) ? this.path : ''
  }

  /** Forget the file (selection, filters, options or data changed). */
  invalidate() {
    this.#gen++
    this.#key = ''
    this.path = ''
    this.preparing = false
  }
}
