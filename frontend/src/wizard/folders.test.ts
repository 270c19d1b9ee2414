import { describe, expect, it } from 'vitest'
import {
  buildFolderTree,
  checkState,
  defaultSelection,
  selectableNames,
  selectedNames,
  selectedTotal,
  subtreeCount,
  toggleNode,
  type FolderNode,
} from './folders'
import { folder } from './testing'

const list = [
  folder('INBOX', { count: 100 }),
  folder('INBOX/Clients', { count: 20 }),
  folder('INBOX/Clients/Acme', { count: 5 }),
  folder('[Gmail]', { selectable: false, default: false, count: -1 }),
  folder('[Gmail]/Sent Mail', { count: 40, special_use: '\\Sent' }),
  folder('[Gmail]/Trash', { count: 7, default: false, special_use: '\\Trash' }),
  folder('Archive/2023', { count: 30, default: false }),
  folder('Unknown', { count: -1 }),
]

function find(nodes: FolderNode[], path: string): FolderNode {
  for (const n of nodes) {
    if (n.path === path) return n
    if (path.startsWith(n.path + '/')) return find(n.children, path)
  }
  throw new Error(`no node ${path}`)
}

describe('buildFolderTree', () => {
  const tree = buildFolderTree(list)

  it('nests names on "/" in the backend order', () => {
    expect(tree.map((n) => n.label)).toEqual(['INBOX', '[Gmail]', 'Archive', 'Unknown'])
    expect(find(tree, 'INBOX').children.map((n) => n.label)).toEqual(['Clients'])
    expect(find(tree, 'INBOX/Clients').children.map((n) => n.path)).toEqual(['INBOX/Clients/Acme'])
    expect(find(tree, '[Gmail]').children.map((n) => n.label)).toEqual(['Sent Mail', 'Trash'])
  })

  it('creates folder-less parents for names only known from their children', () => {
    const archive = find(tree, 'Archive')
    expect(archive.folder).toBeNull()
    expect(archive.children[0].folder?.name).toBe('Archive/2023')
  })

  it("nests on the server's own delimiter and keeps '/' inside such a name", () => {
    const t = buildFolderTree([
      folder('INBOX', { delimiter: '.' }),
      folder('INBOX.Clients', { delimiter: '.' }),
      folder('INBOX.Clients.Acme/Beta', { delimiter: '.' }),
    ])
    expect(t.map((n) => n.label)).toEqual(['INBOX'])
    expect(t[0].children.map((n) => n.path)).toEqual(['INBOX.Clients'])
    expect(t[0].children[0].children.map((n) => n.label)).toEqual(['Acme/Beta'])
    expect(t[0].children[0].children[0].folder?.name).toBe('INBOX.Clients.Acme/Beta')
  })

  it('fills a parent listed after its child', () => {
    const t = buildFolderTree([folder('A/B'), folder('A', { count: 3 })])
    expect(t).toHaveLength(1)
    expect(t[0].folder?.count).toBe(3)
    expect(t[0].children[0].path).toBe('A/B')
  })

  it('ignores empty parts', () => {
    const t = buildFolderTree([folder('/Lead/'), folder('')])
    expect(t.map((n) => n.path)).toEqual(['Lead'])
    expect(t[0].folder?.name).toBe('/Lead/')
  })

  it('counts the subtree', () => {
    expect(subtreeCount(find(tree, 'INBOX'))).toBe(125)
    expect(subtreeCount(find(tree, '[Gmail]'))).toBe(47)
  })

  it('leaves Noselect folders out of the selectable names', () => {
    expect(selectableNames(find(tree, '[Gmail]'))).toEqual(['[Gmail]/Sent Mail', '[Gmail]/Trash'])
  })
})

describe('selection', () => {
  const tree = buildFolderTree(list)

  it('starts from the default, without Noselect folders', () => {
    expect(defaultSelection(list)).toEqual(['INBOX', 'INBOX/Clients', 'INBOX/Clients/Acme', '[Gmail]/Sent Mail', 'Unknown'])
  })

  it('shows parents as checked, partial or unchecked', () => {
    const sel = new Set(defaultSelection(list))
    expect(checkState(find(tree, 'INBOX'), sel)).toBe('checked')
    expect(checkState(find(tree, '[Gmail]'), sel)).toBe('partial')
    expect(checkState(find(tree, 'Archive'), sel)).toBe('unchecked')
    expect(checkState(find(tree, 'INBOX/Clients/Acme'), sel)).toBe('checked')
    expect(checkState(buildFolderTree([folder('X', { selectable: false })])[0], sel)).toBe('none')
  })

  it('toggles a whole subtree: partial fills, checked clears', () => {
    const sel = new Set(defaultSelection(list))
    const filled = toggleNode(find(tree, '[Gmail]'), sel)
    expect(filled.has('[Gmail]/Trash')).toBe(true)
    expect(filled.has('[Gmail]')).toBe(false)
    const cleared = toggleNode(find(tree, 'INBOX'), sel)
    expect([...cleared].sort()).toEqual(['Unknown', '[Gmail]/Sent Mail'])
    expect(sel.has('INBOX')).toBe(true) // the input is not changed
  })

  it('unchecking a child makes the parent partial', () => {
    const sel = toggleNode(find(tree, 'INBOX/Clients/Acme'), new Set(defaultSelection(list)))
    expect(checkState(find(tree, 'INBOX'), sel)).toBe('partial')
    expect(checkState(find(tree, 'INBOX/Clients'), sel)).toBe('partial')
  })

  it('totals the selected messages, unknown counts apart', () => {
    const sel = new Set(defaultSelection(list))
    expect(selectedTotal(list, sel)).toEqual({ folders: 5, messages: 165, unknown: 1 })
    expect(selectedTotal(list, new Set())).toEqual({ folders: 0, messages: 0, unknown: 0 })
  })

  it('sends only selectable names in the backend order', () => {
    expect(selectedNames(list, new Set(['Unknown', '[Gmail]', 'INBOX', 'gone']))).toEqual(['INBOX', 'Unknown'])
  })
})
