import { describe, expect, it, vi } from 'vitest'
import { PanelStore } from './panel.svelte'
import { draftFrom, invalidLinks, linesToList, patchFromDraft } from './patch'
import { contact, settle } from './testing'

const ada = contact(1, {
  name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace', alternate_names: ['Ada King'],
  telephone: ['+44 20 7946 0000'], works_for: 'Analytical Engines', same_as: ['https://example.org/ada'],
})

describe('patchFromDraft', () => {
  it('is empty when nothing changed', () => {
    expect(patchFromDraft(ada, draftFrom(ada))).toEqual({})
  })
  it('holds only the changed fields, trimmed', () => {
    const d = draftFrom(ada)
    d.job_title = '  Mathematician '
    d.telephone = '+44 20 7946 0000\n\n 020 7946 0001 \n'
    expect(patchFromDraft(ada, d)).toEqual({ job_title: 'Mathematician', telephone: ['+44 20 7946 0000', '020 7946 0001'] })
  })
  it('clearing a field sends it empty', () => {
    const d = draftFrom(ada)
    d.works_for = ''
    d.alternate_names = ''
    expect(patchFromDraft(ada, d)).toEqual({ works_for: '', alternate_names: [] })
  })
  it('whitespace-only edits are no change', () => {
    const d = draftFrom(ada)
    d.name = 'Ada Lovelace  '
    d.same_as = 'https://example.org/ada\n'
    expect(patchFromDraft(ada, d)).toEqual({})
  })
  it('linesToList trims, drops blanks and repeats', () => {
    expect(linesToList(' a \r\n\nb\na\n')).toEqual(['a', 'b'])
  })
  it('only http(s) links are valid', () => {
    expect(invalidLinks(['https://x.org/a', 'http://y.org', 'javascript:alert(1)', 'ftp://z', 'nope'])).toEqual([
      'javascript:alert(1)', 'ftp://z', 'nope',
    ])
  })
})

describe('PanelStore', () => {
  function store() {
    const io = {
      detail: vi.fn(async (id: number) => ({ contact: { ...ada, id }, seen: [] })),
      update: vi.fn(async (id: number, patch: object) => ({ ...ada, ...patch, id })),
    }
    return { io, panel: new PanelStore(io) }
  }

  it('save sends only the changed fields and updates the contact', async () => {
    const { io, panel } = store()
    panel.show(1, ada)
    await settle()
    panel.startEdit()
    panel.setField('job_title', 'Mathematician')
    const updated = await panel.save()
    expect(io.update).toHaveBeenCalledExactlyOnceWith(1, { job_title: 'Mathematician' })
    expect(updated?.job_title).toBe('Mathematician')
    expect(panel.contact?.job_title).toBe('Mathematician')
    expect(panel.editing).toBe(false)
  })

  it('save without a change sends nothing', async () => {
    const { io, panel } = store()
    panel.show(1, ada)
    await settle()
    panel.startEdit()
    await panel.save()
    expect(io.update).not.toHaveBeenCalled()
    expect(panel.editing).toBe(false)
  })

  it('refuses links that are not web addresses', async () => {
    const { io, panel } = store()
    panel.show(1, ada)
    panel.startEdit()
    panel.setField('same_as', 'javascript:alert(1)')
    expect(await panel.save()).toBeNull()
    expect(panel.formError).toContain('javascript:alert(1)')
    expect(io.update).not.toHaveBeenCalled()
  })

  it('a late detail for a previous contact is ignored', async () => {
    const { panel } = store()
    panel.show(1, ada)
    panel.show(2, contact(2))
    await settle()
    expect(panel.contact?.id).toBe(2)
  })
})
