// Pure display helpers, tested on their own.

export function displayName(c: { name: string; email: string }): string {
  return c.name.trim() !== '' ? c.name : c.email
}

export function progressPercent(done: number, total: number): number {
  if (total <= 0) return 0
  return Math.min(100, Math.round((100 * done) / total))
}

export function formatRate(rate: number): string {
  return rate >= 100 ? Math.round(rate).toLocaleString('en') : rate.toFixed(1)
}
