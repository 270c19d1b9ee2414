// The frontend talks only to the Go facade (app.go) bound by Wails, and to
// its progress events. Types mirror the Go structs.

export interface Contact {
  email: string
  name: string
  tags: string[]
  occurrence: number
  temperature: number
  recency: string | null
}

export interface ContactPage {
  total: number
  contacts: Contact[]
}

export interface Progress {
  phase: 'listing' | 'counting' | 'mining' | 'ranking' | 'done'
  folder?: string
  done: number
  total: number
  contacts: number
  new_contacts: number
  rate: number
  eta_seconds: number
}

interface Backend {
  MineDemo(): Promise<void>
  HaltMining(): Promise<void>
  Contacts(query: { all: boolean; search: string; limit: number; offset: number }): Promise<ContactPage>
}

interface WailsRuntime {
  EventsOn(name: string, cb: (...data: unknown[]) => void): () => void
}

declare global {
  interface Window {
    go?: { main?: { App?: Backend } }
    runtime?: WailsRuntime
  }
}

export function backend(): Backend {
  const app = window.go?.main?.App
  if (!app) throw new Error('backend not connected')
  return app
}

export function onEvent<T>(name: string, cb: (data: T) => void): () => void {
  if (!window.runtime) return () => {}
  return window.runtime.EventsOn(name, (data) => cb(data as T))
}
