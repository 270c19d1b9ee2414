// Transient screen state: the open header-filter popover and the pending
// removal confirmation.
import type { Selection } from '../lib/api'
import type { ColumnKey } from './columns'

export interface FilterPopoverState {
  key: ColumnKey
  top: number
  left: number
  /** The button that opened it, to give focus back. */
  anchor: HTMLElement | null
}

export interface PendingRemove {
  selection: Selection
  /** Contacts it removes, for the message. */
  count: number
  /** Set when removing the panel's contact: its name. */
  name: string | null
}

export class UIStore {
  filter = $state<FilterPopoverState | null>(null)
  confirm = $state<PendingRemove | null>(null)

  openFilter(key: ColumnKey, anchor: HTMLElement) {
    const r = anchor.getBoundingClientRect()
    const width = 280
    const left = Math.max(8, Math.min(r.left, (globalThis.innerWidth || 1024) - width - 8))
    this.filter = { key, top: r.bottom + 4, left, anchor }
  }

  closeFilter(restoreFocus = true) {
    const anchor = this.filter?.anchor
    this.filter = null
    if (restoreFocus) anchor?.focus()
  }
}
