// Human durations: the ETA of a mining run and the length of a finished one.
import { wizard as s } from '../lib/strings'

/**
 * The time left, rounded like the hosted product: up to 5 s "< 5 seconds";
 * then up to a minute, rounded up to 5 s; up to 10 minutes, to the minute;
 * up to 58 minutes, to 5 minutes; 58–63 min "1 hour"; beyond, hours and
 * minutes rounded to 5. "" when unknown (negative or not a number).
 */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return ''
  if (seconds <= 5) return s.time.lessThan5s
  if (seconds < 55) return s.time.seconds(Math.ceil(seconds / 5) * 5)
  if (seconds <= 600) return s.time.minutes(Math.max(1, Math.round(seconds / 60)))
  if (seconds < 58 * 60) return s.time.minutes(Math.round(seconds / 300) * 5)
  if (seconds < 63 * 60) return s.time.hours(1)
  const minutes = Math.round(seconds / 300) * 5
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return m === 0 ? s.time.hours(h) : `${s.time.hours(h)} ${s.time.minutes(m)}`
}

/** How long a run took, from Go's nanoseconds: "42 seconds", "3 minutes 12 seconds", "1 hour 4 minutes". */
export function formatDuration(ns: number): string {
  const total = Math.round(ns / 1e9)
  if (!Number.isFinite(total) || total < 1) return s.time.lessThan1s
  if (total < 60) return s.time.seconds(total)
  if (total < 3600) {
    const m = Math.floor(total / 60)
    const sec = total % 60
    return sec === 0 ? s.time.minutes(m) : `${s.time.minutes(m)} ${s.time.seconds(sec)}`
  }
  const h = Math.floor(total / 3600)
  const m = Math.round((total % 3600) / 60)
  if (m === 60) return s.time.hours(h + 1)
  return m === 0 ? s.time.hours(h) : `${s.time.hours(h)} ${s.time.minutes(m)}`
}
