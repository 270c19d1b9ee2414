import { describe, expect, it } from 'vitest'
import { emptyQuery } from '../lib/api'
import { SelectionStore, singleSelection } from './selection.svelte'

const query = { ...emptyQuery(), search: 'acme', offset: 200, limit: 100 }

describe('SelectionStore', () => {
  it('starts empty: actions cover every filtered row, Remove is not allowed', () => {
    const s = new SelectionStore()
    expect(s.mode).toBe('none')
    expect(s.scope).toBe('filtered')
    expect(s.count(1234)).toBe(1234)
    expect(s.selectedCount(1234)).toBe(0)
    expect(s.toSelection(query)).toEqual({ ids: [], except: [], query: { ...query, offset: 0, limit: 0 } })
    expect(s.canRemove).toBe(false)
    expect(s.removeSelection(query)).toBeNull()
    expect(s.headerState).toBe('unchecked')
  })

  it('explicit selection: those ids, in order', () => {
    const s = new SelectionStore()
    s.toggle(9)
    s.toggle(3)
    s.toggle(5)
    s.toggle(9) // untick
    expect(s.mode).toBe('explicit')
    expect(s.isSelected(3)).toBe(true)
    expect(s.isSelected(9)).toBe(false)
    expect(s.count(1234)).toBe(2)
    expect(s.selectedCount(1234)).toBe(2)
    expect(s.toSelection(query).ids).toEqual([3, 5])
    expect(s.toSelection(query).query.limit).toBe(0)
    expect(s.canRemove).toBe(true)
    expect(s.removeSelection(query)?.ids).toEqual([3, 5])
    expect(s.headerState).toBe('mixed')
  })

  it('header checkbox: every filtered row, without ids', () => {
    const s = new SelectionStore()
    s.toggle(3)
    s.toggleAll()
    expect(s.mode).toBe('all')
    expect(s.isSelected(3)).toBe(true)
    expect(s.isSelected(99_999)).toBe(true)
    expect(s.count(1234)).toBe(1234)
    expect(s.selectedCount(1234)).toBe(1234)
    expect(s.toSelection(query)).toEqual({ ids: [], except: [], query: { ...query, offset: 0, limit: 0 } })
    expect(s.canRemove).toBe(true) // a deliberate choice
    expect(s.removeSelection(query)?.ids).toEqual([])
    expect(s.headerState).toBe('checked')
    s.toggleAll()
    expect(s.mode).toBe('none')
  })

  it('unticking rows after "select all" leaves out those rows alone', () => {
    const s = new SelectionStore()
    s.selectAllFiltered()
    s.toggle(7)
    s.toggle(3)
    expect(s.mode).toBe('all')
    expect(s.isSelected(7)).toBe(false)
    expect(s.isSelected(8)).toBe(true)
    expect(s.count(100)).toBe(98)
    expect(s.selectedCount(100)).toBe(98)
    expect(s.headerState).toBe('mixed')
    expect(s.toSelection(query)).toEqual({ ids: [], except: [3, 7], query: { ...query, offset: 0, limit: 0 } })
    expect(s.removeSelection(query)?.except).toEqual([3, 7])
    s.toggle(7) // ticked again
    expect(s.isSelected(7)).toBe(true)
    expect(s.toSelection(query).except).toEqual([3])
    s.toggleAll() // the mixed header selects every row again
    expect(s.headerState).toBe('checked')
    expect(s.toSelection(query).except).toEqual([])
    s.toggle(5)
    s.forget([5]) // removed: nothing left to leave out
    expect(s.toSelection(query).except).toEqual([])
    s.toggleAll()
    expect(s.mode).toBe('none')
  })

  it('forget drops removed ids; clear drops everything', () => {
    const s = new SelectionStore()
    s.toggle(1)
    s.toggle(2)
    s.forget([1])
    expect(s.ids).toEqual([2])
    s.clear()
    expect(s.mode).toBe('none')
  })

  it('singleSelection: one contact from the panel', () => {
    expect(singleSelection(42, query)).toEqual({ ids: [42], query: { ...query, offset: 0, limit: 0 } })
  })
})
