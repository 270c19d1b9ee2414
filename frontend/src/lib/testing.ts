// Helpers shared by the tests of every area (each area's testing.ts
// re-exports them beside its own fakes).
import { tick } from 'svelte'

/** Lets pending promises, the effects they trigger and Svelte updates run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await Promise.resolve()
    await new Promise((r) => setTimeout(r, 0))
    await tick()
  }
}

/** A promise resolved or rejected from outside. */
export function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}
