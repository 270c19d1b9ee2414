// The mining run as the window sees it. One instance for the app: it owns the
// event subscriptions, so its state survives switching views, and it asks the
// backend once (MiningState) to reattach to a run that started before the
// window opened.
import {
  backend,
  errorMessage,
  events,
  onEvent,
  type MineRequest,
  type Progress,
  type Summary,
} from '../lib/api'
import { wizard as s } from '../lib/strings'

export class MiningStore {
  /** A run is going on (started here, or found on reattach). */
  running = $state(false)
  /** The source of the current or last run. */
  uri = $state('')
  progress = $state<Progress | null>(null)
  summary = $state<Summary | null>(null)
  /** Why the last run stopped; "" when it did not fail. */
  error = $state('')
  /** The last request, for Retry. */
  request = $state<MineRequest | null>(null)
  /** StartMining was called and has not answered yet. */
  starting = $state(false)
  halting = $state(false)
  haltError = $state('')
  /** MiningState answered (or failed): the window knows whether a run is going on. */
  loaded = $state(false)

  #offs: Array<() => void> = []
  #init: Promise<void> | null = null
  #events = 0

  /** Subscribes to the mining events and reattaches; later calls return the first call's promise. */
  init(): Promise<void> {
    if (this.#init) return this.#init
    this.#offs.push(
      onEvent<Progress>(events.progress, (p) => this.#onProgress(p)),
      onEvent<Summary>(events.done, (sum) => this.#onDone(sum)),
      onEvent<string>(events.error, (msg) => this.#onError(msg)),
    )
    this.#init = this.reattach()
    return this.#init
  }

  /** Asks the backend what it is doing (the window may have been reopened mid-run). */
  async reattach(): Promise<void> {
    const seen = this.#events
    try {
      const st = await backend().MiningState()
      if (this.uri === '') this.uri = st.uri
      // An event that arrived meanwhile is fresher than this answer.
      if (this.#events !== seen || this.starting) return
      this.uri = st.uri
      this.running = st.running
      this.progress = st.progress
      this.summary = st.summary
      this.error = st.error
      if (st.uri !== '' && this.request === null) {
        this.request = { uri: st.uri, folders: st.summary?.folders ?? [] }
      }
    } catch {
      // No backend (or it failed): stay idle, the Start button reports errors.
    } finally {
      this.loaded = true
    }
  }

  /** Whether the run shown (running, failed or done) is for this source. */
  isFor(uri: string): boolean {
    return uri !== '' && this.uri === uri
  }

  get busy(): boolean {
    return this.running || this.starting
  }

  async start(req: MineRequest): Promise<void> {
    if (this.busy) return
    this.request = { uri: req.uri, folders: [...req.folders] }
    this.uri = req.uri
    this.progress = null
    this.summary = null
    this.error = ''
    this.haltError = ''
    this.halting = false
    this.running = true
    this.starting = true
    try {
      await backend().StartMining({ uri: req.uri, folders: [...req.folders] })
    } catch (e) {
      this.running = false
      this.error = errorMessage(e)
    } finally {
      this.starting = false
    }
  }

  /** Starts the last request again; the backend resumes where it stopped. */
  retry(): Promise<void> {
    if (!this.request) return Promise.resolve()
    return this.start(this.request)
  }

  async halt(): Promise<void> {
    if (!this.running || this.halting) return
    this.halting = true
    this.haltError = ''
    try {
      await backend().HaltMining()
    } catch (e) {
      this.halting = false
      this.haltError = errorMessage(e)
    }
  }

  /** Forgets the finished run's summary or error (to pick other folders). */
  dismiss(): void {
    if (this.busy) return
    this.summary = null
    this.error = ''
    this.progress = null
  }

  #onProgress(p: Progress) {
    // Events can arrive out of order: a progress event after the run's
    // summary (or its final "done" phase) must not reopen a finished run.
    if (p.phase === 'done' || (this.summary !== null && !this.starting)) return
    this.#events++
    this.running = true
    this.progress = p
    this.error = ''
    this.summary = null
  }

  #onDone(sum: Summary) {
    this.#events++
    this.running = false
    this.halting = false
    this.summary = sum
    this.error = ''
    if (this.progress) this.progress = { ...this.progress, phase: 'done' }
  }

  #onError(msg: string) {
    this.#events++
    this.running = false
    this.halting = false
    this.error = msg || s.error.title
  }

  /** For tests: unsubscribes and forgets everything. */
  reset(): void {
    this.#offs.forEach((off) => off())
    this.#offs = []
    this.#init = null
    this.#events = 0
    this.running = false
    this.uri = ''
    this.progress = null
    this.summary = null
    this.error = ''
    this.request = null
    this.starting = false
    this.halting = false
    this.haltError = ''
    this.loaded = false
  }
}

export const mining = new MiningStore()
