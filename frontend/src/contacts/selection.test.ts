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
    expect(s.toSelection(query)).toEqual({ ids: [], query: { ...query, offset: 0, limit: 0 } })
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
    expect(s.toSelection(query)).toEqual({ ids: [], query: { ...query, offset: 0, limit: 0 } })
    expect(s.canRemove).toBe(true) // a deliberate choice
    expect(s.removeSelection(query)?.ids).toEqual([])
    expect(s.headerState).toBe('checked')
    s.toggleAll()
    expect(s.mode).toBe('none')
  })

  it('unticking a row in "all" mode leaves it with nothing selected', () => {
    const s = new SelectionStore()
    s.selectAllFiltered()
    s.toggle(7)
    expect(s.mode).toBe('none')
    expect(s.isSelected(7)).toBe(false)
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
