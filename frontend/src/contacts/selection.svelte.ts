// Which contacts an action applies to.
//
// * explicit: rows ticked one by one → those ids;
// * all: the header checkbox → every row the filters select, without
//   fetching their ids (Selection.ids = []);
// * none: nothing ticked → actions (export, drag) still apply to every
//   row the filters select, as in the hosted product; Remove does not.
import { SvelteSet } from 'svelte/reactivity'
import type { ContactQuery, Selection } from '../lib/api'
import { selectionQuery } from './query'

export type SelectionMode = 'none' | 'explicit' | 'all'
/** What an export/drag covers: ticked ids, or every filtered row. */
export type SelectionScope = 'explicit' | 'filtered'

export class SelectionStore {
  readonly #ids = new SvelteSet<number>()
  #all = $state(false)

  get mode(): SelectionMode {
    if (this.#all) return 'all'
    return this.#ids.size > 0 ? 'explicit' : 'none'
  }

  /** Ticked ids, ascending. */
  get ids(): number[] {
    return [...this.#ids].sort((a, b) => a - b)
  }

  isSelected(id: number): boolean {
    return this.#all || this.#ids.has(id)
  }

  /**
   * Ticks or unticks a row. In "all" mode the API cannot say "all but
   * these", so unticking a row leaves that mode with nothing selected.
   */
  toggle(id: number) {
    if (this.#all) {
      this.clear()
      return
    }
    if (this.#ids.has(id)) this.#ids.delete(id)
    else this.#ids.add(id)
  }

  /** The header checkbox: every filtered row, or nothing when already all. */
  toggleAll() {
    if (this.#all) this.clear()
    else this.selectAllFiltered()
  }

  selectAllFiltered() {
    this.#ids.clear()
    this.#all = true
  }

  clear() {
    this.#all = false
    this.#ids.clear()
  }

  /** Forget removed contacts. */
  forget(ids: readonly number[]) {
    for (const id of ids) this.#ids.delete(id)
  }

  /** Header checkbox look. */
  get headerState(): 'checked' | 'mixed' | 'unchecked' {
    if (this.#all) return 'checked'
    return this.#ids.size > 0 ? 'mixed' : 'unchecked'
  }

  get scope(): SelectionScope {
    return this.mode === 'explicit' ? 'explicit' : 'filtered'
  }

  /** How many contacts an action would touch, given the filtered total. */
  count(total: number): number {
    return this.mode === 'explicit' ? this.#ids.size : total
  }

  /** Ticked rows, for the counter ("n selected of N"); 0 when nothing is. */
  selectedCount(total: number): number {
    if (this.#all) return total
    return this.#ids.size
  }

  /** The Selection for export and drag: ticked ids, else every filtered row. */
  toSelection(q: ContactQuery): Selection {
    return { ids: this.mode === 'explicit' ? this.ids : [], query: selectionQuery(q) }
  }

  /** Remove needs a deliberate choice: ticked rows or the header checkbox. */
  get canRemove(): boolean {
    return this.mode !== 'none'
  }

  /** The Selection for Remove, or null when nothing was chosen. */
  removeSelection(q: ContactQuery): Selection | null {
    if (!this.canRemove) return null
    return this.toSelection(q)
  }
}

/** One contact from the panel. */
export function singleSelection(id: number, q: ContactQuery): Selection {
  return { ids: [id], query: selectionQuery(q) }
}
