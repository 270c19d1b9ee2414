// Which contacts an action applies to.
//
// * explicit: rows ticked one by one → those ids;
// * all: the header checkbox → every row the filters select, without
//   fetching their ids (Selection.ids = []), minus the rows unticked since
//   (Selection.except);
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
  /** Rows unticked while every filtered row is selected. */
  readonly #except = new SvelteSet<number>()
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
    return this.#all ? !this.#except.has(id) : this.#ids.has(id)
  }

  /** Ticks or unticks a row; after "select all" it unticks that row alone. */
  toggle(id: number) {
    if (this.#all) {
      if (this.#except.has(id)) this.#except.delete(id)
      else this.#except.add(id)
      return
    }
    if (this.#ids.has(id)) this.#ids.delete(id)
    else this.#ids.add(id)
  }

  /** The header checkbox: every filtered row, or nothing when every one already is. */
  toggleAll() {
    if (this.#all && this.#except.size === 0) this.clear()
    else this.selectAllFiltered()
  }

  selectAllFiltered() {
    this.#ids.clear()
    this.#except.clear()
    this.#all = true
  }

  clear() {
    this.#all = false
    this.#ids.clear()
    this.#except.clear()
  }

  /** Forget removed contacts. */
  forget(ids: readonly number[]) {
    for (const id of ids) {
      this.#ids.delete(id)
      this.#except.delete(id)
    }
  }

  /** Header checkbox look. */
  get headerState(): 'checked' | 'mixed' | 'unchecked' {
    if (this.#all) return this.#except.size > 0 ? 'mixed' : 'checked'
    return this.#ids.size > 0 ? 'mixed' : 'unchecked'
  }

  get scope(): SelectionScope {
    return this.mode === 'explicit' ? 'explicit' : 'filtered'
  }

  /** How many contacts an action would touch, given the filtered total. */
  count(total: number): number {
    if (this.#all) return Math.max(0, total - this.#except.size)
    return this.mode === 'explicit' ? this.#ids.size : total
  }

  /** Ticked rows, for the counter ("n selected of N"); 0 when nothing is. */
  selectedCount(total: number): number {
    if (this.#all) return Math.max(0, total - this.#except.size)
    return this.#ids.size
  }

  /** The Selection for export and drag: ticked ids, else every filtered row (but the unticked). */
  toSelection(q: ContactQuery): Selection {
    const except = this.#all ? [...this.#except].sort((a, b) => a - b) : []
    return { ids: this.mode === 'explicit' ? this.ids : [], except, query: selectionQuery(q) }
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
