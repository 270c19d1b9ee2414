// The folder tree of the Mine step, built from the flat names the backend
// lists ("Archive/2023"), and the check state of its nodes.
import type { Folder } from '../lib/api'

export interface FolderNode {
  /** The last part of the name, what the tree shows. */
  label: string
  /** The path up to this node ("Archive/2023"). */
  path: string
  /** The folder itself; null for a parent only known from its children's names. */
  folder: Folder | null
  children: FolderNode[]
}

export type CheckState = 'checked' | 'unchecked' | 'partial' | 'none'

/**
 * Builds the tree in the backend's order; missing parents become folder-less
 * nodes. Each folder's own delimiter (an IMAP server's ".") wins over the default.
 */
export function buildFolderTree(folders: readonly Folder[], defaultDelimiter = '/'): FolderNode[] {
  const roots: FolderNode[] = []
  const byPath = new Map<string, FolderNode>()
  for (const f of folders) {
    const delimiter = f.delimiter || defaultDelimiter
    const parts = f.name.split(delimiter).filter((p) => p !== '')
    if (parts.length === 0) continue
    let siblings = roots
    let path = ''
    parts.forEach((part, i) => {
      path = i === 0 ? part : path + delimiter + part
      let node = byPath.get(path)
      if (!node) {
        node = { label: part, path, folder: null, children: [] }
        byPath.set(path, node)
        siblings.push(node)
      }
      if (i === parts.length - 1) node.folder = f
      siblings = node.children
    })
  }
  return roots
}

/** Whether the node can be checked itself (Noselect folders and virtual parents cannot). */
export function isSelectable(node: FolderNode): boolean {
  return node.folder !== null && node.folder.selectable
}

/** The names of the selectable folders in the node's subtree, itself included. */
export function selectableNames(node: FolderNode): string[] {
  const out: string[] = []
  const walk = (n: FolderNode) => {
    if (n.folder && n.folder.selectable) out.push(n.folder.name)
    n.children.forEach(walk)
  }
  walk(node)
  return out
}

/** checked: every selectable folder below (and at) the node is selected; partial: some; none: nothing to select. */
export function checkState(node: FolderNode, selected: ReadonlySet<string>): CheckState {
  const names = selectableNames(node)
  if (names.length === 0) return 'none'
  const n = names.filter((name) => selected.has(name)).length
  if (n === 0) return 'unchecked'
  return n === names.length ? 'checked' : 'partial'
}

/** The selection after clicking the node: a fully checked subtree clears, anything else fills. */
export function toggleNode(node: FolderNode, selected: ReadonlySet<string>): Set<string> {
  const next = new Set(selected)
  const all = checkState(node, selected) === 'checked'
  for (const name of selectableNames(node)) {
    if (all) next.delete(name)
    else next.add(name)
  }
  return next
}

/** Messages in the node's subtree (known counts only). */
export function subtreeCount(node: FolderNode): number {
  let n = node.folder && node.folder.count > 0 ? node.folder.count : 0
  for (const c of node.children) n += subtreeCount(c)
  return n
}

/** Whether any folder in the subtree has an unknown count. */
export function subtreeUnknown(node: FolderNode): boolean {
  if (node.folder && node.folder.selectable && node.folder.count < 0) return true
  return node.children.some(subtreeUnknown)
}

/** The backend's default selection, minus what cannot be mined. */
export function defaultSelection(folders: readonly Folder[]): string[] {
  return folders.filter((f) => f.default && f.selectable).map((f) => f.name)
}

export interface SelectedTotal {
  folders: number
  messages: number
  /** Selected folders whose count is unknown. */
  unknown: number
}

export function selectedTotal(folders: readonly Folder[], selected: ReadonlySet<string>): SelectedTotal {
  const t: SelectedTotal = { folders: 0, messages: 0, unknown: 0 }
  for (const f of folders) {
    if (!f.selectable || !selected.has(f.name)) continue
    t.folders++
    if (f.count < 0) t.unknown++
    else t.messages += f.count
  }
  return t
}

/** The selected names to mine, in the backend's order. */
export function selectedNames(folders: readonly Folder[], selected: ReadonlySet<string>): string[] {
  return folders.filter((f) => f.selectable && selected.has(f.name)).map((f) => f.name)
}
