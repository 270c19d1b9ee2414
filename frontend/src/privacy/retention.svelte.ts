// Retention: the three periods (edited as text, checked before saving) and
// the Purge now button.
import { errorMessage, type PurgeReport, type Retention } from '../lib/api'
import { Resource } from './resource.svelte'
import {
  defaultRetention,
  retentionForm,
  validateRetention,
  type RetentionErrors,
  type RetentionField,
  type RetentionForm,
} from './format'

export interface RetentionIO {
  get(): Promise<Retention>
  set(r: Retention): Promise<void>
}

export class RetentionStore {
  readonly settings: Resource<Retention>
  form = $state<RetentionForm>(retentionForm(defaultRetention))
  /** Wrong fields, set by Save and cleared as they are fixed. */
  errors = $state<RetentionErrors>({})
  saving = $state(false)
  saved = $state(false)
  saveError = $state('')

  readonly #io: RetentionIO

  constructor(io: RetentionIO) {
    this.#io = io
    this.settings = new Resource(() => io.get())
  }

  async load(): Promise<void> {
    await this.settings.load()
    const r = this.settings.data
    if (r && !this.settings.error) {
      this.form = retentionForm(r)
      this.errors = {}
    }
  }

  edit(field: RetentionField, text: string): void {
    this.form[field] = text
    this.saved = false
    this.saveError = ''
    if (this.errors[field] !== undefined) {
      const { errors } = validateRetention(this.form)
      const next = { ...this.errors }
      if (errors[field] === undefined) delete next[field]
      this.errors = next
    }
  }

  /** Checks the form and saves it; false when a field is wrong or the backend refused. */
  async save(): Promise<boolean> {
    if (this.saving) return false
    this.saved = false
    this.saveError = ''
    const { value, errors } = validateRetention(this.form)
    this.errors = errors
    if (!value) return false
    this.saving = true
    try {
      await this.#io.set(value)
      this.settings.data = value
      this.saved = true
      return true
    } catch (e) {
      this.saveError = errorMessage(e)
      return false
    } finally {
      this.saving = false
    }
  }
}

export interface PurgeIO {
  purge(): Promise<PurgeReport>
}

export class PurgeStore {
  running = $state(false)
  report = $state.raw<PurgeReport | null>(null)
  error = $state('')

  readonly #io: PurgeIO

  constructor(io: PurgeIO) {
    this.#io = io
  }

  async run(): Promise<void> {
    if (this.running) return
    this.running = true
    this.error = ''
    this.report = null
    try {
      this.report = await this.#io.purge()
    } catch (e) {
      this.error = errorMessage(e)
    } finally {
      this.running = false
    }
  }
}
