import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { events } from '../lib/api'
import { nav } from '../lib/nav.svelte'
import { mining } from './mining.svelte'
import { wizardStore } from './store.svelte'
import {
  account,
  fakeBackend,
  fakeBus,
  folder,
  idle,
  progress,
  settle,
  summary,
  type FakeBackend,
  type FakeBus,
} from './testing'
import Wizard from './Wizard.svelte'

let b: FakeBackend
let bus: FakeBus

beforeEach(() => {
  b = fakeBackend()
  bus = fakeBus()
  nav.go('mine')
})
afterEach(() => {
  wizardStore.reset()
  mining.reset()
})

async function mount() {
  const r = render(Wizard)
  await settle()
  return r
}

const byTestId = (id: string) => screen.getByTestId(id)
const input = (id: string) => screen.getByTestId(id) as HTMLInputElement
const checkFor = (name: string) =>
  screen.getAllByTestId('folder-check').find((el) => el.dataset.folder === name) as HTMLInputElement

async function openImapForm() {
  await mount()
  await fireEvent.input(input('imap-email'), { target: { value: 'ada@example.com' } })
  await fireEvent.input(input('imap-password'), { target: { value: 'secret' } })
}

describe('Source step', () => {
  it('demo: one click selects it and opens the Mine step', async () => {
    await mount()
    await fireEvent.click(byTestId('source-demo'))
    await settle()
    expect(b.DemoSource).toHaveBeenCalledOnce()
    expect(wizardStore.step).toBe('mine')
    expect(wizardStore.selected?.uri).toBe('demo:')
    expect(b.Folders).toHaveBeenCalledWith('demo:')
    expect(byTestId('folder-tree')).toBeTruthy()
  })

  it('local folder: the picked path becomes a source', async () => {
    b.ChooseMailFolder.mockResolvedValue('/home/ada/Maildir')
    await mount()
    await fireEvent.click(byTestId('source-local-folder'))
    await settle()
    expect(b.AddLocalSource).toHaveBeenCalledWith('/home/ada/Maildir')
    expect(wizardStore.step).toBe('mine')
  })

  it('a cancelled picker does nothing', async () => {
    await mount()
    await fireEvent.click(byTestId('source-local-file'))
    await settle()
    expect(b.ChooseMailFile).toHaveBeenCalledOnce()
    expect(b.AddLocalSource).not.toHaveBeenCalled()
    expect(wizardStore.step).toBe('source')
  })

  it('lists the accounts and opens one on click', async () => {
    b.Accounts.mockResolvedValue([
      account({ id: 1, kind: 'imap', label: 'ada@example.com', uri: 'imap://ada@example.com', contacts: 1234 }),
      account({ id: 2, kind: 'mbox', label: '/tmp/x.mbox', uri: 'mbox:/tmp/x.mbox', status: 'error', status_message: 'File gone' }),
    ])
    await mount()
    const rows = screen.getAllByTestId('account-row')
    expect(rows).toHaveLength(2)
    expect(rows[0].textContent).toContain('1,234 contacts')
    expect(rows[1].textContent).toContain('File gone')
    await fireEvent.click(rows[1])
    await settle()
    expect(wizardStore.selected?.uri).toBe('mbox:/tmp/x.mbox')
    expect(b.Folders).toHaveBeenCalledWith('mbox:/tmp/x.mbox')
  })

  it('removes an account after confirmation', async () => {
    b.Accounts.mockResolvedValue([account({ id: 9 })])
    await mount()
    await fireEvent.click(byTestId('account-remove'))
    expect(b.RemoveAccount).not.toHaveBeenCalled()
    b.Accounts.mockResolvedValue([])
    await fireEvent.click(byTestId('account-remove-confirm'))
    await settle()
    expect(b.RemoveAccount).toHaveBeenCalledWith(9)
    expect(screen.queryByTestId('account-row')).toBeNull()
  })

  it('dropped paths: each is added, the first is opened, failures are shown', async () => {
    b.AddLocalSource.mockImplementation(async (path) => {
      if (path === '/bad') throw 'Not a mailbox'
      return account({ id: path.length, kind: 'mbox', label: path, uri: `mbox:${path}` })
    })
    await mount()
    bus.emit(events.filesDropped, ['/a.mbox', '/bad', '/b.mbox'])
    await settle()
    expect(b.AddLocalSource.mock.calls.map((c) => c[0])).toEqual(['/a.mbox', '/bad', '/b.mbox'])
    expect(wizardStore.selected?.uri).toBe('mbox:/a.mbox')
    expect(wizardStore.step).toBe('mine')
    expect(wizardStore.error).toContain('/bad: Not a mailbox')
    // App forwarding the same drop does not add the sources twice.
    await wizardStore.useDroppedPaths(['/a.mbox', '/bad', '/b.mbox'])
    expect(b.AddLocalSource).toHaveBeenCalledTimes(3)
  })

  it('useDroppedPaths works without the Wizard mounted and opens the Mine view', async () => {
    nav.go('contacts')
    await wizardStore.useDroppedPaths(['/home/ada/mail'])
    expect(b.AddLocalSource).toHaveBeenCalledWith('/home/ada/mail')
    expect(nav.view).toBe('mine')
    expect(wizardStore.step).toBe('mine')
  })
})

describe('IMAP form', () => {
  it('DetectIMAP prefills the server settings and shows the provider and its note', async () => {
    b.DetectIMAP.mockResolvedValue({
      provider: 'Gmail', host: 'imap.gmail.com', port: 993, security: 'implicit', oauth: 'google',
      note: 'Use an app password.',
    })
    await mount()
    await fireEvent.input(input('imap-email'), { target: { value: 'ada@gmail.com' } })
    await fireEvent.blur(input('imap-email'))
    await settle()
    expect(b.DetectIMAP).toHaveBeenCalledWith('ada@gmail.com')
    expect(input('imap-host').value).toBe('imap.gmail.com')
    expect(input('imap-port').value).toBe('993')
    expect((byTestId('imap-security') as HTMLSelectElement).value).toBe('implicit')
    expect(byTestId('imap-provider').textContent).toContain('Gmail')
    expect(byTestId('imap-note').textContent).toBe('Use an app password.')
    expect(byTestId('imap-oauth').textContent).toContain('Google')
    expect((byTestId('imap-settings') as HTMLDetailsElement).open).toBe(false)
    // Blurring again with the same address does not ask again.
    await fireEvent.blur(input('imap-email'))
    await settle()
    expect(b.DetectIMAP).toHaveBeenCalledOnce()
  })

  it('opens the server settings when nothing was detected', async () => {
    await mount()
    await fireEvent.input(input('imap-email'), { target: { value: 'ada@unknown.example' } })
    await fireEvent.click(byTestId('imap-detect'))
    await settle()
    expect((byTestId('imap-settings') as HTMLDetailsElement).open).toBe(true)
    expect(byTestId('imap-provider').textContent).toContain('could not detect')
  })

  it('a failed test shows the message on the field it names', async () => {
    await openImapForm()
    await fireEvent.input(input('imap-host'), { target: { value: 'imap.example.com' } })
    b.TestIMAP.mockResolvedValue({ ok: false, field: 'port', message: 'Nothing answers on this port.', fingerprint: '' })
    await fireEvent.click(byTestId('imap-test'))
    await settle()
    expect(b.TestIMAP).toHaveBeenCalledWith(expect.objectContaining({ email: 'ada@example.com', password: 'secret', host: 'imap.example.com' }))
    const err = byTestId('imap-error')
    expect(err.textContent).toBe('Nothing answers on this port.')
    expect(err.id).toBe('imap-port-error')
    expect(input('imap-port').getAttribute('aria-invalid')).toBe('true')
    expect(input('imap-port').getAttribute('aria-describedby')).toBe('imap-port-error')
    expect(input('imap-host').getAttribute('aria-invalid')).toBeNull()
    expect((byTestId('imap-settings') as HTMLDetailsElement).open).toBe(true)
  })

  it('a wrong password is flagged on the password field', async () => {
    await openImapForm()
    await fireEvent.input(input('imap-host'), { target: { value: 'imap.example.com' } })
    b.TestIMAP.mockResolvedValue({ ok: false, field: 'password', message: 'Wrong password.', fingerprint: '' })
    await fireEvent.click(byTestId('imap-test'))
    await settle()
    expect(byTestId('imap-error').id).toBe('imap-password-error')
    expect(input('imap-password').getAttribute('aria-invalid')).toBe('true')
    // Editing the field clears its error.
    await fireEvent.input(input('imap-password'), { target: { value: 'other' } })
    expect(screen.queryByTestId('imap-error')).toBeNull()
  })

  it('checks the form before calling the backend', async () => {
    await mount()
    await fireEvent.click(byTestId('imap-test'))
    expect(b.TestIMAP).not.toHaveBeenCalled()
    expect(byTestId('imap-error').id).toBe('imap-email-error')
  })

  it('certificate: shows the fingerprint; trusting it sends trusted_cert on the next test', async () => {
    await openImapForm()
    await fireEvent.input(input('imap-host'), { target: { value: 'mail.home.lan' } })
    b.TestIMAP.mockResolvedValueOnce({ ok: false, field: 'host', message: 'Untrusted certificate.', fingerprint: 'sha256:ab:cd' })
    await fireEvent.click(byTestId('imap-test'))
    await settle()
    expect(byTestId('imap-fingerprint').textContent).toBe('sha256:ab:cd')
    const trust = input('imap-trust')
    expect(trust.checked).toBe(false)
    await fireEvent.click(trust)
    expect(trust.checked).toBe(true)
    b.TestIMAP.mockResolvedValueOnce({ ok: true, field: '', message: '', fingerprint: '' })
    await fireEvent.click(byTestId('imap-test'))
    await settle()
    expect(b.TestIMAP).toHaveBeenCalledTimes(2)
    expect(b.TestIMAP.mock.calls[0][0].trusted_cert).toBe('')
    expect(b.TestIMAP.mock.calls[1][0].trusted_cert).toBe('sha256:ab:cd')
    expect(byTestId('imap-ok')).toBeTruthy()
  })

  it('adds the account and opens the Mine step', async () => {
    await openImapForm()
    await fireEvent.input(input('imap-host'), { target: { value: 'imap.example.com' } })
    await fireEvent.click(byTestId('imap-add'))
    await settle()
    expect(b.AddIMAPAccount).toHaveBeenCalledOnce()
    expect(wizardStore.step).toBe('mine')
    expect(wizardStore.selected?.uri).toBe('imap://ada@example.com')
  })

  it('a refused add shows the error the same way', async () => {
    await openImapForm()
    await fireEvent.input(input('imap-host'), { target: { value: 'imap.example.com' } })
    b.AddIMAPAccount.mockRejectedValue(JSON.stringify({ ok: false, field: 'host', message: 'Unknown host.', fingerprint: '' }))
    await fireEvent.click(byTestId('imap-add'))
    await settle()
    expect(byTestId('imap-error').id).toBe('imap-host-error')
    expect(wizardStore.step).toBe('source')
  })
})

describe('Mine step', () => {
  const folders = [
    folder('INBOX', { count: 100 }),
    folder('INBOX/Clients', { count: 20 }),
    folder('[Gmail]', { selectable: false, default: false, count: -1 }),
    folder('[Gmail]/Sent Mail', { count: 40 }),
    folder('[Gmail]/Trash', { count: 7, default: false }),
  ]

  async function openDemo() {
    b.Folders.mockResolvedValue(folders)
    await mount()
    await fireEvent.click(byTestId('source-demo'))
    await settle()
  }

  it('shows the tree with the default selection, partial parents and no checkbox for Noselect', async () => {
    await openDemo()
    expect(screen.getAllByTestId('folder-check').map((el) => el.dataset.folder)).toEqual([
      'INBOX', 'INBOX/Clients', '[Gmail]/Sent Mail', '[Gmail]/Trash',
    ])
    expect(checkFor('INBOX').checked).toBe(true)
    expect(checkFor('[Gmail]/Trash').checked).toBe(false)
    expect(byTestId('folder-tree').textContent).toContain('[Gmail]')
    expect(byTestId('folders-total').textContent).toContain('160 messages')

    await fireEvent.click(checkFor('INBOX/Clients'))
    expect(checkFor('INBOX').indeterminate).toBe(true)
    expect(checkFor('INBOX').checked).toBe(false)
    expect(byTestId('folders-total').textContent).toContain('140 messages')

    // A partial parent checks all its children.
    await fireEvent.click(checkFor('INBOX'))
    expect(checkFor('INBOX').indeterminate).toBe(false)
    expect(checkFor('INBOX/Clients').checked).toBe(true)

    // A checked parent clears them.
    await fireEvent.click(checkFor('INBOX'))
    expect(checkFor('INBOX/Clients').checked).toBe(false)
    expect(byTestId('folders-total').textContent).toContain('40 messages')
  })

  it('cannot start without a folder', async () => {
    await openDemo()
    await fireEvent.click(byTestId('folders-none'))
    expect((byTestId('mine-start') as HTMLButtonElement).disabled).toBe(true)
  })

  it('starts, follows the progress events, and shows the summary', async () => {
    await openDemo()
    await fireEvent.click(byTestId('mine-start'))
    await settle()
    expect(b.StartMining).toHaveBeenCalledWith({ uri: 'demo:', folders: ['INBOX', 'INBOX/Clients', '[Gmail]/Sent Mail'] })
    expect(byTestId('progress-card')).toBeTruthy()
    expect(byTestId('mine-halt')).toBeTruthy()
    expect((byTestId('step-source') as HTMLElement).tagName).toBe('SPAN') // no going back while mining

    bus.emit(events.progress, progress({ phase: 'mining', folder: 'INBOX', done: 1234, total: 5000, contacts: 87,
      rate: 1234.4, eta_seconds: 200, skipped: 2 }))
    await settle(1)
    expect(byTestId('progress-done').textContent).toBe('1,234')
    expect(byTestId('progress-total').textContent).toBe('5,000')
    expect(byTestId('progress-contacts').textContent).toBe('87')
    expect(byTestId('progress-rate').textContent).toBe('1,234 msg/s')
    expect(byTestId('progress-eta').textContent).toBe('3 minutes remaining')
    expect(byTestId('progress-skipped').textContent).toContain('2 messages skipped')
    expect(byTestId('progress-phase').textContent).toContain('Mining INBOX')
    expect((byTestId('progress-card').querySelector('progress') as HTMLProgressElement).value).toBe(1234)

    bus.emit(events.progress, progress({ phase: 'ranking', done: 5000, total: 5000, contacts: 300 }))
    await settle(1)
    expect(byTestId('progress-phase').textContent).toContain('Ranking contacts')
    expect(byTestId('progress-contacts').textContent).toBe('300')

    await fireEvent.click(byTestId('mine-halt'))
    expect(b.HaltMining).toHaveBeenCalledOnce()

    bus.emit(events.done, summary({ messages: 5000, new_contacts: 300, contacts: 310, duplicates: 12, skipped: 2, duration_ns: 65e9 }))
    await settle()
    const sum = byTestId('mine-summary')
    expect(sum.textContent).toContain('5,000')
    expect(byTestId('summary-new-contacts').textContent).toBe('300')
    expect(byTestId('summary-duration').textContent).toBe('1 minute 5 seconds')
    await fireEvent.click(byTestId('see-contacts'))
    expect(nav.view).toBe('contacts')
  })

  it('an error offers Retry, which starts the same request again', async () => {
    await openDemo()
    await fireEvent.click(byTestId('mine-start'))
    await settle()
    bus.emit(events.error, 'The server closed the connection.')
    await settle()
    expect(byTestId('mine-error').textContent).toContain('The server closed the connection.')
    expect(byTestId('mine-error').textContent).toContain('Nothing mined so far is lost')
    await fireEvent.click(byTestId('mine-retry'))
    await settle()
    expect(b.StartMining).toHaveBeenCalledTimes(2)
    expect(b.StartMining.mock.calls[1][0]).toEqual(b.StartMining.mock.calls[0][0])
    expect(byTestId('progress-card')).toBeTruthy()
  })

  it('reattaches to a run going on when the window opens', async () => {
    b.Accounts.mockResolvedValue([account({ id: 4, kind: 'imap', label: 'ada@example.com', uri: 'imap://ada@example.com', status: 'mining' })])
    b.MiningState.mockResolvedValue({ ...idle, running: true, uri: 'imap://ada@example.com',
      progress: progress({ done: 10, total: 40, contacts: 3 }) })
    await mount()
    expect(wizardStore.step).toBe('mine')
    expect(screen.getByRole('heading', { level: 2 }).textContent).toContain('ada@example.com')
    expect(byTestId('progress-done').textContent).toBe('10')
    expect(byTestId('mine-halt')).toBeTruthy()
    expect(b.Folders).not.toHaveBeenCalled()
    bus.emit(events.progress, progress({ done: 20, total: 40 }))
    await settle(1)
    expect(byTestId('progress-done').textContent).toBe('20')
  })

  it('reattaches to a finished run and shows its summary', async () => {
    b.MiningState.mockResolvedValue({ ...idle, uri: 'demo:', summary: summary({ new_contacts: 12 }) })
    await mount()
    await waitFor(() => expect(byTestId('mine-summary')).toBeTruthy())
    expect(byTestId('summary-new-contacts').textContent).toBe('12')
    expect(byTestId('step-contacts').tagName).toBe('BUTTON')
  })

  it('the Source step is reachable again from the step indicator', async () => {
    await openDemo()
    await fireEvent.click(byTestId('step-source'))
    expect(wizardStore.step).toBe('source')
  })
})

describe('accounts that lost their password', () => {
  it('a click fills the IMAP form and asks for the password instead of opening the Mine step', async () => {
    b.Accounts.mockResolvedValue([account({ id: 5, kind: 'imap', label: 'old@work.example', uri: 'imap://old', status: 'needs-password' })])
    await mount()
    await fireEvent.click(screen.getByTestId('account-row'))
    await settle()
    expect(wizardStore.step).toBe('source')
    expect((screen.getByTestId('imap-email') as HTMLInputElement).value).toBe('old@work.example')
    expect(b.DetectIMAP).toHaveBeenCalledWith('old@work.example')
    expect(document.activeElement).toBe(screen.getByTestId('imap-password'))
  })
})
