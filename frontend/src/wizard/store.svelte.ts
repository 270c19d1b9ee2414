// The wizard's state: the step, the chosen source, the accounts list and the
// folders of the chosen source. One instance for the app, so it survives the
// Wizard being unmounted while the contacts are shown.
import { SvelteSet } from 'svelte/reactivity'
import { backend, errorMessage, events, onEvent, type Account, type Folder, type OAuthProvider, type SignInProvider } from '../lib/api'
import { nav } from '../lib/nav.svelte'
import { wizard as s } from '../lib/strings'
import { defaultSelection, selectedNames, toggleNode, type FolderNode } from './folders'
import { mining } from './mining.svelte'

export type Step = 'source' | 'mine'
export type SourceAction = '' | 'demo' | 'folder' | 'file' | 'drop' | 'signin'

/** The same drop reported twice (by App and by Wizard) within this window is handled once. */
const DROP_DEDUP_MS = 2000

export class WizardStore {
  step = $state<Step>('source')
  /** The source the Mine step works on. */
  selected = $state<Account | null>(null)

  accounts = $state<Account[]>([])
  accountsLoaded = $state(false)
  accountsError = $state('')

  /** Which Source-step action is running ("" when none). */
  action = $state<SourceAction>('')
  /** Errors of the Source-step actions (demo, local, drop, remove). */
  error = $state('')
  notice = $state('')
  /** An IMAP address whose password must be entered again (set when its row is clicked). */
  imapReconnect = $state('')
  /** The provider of the sign-in waiting in the browser. */
  signingIn = $state<OAuthProvider | null>(null)
  /** Sign-in providers and whether this copy has a client id for each ([] until loaded). */
  providers = $state<SignInProvider[]>([])
  /** The provider whose client id the user is asked for. */
  setupProvider = $state<OAuthProvider | null>(null)

  folders = $state<Folder[]>([])
  foldersUri = $state('')
  foldersLoading = $state(false)
  foldersError = $state('')
  checked = new SvelteSet<string>()

  #init = false
  #offs: Array<() => void> = []
  #lastDrop = { key: '', at: 0 }
  #foldersReq = 0

  /** Loads the accounts, subscribes to the mining events and reattaches to a running mining. Runs once. */
  init(): void {
    if (this.#init) return
    this.#init = true
    const refresh = () => void this.loadAccounts()
    this.#offs.push(onEvent(events.done, refresh), onEvent(events.error, refresh))
    void Promise.all([this.loadAccounts(), mining.init()]).then(() => this.#reattach())
    void this.loadProviders()
  }

  /** After MiningState: show the Mine step of a run that is going on, failed or just finished. */
  #reattach() {
    if (mining.uri === '' || !(mining.running || mining.summary || mining.error)) return
    if (this.selected && !mining.running) return // the user already chose something
    this.selected = this.#accountFor(mining.uri)
    this.step = 'mine'
  }

  #accountFor(uri: string): Account {
    return (
      this.accounts.find((a) => a.uri === uri) ?? {
        id: 0,
        kind: 'imap',
        label: uri,
        uri,
        status: 'mining',
        status_message: '',
        last_mined: null,
        contacts: 0,
      }
    )
  }

  async loadAccounts(): Promise<void> {
    try {
      this.accounts = await backend().Accounts()
      this.accountsError = ''
      const sel = this.selected
      if (sel) this.selected = this.accounts.find((a) => a.uri === sel.uri) ?? sel
    } catch (e) {
      this.accountsError = errorMessage(e)
    } finally {
      this.accountsLoaded = true
    }
  }

  async loadProviders(): Promise<void> {
    try {
      this.providers = await backend().SignInProviders()
    } catch {
      this.providers = [] // unknown: the sign-in itself will say what is missing
    }
  }

  /** Saves the user's own OAuth client for a provider, then signs in with it; returns the error to show. */
  async saveOAuthClient(provider: OAuthProvider, clientId: string, clientSecret: string): Promise<string> {
    if (clientId.trim() === '') return s.signIn.setup.needId
    try {
      await backend().SetOAuthClient(provider, clientId.trim(), clientSecret.trim())
    } catch (e) {
      return errorMessage(e)
    }
    this.setupProvider = null
    await this.loadProviders()
    void this.signIn(provider)
    return ''
  }

  /** Past steps can be revisited only when no mining is running. */
  get canGoBack(): boolean {
    return !mining.busy
  }

  goTo(step: Step): void {
    if (step === 'mine' && !this.selected) return
    if (step === 'source' && !this.canGoBack) return
    this.step = step
  }

  /** Chooses the source and opens the Mine step; false while another source is being mined. */
  select(account: Account): boolean {
    if (mining.busy && account.uri !== mining.uri) {
      this.notice = s.source.busyMining
      return false
    }
    this.selected = account
    this.error = ''
    this.notice = ''
    this.step = 'mine'
    return true
  }

  /** The last step: the contacts table. */
  finish(): void {
    nav.go('contacts')
  }

  async #run(action: SourceAction, fn: () => Promise<void>): Promise<void> {
    if (this.action !== '') return
    this.action = action
    this.error = ''
    this.notice = ''
    try {
      await fn()
    } catch (e) {
      this.error = `${s.source.error}: ${errorMessage(e)}`
    } finally {
      this.action = ''
    }
  }

  useDemo(): Promise<void> {
    return this.#run('demo', async () => {
      const acc = await backend().DemoSource()
      this.select(acc)
      void this.loadAccounts()
    })
  }

  /** Opens the native picker; a cancelled picker does nothing. */
  addLocal(kind: 'folder' | 'file'): Promise<void> {
    return this.#run(kind, async () => {
      const b = backend()
      const path = kind === 'folder' ? await b.ChooseMailFolder() : await b.ChooseMailFile()
      if (path === '') return
      const acc = await b.AddLocalSource(path)
      this.select(acc)
      void this.loadAccounts()
    })
  }

  /**
   * Adds paths dropped onto the window as local sources and opens the first
   * one. Safe to call from both App and Wizard for the same drop.
   */
  async useDroppedPaths(paths: string[]): Promise<void> {
    const list = paths.filter((p) => typeof p === 'string' && p !== '')
    if (list.length === 0) return
    const key = list.join('\n')
    const now = Date.now()
    if (key === this.#lastDrop.key && now - this.#lastDrop.at < DROP_DEDUP_MS) return
    this.#lastDrop = { key, at: now }

    this.action = 'drop'
    this.error = ''
    this.notice = ''
    const failures: string[] = []
    let first: Account | null = null
    try {
      for (const path of list) {
        try {
          const acc = await backend().AddLocalSource(path)
          first ??= acc
        } catch (e) {
          failures.push(s.source.dropFailed(path, errorMessage(e)))
        }
      }
    } finally {
      this.action = ''
    }
    await this.loadAccounts()
    if (first && mining.busy && first.uri !== mining.uri) {
      this.notice = s.source.addedWhileMining
    } else if (first) {
      this.select(first)
      nav.go('mine')
    }
    this.error = failures.join('\n')
  }

  /**
   * Signs in with Google or Microsoft (the browser opens), then opens the
   * Mine step with the new account's folders. A cancelled sign-in says so.
   */
  signIn(provider: OAuthProvider, email = ''): Promise<void> {
    if (this.providers.some((p) => p.id === provider && !p.configured)) {
      this.setupProvider = provider // no client id: ask for one first
      return Promise.resolve()
    }
    this.setupProvider = null
    return this.#signIn(provider, () => backend().SignIn(provider, email))
  }

  /** Signs an account whose access was revoked in again. */
  reconnect(acc: Account): Promise<void> {
    return this.#signIn(acc.auth || 'google', () => backend().ReconnectAccount(acc.id))
  }

  #signIn(provider: OAuthProvider, call: () => Promise<Account>): Promise<void> {
    return this.#run('signin', async () => {
      this.signingIn = provider
      try {
        const acc = await call()
        const again = this.selected?.uri === acc.uri && this.foldersError !== ''
        this.select(acc)
        if (again) void this.loadFolders(true) // reconnected from the Mine step's error
        void this.loadAccounts()
      } catch (e) {
        const msg = errorMessage(e)
        if (/cancelled/i.test(msg)) {
          this.notice = s.signIn.cancelled
          return
        }
        throw e
      } finally {
        this.signingIn = null
      }
    })
  }

  /** Stops waiting for the browser. */
  async cancelSignIn(): Promise<void> {
    try {
      await backend().CancelSignIn()
    } catch {
      // The sign-in call itself reports what happened.
    }
  }

  async removeAccount(acc: Account): Promise<void> {
    this.error = ''
    try {
      await backend().RemoveAccount(acc.id)
      if (this.selected?.id === acc.id) this.selected = null
      if (this.foldersUri === acc.uri) this.foldersUri = ''
    } catch (e) {
      this.error = `${s.accounts.removeFailed}: ${errorMessage(e)}`
    }
    await this.loadAccounts()
  }

  /** A row click: an IMAP account without its password goes back to the form; others open the Mine step. */
  openAccount(acc: Account): void {
    if (acc.status === 'needs-reconnect') {
      void this.reconnect(acc)
      return
    }
    if (acc.kind === 'imap' && acc.status === 'needs-password') {
      this.imapReconnect = acc.label
      return
    }
    this.select(acc)
  }

  // ---- folders of the selected source --------------------------------------

  /** Lists the folders of the selected source unless they are already loaded (force: again). */
  async loadFolders(force = false): Promise<void> {
    const uri = this.selected?.uri ?? ''
    if (uri === '') return
    if (!force && this.foldersUri === uri && this.foldersError === '') return
    const req = ++this.#foldersReq
    this.foldersUri = uri
    this.foldersLoading = true
    this.foldersError = ''
    this.folders = []
    this.checked.clear()
    try {
      const list = await backend().Folders(uri)
      if (req !== this.#foldersReq) return
      this.folders = list
      this.selectDefault()
    } catch (e) {
      if (req !== this.#foldersReq) return
      this.foldersError = errorMessage(e)
      // A refused sign-in marks the account: the list and the Mine step offer Reconnect.
      void this.loadAccounts()
    } finally {
      if (req === this.#foldersReq) this.foldersLoading = false
    }
  }

  selectDefault(): void {
    this.checked.clear()
    for (const name of defaultSelection(this.folders)) this.checked.add(name)
  }

  selectNone(): void {
    this.checked.clear()
  }

  toggle(node: FolderNode): void {
    const next = toggleNode(node, this.checked)
    this.checked.clear()
    for (const name of next) this.checked.add(name)
  }

  /** Starts mining the checked folders of the selected source. */
  startMining(): Promise<void> {
    const sel = this.selected
    if (!sel) return Promise.resolve()
    const folders = selectedNames(this.folders, this.checked)
    if (folders.length === 0) return Promise.resolve()
    return mining.start({ uri: sel.uri, folders })
  }

  /** For tests: forgets everything and unsubscribes. */
  reset(): void {
    this.#offs.forEach((off) => off())
    this.#offs = []
    this.#init = false
    this.#lastDrop = { key: '', at: 0 }
    this.#foldersReq++
    this.step = 'source'
    this.selected = null
    this.accounts = []
    this.accountsLoaded = false
    this.accountsError = ''
    this.action = ''
    this.error = ''
    this.notice = ''
    this.imapReconnect = ''
    this.providers = []
    this.setupProvider = null
    this.folders = []
    this.foldersUri = ''
    this.foldersLoading = false
    this.foldersError = ''
    this.checked.clear()
  }
}

export const wizardStore = new WizardStore()
