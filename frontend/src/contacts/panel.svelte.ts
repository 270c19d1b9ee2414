// The contact drawer: which contact, its details (with where it was seen),
// and the edit form.
import { errorMessage, type Contact, type ContactDetail, type ContactPatch } from '../lib/api'
import { contacts as t } from '../lib/strings'
import { draftFrom, invalidLinks, isEmptyPatch, linesToList, patchFromDraft, type Draft, type DraftField } from './patch'

export interface PanelIO {
  detail(id: number): Promise<ContactDetail>
  update(id: number, patch: ContactPatch): Promise<Contact>
}

export class PanelStore {
  id = $state<number | null>(null)
  contact = $state<Contact | null>(null)
  seen = $state<ContactDetail['seen']>([])
  loading = $state(false)
  error = $state('')
  editing = $state(false)
  draft = $state<Draft | null>(null)
  saving = $state(false)
  /** A problem with the draft (shown under the form). */
  formError = $state('')

  readonly #io: PanelIO
  #gen = 0

  constructor(io: PanelIO) {
    this.#io = io
  }

  get open(): boolean {
    return this.id !== null
  }

  /** Opens a contact; `preview` (its table row) shows at once while the details load. */
  show(id: number, preview?: Contact) {
    const gen = ++this.#gen
    this.id = id
    this.contact = preview ?? null
    this.seen = []
    this.error = ''
    this.editing = false
    this.draft = null
    this.formError = ''
    this.loading = true
    let request: Promise<ContactDetail>
    try {
      request = this.#io.detail(id)
    } catch (e) {
      request = Promise.reject(e)
    }
    request.then(
      (d) => {
        if (gen !== this.#gen) return
        this.loading = false
        if (d?.contact) this.contact = d.contact
        this.seen = Array.isArray(d?.seen) ? d.seen : []
      },
      (e: unknown) => {
        if (gen !== this.#gen) return
        this.loading = false
        this.error = errorMessage(e)
      },
    )
  }

  close() {
    this.#gen++
    this.id = null
    this.contact = null
    this.seen = []
    this.editing = false
    this.draft = null
    this.loading = false
    this.error = ''
    this.formError = ''
  }

  startEdit() {
    if (!this.contact) return
    this.draft = draftFrom(this.contact)
    this.formError = ''
    this.editing = true
  }

  setField(field: DraftField, value: string) {
    if (this.draft) this.draft[field] = value
  }

  cancelEdit() {
    this.editing = false
    this.draft = null
    this.formError = ''
  }

  /** The changes the form holds. */
  pendingPatch(): ContactPatch {
    if (!this.contact || !this.draft) return {}
    return patchFromDraft(this.contact, this.draft)
  }

  /**
   * Sends the changed fields; returns the updated contact (or the unchanged
   * one when nothing changed), null on a problem (formError says what).
   */
  async save(): Promise<Contact | null> {
    const id = this.id
    const current = this.contact
    if (id === null || !current || !this.draft) return null
    const bad = invalidLinks(linesToList(this.draft.same_as))
    if (bad.length > 0) {
      this.formError = t.invalidLink(bad.join(', '))
      return null
    }
    const patch = this.pendingPatch()
    if (isEmptyPatch(patch)) {
      this.cancelEdit()
      return current
    }
    const gen = this.#gen
    this.saving = true
    this.formError = ''
    try {
      const updated = await this.#io.update(id, patch)
      if (gen !== this.#gen) return updated
      this.contact = updated
      this.editing = false
      this.draft = null
      return updated
    } catch (e) {
      if (gen === this.#gen) this.formError = t.saveFailed(errorMessage(e))
      return null
    } finally {
      if (gen === this.#gen) this.saving = false
    }
  }
}
