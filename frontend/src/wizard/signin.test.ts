import { fireEvent, render, screen } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Account } from '../lib/api'
import { nav } from '../lib/nav.svelte'
import { mining } from './mining.svelte'
import { wizardStore } from './store.svelte'
import { account, deferred, fakeBackend, fakeBus, settle, type FakeBackend } from './testing'
import Wizard from './Wizard.svelte'

let b: FakeBackend

beforeEach(() => {
  b = fakeBackend()
  fakeBus()
  nav.go('mine')
})
afterEach(() => {
  wizardStore.reset()
  mining.reset()
})

async function mount() {
  render(Wizard)
  await settle()
}

const byTestId = (id: string) => screen.getByTestId(id)


describe('Sign in with Google or Microsoft', () => {
  it.each(['google', 'microsoft'] as const)('%s: waits for the browser, then opens the Mine step with the folders', async (provider) => {
    const call = deferred<Account>()
    b.SignIn.mockReturnValue(call.promise)
    await mount()
    await fireEvent.click(byTestId(`signin-${provider}`))
    await settle()
    expect(b.SignIn).toHaveBeenCalledWith(provider, '')
    expect(byTestId('signin-waiting').textContent).toContain(provider === 'google' ? 'Google' : 'Microsoft')
    expect((byTestId('source-demo') as HTMLButtonElement).disabled).toBe(true)
    call.resolve(account({ id: 9, kind: 'imap', auth: provider, label: 'ada@example.com', uri: 'imap://ada' }))
    await settle()
    expect(wizardStore.step).toBe('mine')
    expect(wizardStore.selected?.uri).toBe('imap://ada')
    expect(b.Folders).toHaveBeenCalledWith('imap://ada')
  })

  it('Cancel asks the backend to stop waiting and says it was cancelled', async () => {
    const call = deferred<Account>()
    b.SignIn.mockReturnValue(call.promise)
    b.CancelSignIn.mockImplementation(async () => call.reject(new Error('Sign-in cancelled.')))
    await mount()
    await fireEvent.click(byTestId('signin-google'))
    await settle()
    await fireEvent.click(byTestId('signin-cancel'))
    await settle()
    expect(b.CancelSignIn).toHaveBeenCalledOnce()
    expect(screen.queryByTestId('signin-waiting')).toBeNull()
    expect(wizardStore.step).toBe('source')
    expect(wizardStore.notice).toBe('Sign-in cancelled.')
    expect(wizardStore.error).toBe('')
  })

  it('a refused sign-in shows the reason and stays on the source step', async () => {
    b.SignIn.mockRejectedValue(new Error('You did not allow LeadMiner to read your mail, so nothing was added.'))
    await mount()
    await fireEvent.click(byTestId('signin-microsoft'))
    await settle()
    expect(wizardStore.error).toContain('You did not allow LeadMiner')
    expect(wizardStore.step).toBe('source')
    expect((byTestId('signin-google') as HTMLButtonElement).disabled).toBe(false)
  })

  it('an account that needs a reconnect says so and Reconnect signs in again', async () => {
    b.Accounts.mockResolvedValue([
      account({ id: 4, kind: 'imap', auth: 'google', label: 'ada@gmail.com', uri: 'imap://ada', status: 'needs-reconnect',
        status_message: 'Google no longer lets LeadMiner read this mailbox: reconnect the account.' }),
      account({ id: 5, kind: 'imap', auth: 'microsoft', label: 'bob@outlook.com', uri: 'imap://bob' }),
    ])
    await mount()
    const statuses = screen.getAllByTestId('account-status').map((el) => el.textContent?.trim())
    expect(statuses).toEqual(['Needs reconnect', 'Connected'])
    expect(screen.getAllByTestId('account-reconnect')).toHaveLength(1)
    await fireEvent.click(byTestId('account-reconnect'))
    await settle()
    expect(b.ReconnectAccount).toHaveBeenCalledWith(4)
    expect(wizardStore.step).toBe('mine')
  })

  it('the IMAP form offers the sign-in for a provider that prefers it, with the address typed', async () => {
    b.DetectIMAP.mockResolvedValue({ provider: 'Gmail', host: 'imap.gmail.com', port: 993, security: 'implicit', oauth: 'google', note: '' })
    await mount()
    await fireEvent.input(byTestId('imap-email'), { target: { value: ' ada@gmail.com ' } })
    await fireEvent.blur(byTestId('imap-email'))
    await settle()
    await fireEvent.click(byTestId('imap-oauth-signin'))
    await settle()
    expect(b.SignIn).toHaveBeenCalledWith('google', 'ada@gmail.com')
  })

  it('a guess made with the lookups off offers to allow them, then detects again', async () => {
    const setSubprocessor = vi.fn(async () => {})
    ;(b as unknown as Record<string, unknown>).SetSubprocessor = setSubprocessor
    // The backend names the domain as the provider of a guess.
    b.DetectIMAP.mockResolvedValueOnce({ provider: 'acme.example', host: 'imap.acme.example', port: 993, security: 'implicit', oauth: '', note: 'A guess',
      source: 'guess', skipped: ['dns', 'autoconfig'] })
    b.DetectIMAP.mockResolvedValueOnce({ provider: 'Acme', host: 'mail.acme.example', port: 993, security: 'implicit', oauth: '', note: '',
      source: 'autoconfig', skipped: [] })
    await mount()
    await fireEvent.input(byTestId('imap-email'), { target: { value: 'me@acme.example' } })
    await fireEvent.blur(byTestId('imap-email'))
    await settle()
    expect(byTestId('imap-lookup-skipped').textContent).toContain('switched off in Privacy')
    expect((byTestId('imap-settings') as HTMLDetailsElement).open, 'a guess opens the settings to check').toBe(true)
    await fireEvent.click(byTestId('imap-lookup-allow'))
    await settle()
    expect(setSubprocessor.mock.calls).toEqual([['dns', true], ['autoconfig', true]])
    expect(b.DetectIMAP).toHaveBeenCalledTimes(2)
    expect((byTestId('imap-host') as HTMLInputElement).value).toBe('mail.acme.example')
    expect(screen.queryByTestId('imap-lookup-skipped')).toBeNull()
  })

  describe('a copy without a client id', () => {
    const unconfigured = (id: 'google' | 'microsoft') => [
      { id: 'google' as const, name: 'Google', configured: id !== 'google' },
      { id: 'microsoft' as const, name: 'Microsoft', configured: id !== 'microsoft' },
    ]

    it('asks for your own client id, saves it and signs in with it', async () => {
      b.SignInProviders.mockResolvedValueOnce(unconfigured('google'))
      await mount()
      await fireEvent.click(byTestId('signin-google'))
      await settle()
      expect(b.SignIn).not.toHaveBeenCalled()
      expect(byTestId('signin-setup').textContent).toContain('no Google app registered')
      await fireEvent.submit(byTestId('signin-setup'))
      await settle()
      expect(byTestId('signin-setup-error').textContent).toBe('Paste the client ID first.')
      expect(b.SetOAuthClient).not.toHaveBeenCalled()
      await fireEvent.input(byTestId('signin-setup-id'), { target: { value: ' 123-abc.apps.googleusercontent.com ' } })
      await fireEvent.input(byTestId('signin-setup-secret'), { target: { value: 'GOCSPX-x' } })
      await fireEvent.click(byTestId('signin-setup-save'))
      await settle()
      expect(b.SetOAuthClient).toHaveBeenCalledWith('google', '123-abc.apps.googleusercontent.com', 'GOCSPX-x')
      expect(b.SignIn).toHaveBeenCalledWith('google', '')
      expect(screen.queryByTestId('signin-setup')).toBeNull()
    })

    it('Microsoft asks for no secret; Cancel goes back to the buttons', async () => {
      b.SignInProviders.mockResolvedValueOnce(unconfigured('microsoft'))
      await mount()
      await fireEvent.click(byTestId('signin-microsoft'))
      await settle()
      expect(screen.queryByTestId('signin-setup-secret')).toBeNull()
      await fireEvent.click(byTestId('signin-setup-cancel'))
      await settle()
      expect(screen.queryByTestId('signin-setup')).toBeNull()
      expect(byTestId('signin-microsoft')).toBeTruthy()
      expect(b.SignIn).not.toHaveBeenCalled()
    })

    it('shows why the client id could not be saved and keeps what was typed', async () => {
      b.SignInProviders.mockResolvedValueOnce(unconfigured('google'))
      b.SetOAuthClient.mockRejectedValueOnce(new Error('Could not save the client id: disk full'))
      await mount()
      await fireEvent.click(byTestId('signin-google'))
      await settle()
      await fireEvent.input(byTestId('signin-setup-id'), { target: { value: 'abc' } })
      await fireEvent.click(byTestId('signin-setup-save'))
      await settle()
      expect(byTestId('signin-setup-error').textContent).toContain('disk full')
      expect((byTestId('signin-setup-id') as HTMLInputElement).value).toBe('abc')
      expect(b.SignIn).not.toHaveBeenCalled()
    })
  })

  it('a mailbox that refuses the sign-in offers Reconnect on the Mine step, then lists the folders', async () => {
    const ok = account({ id: 9, kind: 'imap', auth: 'google', label: 'ada@gmail.com', uri: 'imap://ada', status: 'ready' })
    const revoked = { ...ok, status: 'needs-reconnect' as const, status_message: 'Google no longer accepts the access' }
    b.Accounts.mockResolvedValueOnce([ok]).mockResolvedValue([revoked])
    b.Folders.mockRejectedValueOnce(new Error('Google no longer accepts the access: reconnect the account'))
    const call = deferred<Account>()
    b.ReconnectAccount.mockReturnValue(call.promise)
    await mount()
    await fireEvent.click(screen.getByTestId('account-row'))
    await settle()
    expect(byTestId('folders-error').textContent).toContain('reconnect')
    await fireEvent.click(byTestId('folders-reconnect'))
    await settle()
    expect(b.ReconnectAccount).toHaveBeenCalledWith(9)
    expect(byTestId('folders-reconnect-waiting').textContent).toContain('Google')
    b.Accounts.mockResolvedValue([ok])
    call.resolve(ok)
    await settle()
    expect(b.Folders).toHaveBeenCalledTimes(2)
    expect(screen.queryByTestId('folders-error')).toBeNull()
  })
})
