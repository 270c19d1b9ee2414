// Dragging a CSV out of the window: what goes into the DataTransfer for a
// file the backend already wrote (PrepareDragExport).

export const DRAG_FILE_NAME = 'contacts.csv'

/**
 * A file:// URL for an absolute path: encodeURI, plus "?" and "#" (which
 * encodeURI keeps but which would end the path). Windows paths
 * (C:\dir\f.csv) become file:///C:/dir/f.csv.
 */
export function fileUrl(path: string): string {
  let p = path
  if (/^[A-Za-z]:[\\/]/.test(p)) p = '/' + p.replace(/\\/g, '/')
  return 'file://' + encodeURI(p).replace(/[?#]/g, (ch) => encodeURIComponent(ch))
}

export interface DragPayload {
  /** MIME type → data, in the order they are set. */
  data: [string, string][]
  effectAllowed: 'copy'
}

export function dragPayload(path: string): DragPayload {
  const url = fileUrl(path)
  return {
    data: [
      ['text/uri-list', url],
      ['text/plain', path],
      ['DownloadURL', `text/csv:${DRAG_FILE_NAME}:${url}`],
    ],
    effectAllowed: 'copy',
  }
}

/** The part of DataTransfer a drag start touches. */
export interface DataTransferLike {
  setData(format: string, data: string): void
  effectAllowed: DataTransfer['effectAllowed']
}

export function applyDragPayload(dt: DataTransferLike, p: DragPayload) {
  for (const [type, value] of p.data) dt.setData(type, value)
  dt.effectAllowed = p.effectAllowed
}
