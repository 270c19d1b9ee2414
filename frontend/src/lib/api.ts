// The frontend talks only to the Go facade (app.go, bound by Wails as
// window.go.main.App) and to its events (window.runtime.EventsOn). The
// types below mirror the Go structs' JSON; keep them in step with app.go.

// ---- Sources and accounts -------------------------------------------------

export type Security = 'implicit' | 'starttls' | 'none'

/** Settings detected for an address (a well-known provider, or a guess). */
export interface ProviderSettings {
  provider: string // "Gmail", "Outlook.com", "Fastmail"… or "" when unknown
  host: string
  port: number
  security: Security
  /** Set for providers where a password often fails and sign-in is OAuth (a later issue). */
  oauth: '' | 'google' | 'microsoft'
  /** A hint shown under the password field (e.g. "use an app password"). */
  note: string
  /** How they were found: built-in, mx, srv, autoconfig or guess. */
  source?: string
  /** Lookups that are switched off in Privacy and might have found them ("dns", "autoconfig"). */
  skipped?: string[] | null
}

export type OAuthProvider = 'google' | 'microsoft'

/** A sign-in provider; configured is false when this copy has no client id for it. */
export interface SignInProvider {
  id: OAuthProvider
  name: string
  configured: boolean
}

/** A mailbox the user added, or a local folder/file already mined. */
export interface Account {
  id: number
  kind: 'imap' | 'maildir' | 'mbox' | 'eml' | 'demo'
  label: string // what to show: the address, or the path
  uri: string // what to pass to Folders / StartMining
  /** How an IMAP account signs in: "" with a password, else the provider. */
  auth?: '' | OAuthProvider
  status: 'ready' | 'needs-password' | 'needs-reconnect' | 'mining' | 'error'
  status_message: string
  last_mined: string | null // RFC 3339
  contacts: number
}

export interface IMAPForm {
  email: string
  username: string // login; defaults to email when empty
  password: string
  host: string
  port: number
  security: Security
  trusted_cert: string // "sha256:…" when the user chose to trust a certificate
}

/** Result of Test connection: which field to fix when it failed. */
export interface TestResult {
  ok: boolean
  field: '' | 'email' | 'username' | 'password' | 'host' | 'port' | 'security'
  message: string
  /** The server certificate's fingerprint, when the certificate is not trusted. */
  fingerprint: string
}

// ---- Mining ---------------------------------------------------------------

export interface Folder {
  name: string
  count: number // -1 when unknown
  special_use: string
  selectable: boolean
  default: boolean // part of the default selection
  delimiter?: string // separates the levels of name when it is not "/" (IMAP servers often use ".")
}

export interface MineRequest {
  uri: string
  folders: string[] // empty = default selection
}

export interface Progress {
  phase: 'listing' | 'counting' | 'mining' | 'ranking' | 'done'
  folder?: string
  done: number
  total: number
  fetched: number
  folder_done: number
  folder_total: number
  contacts: number
  new_contacts: number
  duplicates: number
  skipped: number
  rate: number // messages per second
  eta_seconds: number
}

export interface Summary {
  run_id: number
  source: string
  folders: string[]
  messages: number
  new_messages: number
  duplicates: number
  skipped: number
  new_contacts: number
  contacts: number
  duration_ns: number
  canceled: boolean
}

/** What the backend is doing; the window asks on load to reattach. */
export interface MiningState {
  running: boolean
  uri: string
  request: MineRequest | null
  progress: Progress | null
  summary: Summary | null
  error: string
}

// ---- Contacts -------------------------------------------------------------

export interface Contact {
  id: number
  email: string
  name: string
  given_name: string
  family_name: string
  alternate_names: string[]
  alternate_emails: string[]
  tags: string[]
  occurrence: number
  sender: number
  recipient: number
  conversations: number
  replied_conversations: number
  recency: string | null
  seniority: string | null
  temperature: number
  status: string
  consent_status: string
  sources: string[]
  telephone: string[]
  works_for: string
  job_title: string
  location: string
  same_as: string[]
}

/** Columns the table can sort on (server-side). */
export type SortColumn =
  | 'contact' | 'email' | 'name' | 'occurrence' | 'recency' | 'seniority' | 'replied_conversations'
  | 'temperature' | 'sender' | 'recipient' | 'conversations' | 'status' | 'consent_status'
  | 'works_for' | 'job_title' | 'location'

export interface QuickFilters {
  hide_unreachable: boolean // status not INVALID/RISKY
  hide_unsubscribed: boolean // consent not opt_out
  recent: boolean // seen in the last 3 years
  replied: boolean // replied_conversations >= 1
  has_name: boolean
  has_phone: boolean
  has_job: boolean // job_title or works_for
  show_hidden: boolean // include no-reply, transactional, newsletters…
}

export type FilterOp = 'contains' | 'gte' | 'after' | 'in'

export interface ColumnFilter {
  column: SortColumn | 'tags' | 'sources' | 'telephone' | 'alternate_names'
  op: FilterOp
  /** contains: text; gte: a number as text; after: YYYY-MM-DD; in: values. */
  value: string
  values: string[]
}

export interface ContactQuery {
  search: string
  sort: { column: SortColumn; desc: boolean } | null // null: rank order
  quick: QuickFilters
  filters: ColumnFilter[]
  offset: number
  limit: number
}

export interface ContactPage {
  total: number
  contacts: Contact[]
}

export interface Sighting {
  source: string
  folder: string
  count: number
  first: string | null
  last: string | null
}

export interface ContactDetail {
  contact: Contact
  seen: Sighting[]
}

/** Fields the panel can edit; only those present are changed. */
export interface ContactPatch {
  name?: string
  given_name?: string
  family_name?: string
  alternate_names?: string[]
  telephone?: string[]
  works_for?: string
  job_title?: string
  location?: string
  same_as?: string[]
}

/** Selection rules: explicit ids, else every contact the query selects. */
export interface Selection {
  ids: number[]
  /** After "select all": rows unticked since, left out. */
  except?: number[]
  query: ContactQuery
}

export interface ExportOptions {
  format: 'csv' | 'vcard' | 'json'
  delimiter: ',' | ';' | '\t'
  bom: boolean
  vcard_version: '4.0' | '3.0'
}

export interface ExportResult {
  path: string // "" when the user cancelled the save dialog
  count: number
}

// ---- The facade -----------------------------------------------------------

export interface Backend {
  // sources
  Accounts(): Promise<Account[]>
  DetectIMAP(email: string): Promise<ProviderSettings>
  TestIMAP(form: IMAPForm): Promise<TestResult>
  AddIMAPAccount(form: IMAPForm): Promise<Account>
  RemoveAccount(id: number): Promise<void>
  /** Signs in in the system browser; resolves when the browser comes back (or fails, or CancelSignIn). */
  SignIn(provider: OAuthProvider, email: string): Promise<Account>
  ReconnectAccount(id: number): Promise<Account>
  CancelSignIn(): Promise<void>
  SignInProviders(): Promise<SignInProvider[]>
  /** Saves your own OAuth app's client id (and Google's client secret) for a provider. */
  SetOAuthClient(provider: OAuthProvider, clientId: string, clientSecret: string): Promise<void>
  /** Native pickers; "" when cancelled. */
  ChooseMailFolder(): Promise<string>
  ChooseMailFile(): Promise<string>
  /** A local path (Maildir, mbox, folder of .eml) as a source. */
  AddLocalSource(path: string): Promise<Account>
  DemoSource(): Promise<Account>
  // mining
  Folders(uri: string): Promise<Folder[]>
  StartMining(req: MineRequest): Promise<void>
  HaltMining(): Promise<void>
  MiningState(): Promise<MiningState>
  // contacts
  QueryContacts(q: ContactQuery): Promise<ContactPage>
  ContactDetail(id: number): Promise<ContactDetail>
  UpdateContact(id: number, patch: ContactPatch): Promise<Contact>
  RemoveContacts(sel: Selection): Promise<number>
  Export(sel: Selection, opts: ExportOptions): Promise<ExportResult>
  /** Writes the selection to a temporary file for drag-and-drop; returns its absolute path. */
  PrepareDragExport(sel: Selection, opts: ExportOptions): Promise<string>
  /** Counts at start: a returning user lands on the contacts. */
  Overview(): Promise<{ contacts: number; visible: number; mining: boolean }>
  // preferences (column chooser, filters…), kept by the backend between runs
  LoadPrefs(): Promise<string> // JSON, "" when none
  SavePrefs(json: string): Promise<void>
}

/** Events the backend emits. */
export const events = {
  progress: 'mining:progress', // Progress
  done: 'mining:done', // Summary
  error: 'mining:error', // string (user-facing message)
  filesDropped: 'files:dropped', // string[] absolute paths dropped onto the window
} as const

interface WailsRuntime {
  EventsOn(name: string, cb: (...data: unknown[]) => void): () => void
}

declare global {
  interface Window {
    go?: { main?: { App?: Backend } }
    runtime?: WailsRuntime
  }
}

/** The bound facade; throws when the window runs without the Go backend. */
export function backend(): Backend {
  const app = window.go?.main?.App
  if (!app) throw new Error('backend not connected')
  return app
}

export function onEvent<T>(name: string, cb: (data: T) => void): () => void {
  if (!window.runtime) return () => {}
  return window.runtime.EventsOn(name, (data) => cb(data as T))
}

/** Wails rejects with a string; make it an Error message either way. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}

export const defaultQuick: QuickFilters = {
  hide_unreachable: true,
  hide_unsubscribed: true,
  recent: false,
  replied: false,
  has_name: false,
  has_phone: false,
  has_job: false,
  show_hidden: false,
}

export function emptyQuery(): ContactQuery {
  return { search: '', sort: null, quick: { ...defaultQuick }, filters: [], offset: 0, limit: 100 }
}

// ---- Privacy --------------------------------------------------------------

export interface Subprocessor {
  id: string
  name: string
  purpose: string
  data: string[] // categories of data sent
  region: string
  eea: boolean // the data stays in the European Economic Area
  website: string
  enabled: boolean
  last_used: string | null
}

export interface EgressEvent {
  id: number
  at: string
  subprocessor: string
  purpose: string
  records: number
  bytes_out: number
  outcome: string
}

/** A Do Not Mine Me entry: addresses are never kept, only a keyed hash. */
export interface Suppression {
  subject: string
  kind: 'address' | 'domain'
  reason: string // manual, import, erasure, objection, unsubscribe
  added_at: string
}

export interface SuppressResult {
  added: number
  ignored: string[]
}

export interface Retention {
  contact_months: number
  verification_days: number
  enrichment_months: number
}

export interface PurgeReport {
  marked_deleted: number
  purged: number
  messages: number
  at: string
}

export interface LedgerEntry {
  id: number
  basis: string
  purpose: string
  action: 'granted' | 'withdrawn' | 'objected' | 'restricted' | 'rectified' | 'erased'
  source: string
  evidence: Record<string, unknown>
  actor: string
  at: string
  policy_version: string
}

export interface ContactRights {
  consent_status: string
  restricted: boolean
  suppressed: boolean
  history: LedgerEntry[]
  /** "Where did you get my address?" (GDPR Art. 14). */
  source: string
  summary: string
}

export type Right = 'erase' | 'restrict' | 'object' | 'withdraw' | 'grant'

export interface PrivacyBackend {
  Subprocessors(): Promise<Subprocessor[]>
  SetSubprocessor(id: string, on: boolean): Promise<void>
  EgressLog(limit: number): Promise<EgressEvent[]>
  Suppressions(): Promise<Suppression[]>
  /** Addresses and @domains, one per line or comma-separated. */
  Suppress(text: string): Promise<SuppressResult>
  ImportSuppressions(): Promise<SuppressResult>
  RemoveSuppression(subject: string): Promise<void>
  Retention(): Promise<Retention>
  SetRetention(r: Retention): Promise<void>
  PurgeNow(): Promise<PurgeReport>
  ContactRights(id: number): Promise<ContactRights>
  /** Access / portability: a JSON file with everything held about the contact. */
  ExportContactData(id: number): Promise<ExportResult>
  ExerciseRight(id: number, right: Right, note: string): Promise<void>
  /** Deletes every file and keychain entry, then quits; confirm must be "DELETE". */
  DeleteAllData(confirm: string): Promise<void>
}

/** The bound facade with the Privacy methods. */
export function privacyBackend(): PrivacyBackend {
  return backend() as unknown as PrivacyBackend
}
