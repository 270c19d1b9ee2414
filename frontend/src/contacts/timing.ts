// Small timer helpers with a cancel, so stores can drop pending work.

export interface Deferred<A extends unknown[]> {
  (...args: A): void
  cancel(): void
  /** Runs a pending call now. */
  flush(): void
}

/** Calls fn once `ms` after the last call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Deferred<A> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let pending: A | undefined
  const run = () => {
    timer = undefined
    const args = pending
    pending = undefined
    if (args) fn(...args)
  }
  const d = (...args: A) => {
    pending = args
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(run, ms)
  }
  d.cancel = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    pending = undefined
  }
  d.flush = () => {
    if (timer !== undefined) clearTimeout(timer)
    run()
  }
  return d
}

/** Calls fn at once, then at most once every `ms`; a call during the wait runs when it ends. */
export function throttle<A extends unknown[]>(fn: (...args: A) => void, ms: number): Deferred<A> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let pending: A | undefined
  const tick = () => {
    if (pending) {
      const args = pending
      pending = undefined
      fn(...args)
      timer = setTimeout(tick, ms)
    } else {
      timer = undefined
    }
  }
  const t = (...args: A) => {
    if (timer === undefined) {
      fn(...args)
      timer = setTimeout(tick, ms)
    } else {
      pending = args
    }
  }
  t.cancel = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    pending = undefined
  }
  t.flush = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    const args = pending
    pending = undefined
    if (args) fn(...args)
  }
  return t
}
