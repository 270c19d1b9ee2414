import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { debounce, throttle } from './timing'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('debounce', () => {
  it('runs once with the last arguments after the quiet period', () => {
    const fn = vi.fn()
    const d = debounce(fn, 250)
    d('a')
    vi.advanceTimersByTime(200)
    d('ab')
    vi.advanceTimersByTime(200)
    expect(fn).not.toHaveBeenCalled()
    vi.advanceTimersByTime(50)
    expect(fn).toHaveBeenCalledExactlyOnceWith('ab')
  })
  it('cancel drops, flush runs now', () => {
    const fn = vi.fn()
    const d = debounce(fn, 250)
    d(1)
    d.cancel()
    vi.advanceTimersByTime(300)
    expect(fn).not.toHaveBeenCalled()
    d(2)
    d.flush()
    expect(fn).toHaveBeenCalledExactlyOnceWith(2)
  })
})

describe('throttle', () => {
  it('runs at once, then at most once per period, with a trailing call', () => {
    const fn = vi.fn()
    const t = throttle(fn, 2000)
    t(1)
    expect(fn).toHaveBeenCalledTimes(1)
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(150)
      t(i + 2)
    }
    expect(fn).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(2000)
    expect(fn).toHaveBeenCalledTimes(2)
    expect(fn).toHaveBeenLastCalledWith(11)
    vi.advanceTimersByTime(5000)
    expect(fn).toHaveBeenCalledTimes(2)
  })
})
