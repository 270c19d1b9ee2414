// One short message at a time at the bottom of the screen.

export type ToastKind = 'info' | 'error'

export class ToastStore {
  message = $state('')
  kind = $state<ToastKind>('info')
  #timer: ReturnType<typeof setTimeout> | undefined

  show(message: string, kind: ToastKind = 'info', ms = kind === 'error' ? 8000 : 5000) {
    this.message = message
    this.kind = kind
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.dismiss(), ms)
  }

  dismiss() {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    this.message = ''
  }
}
