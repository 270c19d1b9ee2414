import { fireEvent, render, screen, within } from '@testing-library/svelte'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { common } from '../lib/strings'
import { formatDateTime } from './format'
import PrivacyView from './PrivacyView.svelte'
import { deferred, egressEvent, fakePrivacy, settle, subprocessor, suppression, type FakePrivacy } from './testing'

let b: FakePrivacy

beforeEach(() => {
  b = fakePrivacy()
})
afterEach(() => {
  delete window.go
})

async function mount() {
  const r = render(PrivacyView)
  await settle()
  return r
}

const byId = (id: string) => screen.getByTestId(id)
const maybe = (id: string) => screen.queryByTestId(id)
const input = (id: string) => screen.getByTestId(id) as HTMLInputElement
const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement
const HOSTILE = '<img src=x onerror=alert(1)>'

describe('Privacy view', () => {
  it('shows every section under one page, with headings', async () => {
    await mount()
    const view = byId('privacy-view')
    const headings = [...view.querySelectorAll('h2, h3')].map((h) => h.textContent?.trim())
    expect(headings).toEqual([
      'Privacy', 'Third-party services', 'What left this machine', 'Do Not Mine Me', 'Data retention',
      'Delete all my data',
    ])
  })

  it('the section links move the focus to the section', async () => {
    await mount()
    const nav = screen.getByRole('navigation', { name: 'Privacy sections' })
    await fireEvent.click(within(nav).getByText('Data retention'))
    expect(document.activeElement?.id).toBe('privacy-retention')
  })

  it('shows the loading state of each section until the backend answers', async () => {
    const d = deferred<never[]>()
    b.Subprocessors.mockReturnValue(d.promise)
    b.EgressLog.mockReturnValue(d.promise)
    b.Suppressions.mockReturnValue(d.promise)
    b.Retention.mockReturnValue(new Promise(() => {}))
    await mount()
    for (const id of ['register-loading', 'egress-loading', 'suppressions-loading', 'retention-load-loading']) {
      expect(byId(id).textContent).toBe('Loading…')
    }
    expect(maybe('retention-save')).toBeNull()
    d.resolve([])
    await settle()
    expect(maybe('register-loading')).toBeNull()
    expect(byId('egress-empty')).toBeTruthy()
  })

  it('without a backend every section says so and nothing crashes', async () => {
    delete window.go
    await mount()
    for (const id of ['register-error', 'egress-error', 'suppressions-error', 'retention-load-error']) {
      expect(byId(id).textContent).toContain(common.noBackend)
    }
    await fireEvent.click(byId('purge-now'))
    await settle()
    expect(byId('purge-error').textContent).toContain(common.noBackend)
    await fireEvent.input(input('delete-confirm-input'), { target: { value: 'DELETE' } })
    await fireEvent.click(byId('delete-all'))
    await settle()
    expect(byId('delete-error').textContent).toContain(common.noBackend)
  })

  it('a failed load shows the backend message and Try again loads again', async () => {
    b.Subprocessors.mockRejectedValueOnce('Could not read the switches: database is locked')
    b.Subprocessors.mockResolvedValueOnce([subprocessor('reacher')])
    await mount()
    const err = byId('register-error')
    expect(err.getAttribute('role')).toBe('alert')
    expect(err.textContent).toContain('Could not read the switches: database is locked')
    await fireEvent.click(within(err).getByRole('button', { name: 'Try again' }))
    await settle()
    expect(maybe('register-error')).toBeNull()
    expect(byId('subprocessor-row-reacher')).toBeTruthy()
  })
})

describe('Subprocessor register', () => {
  it('lists each service: purpose, data sent, region, website as text, last use', async () => {
    b.Subprocessors.mockResolvedValue([
      subprocessor('zerobounce', {
        name: 'ZeroBounce', purpose: 'Verify that contacts’ addresses exist', data: ['email addresses', 'names'],
        region: 'United States', eea: false, website: 'https://www.zerobounce.net', last_used: '2025-03-04T08:09:00Z',
      }),
      subprocessor('reacher', { name: 'Reacher (self-hosted)', website: '', eea: true }),
    ])
    await mount()
    const zb = byId('subprocessor-row-zerobounce')
    expect(zb.textContent).toContain('ZeroBounce')
    expect(zb.textContent).toContain('Verify that contacts’ addresses exist')
    expect(byId('subprocessor-data-zerobounce').textContent).toBe('email addresses, names')
    expect(zb.textContent).toContain('United States')
    expect(byId('subprocessor-website-zerobounce').textContent).toBe('https://www.zerobounce.net')
    expect(zb.querySelector('a')).toBeNull()
    expect(byId('subprocessor-last-used-zerobounce').textContent).toBe(formatDateTime('2025-03-04T08:09:00Z'))
    expect(byId('subprocessor-last-used-reacher').textContent).toBe('Never')
    expect(maybe('subprocessor-website-reacher')).toBeNull()
  })

  it('says that every switch is off until turned on and nothing leaves otherwise', async () => {
    b.Subprocessors.mockResolvedValue([subprocessor('a'), subprocessor('b')])
    await mount()
    const note = byId('register-off-by-default').textContent ?? ''
    expect(note).toContain('off until you turn it on')
    expect(note).toContain('nothing leaves this machine')
    for (const id of ['a', 'b']) expect(input(`subprocessor-switch-${id}`).checked).toBe(false)
  })

  it('an empty register says no third-party service is registered', async () => {
    await mount()
    expect(byId('subprocessor-empty').textContent).toContain('No third-party service is registered')
  })

  it('each switch is a labelled switch', async () => {
    b.Subprocessors.mockResolvedValue([subprocessor('openrouter', { name: 'OpenRouter', enabled: true })])
    await mount()
    const sw = screen.getByRole('switch', { name: 'Send data to OpenRouter' }) as HTMLInputElement
    expect(sw).toBe(byId('subprocessor-switch-openrouter'))
    expect(sw.checked).toBe(true)
  })

  it.each([
    ['on', false, true],
    ['off', true, false],
  ])('turning a switch %s calls SetSubprocessor and keeps it', async (_, before, after) => {
    b.Subprocessors.mockResolvedValue([subprocessor('mailercheck', { enabled: before })])
    await mount()
    await fireEvent.click(input('subprocessor-switch-mailercheck'))
    await settle()
    expect(b.SetSubprocessor).toHaveBeenCalledWith('mailercheck', after)
    expect(input('subprocessor-switch-mailercheck').checked).toBe(after)
    expect(maybe('subprocessor-error-mailercheck')).toBeNull()
  })

  it.each([
    ['on', false],
    ['off', true],
  ])('a refused switch %s goes back and shows the error', async (_, before) => {
    b.Subprocessors.mockResolvedValue([subprocessor('mailercheck', { name: 'MailerCheck', enabled: before })])
    b.SetSubprocessor.mockRejectedValue('Could not change the switch: database is locked')
    await mount()
    await fireEvent.click(input('subprocessor-switch-mailercheck'))
    await settle()
    expect(b.SetSubprocessor).toHaveBeenCalledWith('mailercheck', !before)
    expect(input('subprocessor-switch-mailercheck').checked).toBe(before)
    const err = byId('subprocessor-error-mailercheck')
    expect(err.getAttribute('role')).toBe('alert')
    expect(err.textContent).toContain('MailerCheck')
    expect(err.textContent).toContain('database is locked')
  })

  it('a click while the switch is saving is ignored', async () => {
    const d = deferred<void>()
    b.Subprocessors.mockResolvedValue([subprocessor('x')])
    b.SetSubprocessor.mockReturnValue(d.promise)
    await mount()
    await fireEvent.click(input('subprocessor-switch-x'))
    await fireEvent.click(input('subprocessor-switch-x'))
    expect(input('subprocessor-switch-x').checked).toBe(true)
    d.resolve()
    await settle()
    expect(b.SetSubprocessor).toHaveBeenCalledOnce()
    expect(input('subprocessor-switch-x').checked).toBe(true)
  })

  it.each([
    { eea: false, region: 'United States', warned: true },
    { eea: true, region: 'European Union (Lithuania)', warned: false },
  ])('EEA warning when eea=$eea: $warned', async ({ eea, region, warned }) => {
    b.Subprocessors.mockResolvedValue([subprocessor('svc', { name: 'Svc', eea, region })])
    await mount()
    const w = maybe('eea-warning-svc')
    if (!warned) {
      expect(w).toBeNull()
      return
    }
    expect(w?.textContent?.trim()).toContain(`Data sent to Svc leaves the European Economic Area (${region})`)
    expect(w?.getAttribute('role')).toBe('note')
    // The switch points to the warning.
    expect(input('subprocessor-switch-svc').getAttribute('aria-describedby')).toContain(w!.id)
  })
})

describe('Egress log', () => {
  it('lists the calls with the register name, records, human bytes and outcome', async () => {
    b.Subprocessors.mockResolvedValue([subprocessor('zerobounce', { name: 'ZeroBounce' })])
    b.EgressLog.mockResolvedValue([
      egressEvent(2, { subprocessor: 'zerobounce', purpose: 'verify', records: 1200, bytes_out: 1_536_000, outcome: '1200 records' }),
      egressEvent(1, { subprocessor: 'retired-service', purpose: 'enrich', records: 1, bytes_out: 300, outcome: 'error: timeout' }),
    ])
    await mount()
    expect(b.EgressLog).toHaveBeenCalledWith(200)
    const rows = screen.getAllByTestId('egress-row')
    expect(rows).toHaveLength(2)
    const cells = (r: HTMLElement) => [...r.querySelectorAll('td')].map((td) => td.textContent)
    expect(cells(rows[0])).toEqual([formatDateTime('2025-03-01T10:00:00Z'), 'ZeroBounce', 'verify', '1,200', '1.5 MB', '1200 records'])
    expect(cells(rows[1])).toEqual([formatDateTime('2025-03-01T10:00:00Z'), 'retired-service', 'enrich', '1', '300 B', 'error: timeout'])
    expect(maybe('egress-empty')).toBeNull()
  })

  it('an empty log says nothing has left this machine', async () => {
    await mount()
    expect(byId('egress-empty').textContent).toBe('Nothing has left this machine.')
    expect(maybe('egress-row')).toBeNull()
  })

  it('Refresh asks again and shows the new calls', async () => {
    await mount()
    b.EgressLog.mockResolvedValue([egressEvent(5)])
    await fireEvent.click(byId('egress-refresh'))
    await settle()
    expect(b.EgressLog).toHaveBeenCalledTimes(2)
    expect(screen.getAllByTestId('egress-row')).toHaveLength(1)
    expect(maybe('egress-empty')).toBeNull()
  })
})

describe('Do Not Mine Me', () => {
  const subject = 'f'.repeat(8) + '0123456789abcdef'.repeat(3)

  it('Add sends the text and shows how many were added and which were refused', async () => {
    b.Suppress.mockResolvedValue({ added: 2, ignored: ['not-an-address', 'also bad'] })
    await mount()
    expect(button('suppress-add').disabled).toBe(true)
    await fireEvent.input(byId('suppress-input'), { target: { value: 'jane@example.com\n@example.org, not-an-address' } })
    expect(button('suppress-add').disabled).toBe(false)
    await fireEvent.click(byId('suppress-add'))
    await settle()
    expect(b.Suppress).toHaveBeenCalledWith('jane@example.com\n@example.org, not-an-address')
    expect(byId('suppress-added').textContent).toBe('2 added')
    expect(screen.getAllByTestId('suppress-ignored').map((li) => li.textContent)).toEqual([
      'Not an address or @domain: not-an-address',
      'Not an address or @domain: also bad',
    ])
    expect((byId('suppress-input') as HTMLTextAreaElement).value).toBe('')
    expect(b.Suppressions).toHaveBeenCalledTimes(2) // the list is reloaded
  })

  it('Ctrl+Enter in the box adds too', async () => {
    b.Suppress.mockResolvedValue({ added: 1, ignored: [] })
    await mount()
    await fireEvent.input(byId('suppress-input'), { target: { value: '@spam.example' } })
    await fireEvent.keyDown(byId('suppress-input'), { key: 'Enter', ctrlKey: true })
    await settle()
    expect(b.Suppress).toHaveBeenCalledWith('@spam.example')
  })

  it('a failed Add shows the backend message', async () => {
    b.Suppress.mockRejectedValue('Could not update the suppression list: disk full')
    await mount()
    await fireEvent.input(byId('suppress-input'), { target: { value: 'a@b.example' } })
    await fireEvent.click(byId('suppress-add'))
    await settle()
    expect(byId('suppress-error').textContent).toContain('disk full')
    expect(maybe('suppress-result')).toBeNull()
  })

  it.each([
    { name: 'a cancelled dialog shows nothing', answer: { added: 0, ignored: [] }, added: null, ignored: 0 },
    { name: 'an imported file shows the result', answer: { added: 40, ignored: ['x', 'y'] }, added: '40 added', ignored: 2 },
    { name: 'a file of bad lines shows them', answer: { added: 0, ignored: ['x'] }, added: '0 added', ignored: 1 },
  ])('Import: $name', async ({ answer, added, ignored }) => {
    b.ImportSuppressions.mockResolvedValue(answer)
    await mount()
    await fireEvent.click(byId('suppress-import'))
    await settle()
    expect(b.ImportSuppressions).toHaveBeenCalledOnce()
    expect(maybe('suppress-added')?.textContent ?? null).toBe(added)
    expect(screen.queryAllByTestId('suppress-ignored')).toHaveLength(ignored)
  })

  it('a long list of refused entries is cut short', async () => {
    b.ImportSuppressions.mockResolvedValue({ added: 0, ignored: Array.from({ length: 25 }, (_, i) => `bad${i}`) })
    await mount()
    await fireEvent.click(byId('suppress-import'))
    await settle()
    expect(screen.getAllByTestId('suppress-ignored')).toHaveLength(20)
    expect(byId('suppress-ignored-more').textContent).toContain('5 other entries')
  })

  it('lists entries by kind, readable reason, date and fingerprint, and explains why', async () => {
    b.Suppressions.mockResolvedValue([
      suppression(subject, { kind: 'address', reason: 'erasure' }),
      suppression('b'.repeat(64), { kind: 'domain', reason: 'unsubscribe' }),
    ])
    await mount()
    const rows = screen.getAllByTestId('suppression-row')
    expect(rows).toHaveLength(2)
    const cells = (r: HTMLElement) => [...r.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent)
    expect(cells(rows[0])).toEqual(['Address', 'Erasure request', expect.stringContaining('2025'), subject.slice(0, 12)])
    expect(cells(rows[1])).toEqual(['Domain', 'Unsubscribed', expect.stringContaining('2025'), 'bbbbbbbbbbbb'])
    expect(rows[0].textContent).not.toContain(subject) // never the whole hash
    expect(byId('suppress-hash-note').textContent).toContain('keyed fingerprint')
  })

  it('an empty list says so', async () => {
    await mount()
    expect(byId('suppression-empty')).toBeTruthy()
  })

  it('Remove asks first; No keeps the entry, Yes removes it', async () => {
    b.Suppressions.mockResolvedValue([suppression(subject)])
    await mount()
    await fireEvent.click(byId('suppression-remove'))
    expect(b.RemoveSuppression).not.toHaveBeenCalled()
    expect(byId('suppression-row').textContent).toContain('Remove?')
    expect(document.activeElement).toBe(byId('suppression-remove-no'))
    await fireEvent.click(byId('suppression-remove-no'))
    expect(maybe('suppression-remove-yes')).toBeNull()
    expect(document.activeElement).toBe(byId('suppression-remove'))
    expect(b.RemoveSuppression).not.toHaveBeenCalled()

    await fireEvent.click(byId('suppression-remove'))
    b.Suppressions.mockResolvedValue([])
    await fireEvent.click(byId('suppression-remove-yes'))
    await settle()
    expect(b.RemoveSuppression).toHaveBeenCalledWith(subject)
    expect(maybe('suppression-row')).toBeNull()
  })

  it('a failed removal keeps the entry and shows why', async () => {
    b.Suppressions.mockResolvedValue([suppression(subject)])
    b.RemoveSuppression.mockRejectedValue('database is locked')
    await mount()
    await fireEvent.click(byId('suppression-remove'))
    await fireEvent.click(byId('suppression-remove-yes'))
    await settle()
    expect(byId('suppression-remove-error').textContent).toContain('database is locked')
    expect(byId('suppression-row')).toBeTruthy()
  })
})

describe('Retention', () => {
  const fields = {
    contact_months: 'retention-contact-months',
    verification_days: 'retention-verification-days',
    enrichment_months: 'retention-enrichment-months',
  } as const

  it('shows the saved settings', async () => {
    b.Retention.mockResolvedValue({ contact_months: 24, verification_days: 90, enrichment_months: 12 })
    await mount()
    expect(input(fields.contact_months).value).toBe('24')
    expect(input(fields.verification_days).value).toBe('90')
    expect(input(fields.enrichment_months).value).toBe('12')
  })

  it.each([
    ['contact_months', '0', 'Delete contacts not seen for (months)'],
    ['verification_days', '1.5', 'Address verification results expire after (days)'],
    ['enrichment_months', '', 'Enrichment results expire after (months)'],
  ] as const)('a wrong %s (%j) is named and not saved', async (field, value, label) => {
    await mount()
    await fireEvent.input(input(fields[field]), { target: { value } })
    await fireEvent.click(byId('retention-save'))
    await settle()
    expect(b.SetRetention).not.toHaveBeenCalled()
    expect(byId('retention-error').textContent).toContain(label)
    expect(input(fields[field]).getAttribute('aria-invalid')).toBe('true')
    expect(document.activeElement).toBe(input(fields[field]))
    for (const [other, id] of Object.entries(fields)) {
      if (other !== field) expect(input(id).getAttribute('aria-invalid')).toBeNull()
    }
    expect(byId(`${fields[field]}-error`).textContent).toContain('whole number')
  })

  it('Save sends the numbers and says it is saved', async () => {
    await mount()
    await fireEvent.input(input(fields.contact_months), { target: { value: '18' } })
    await fireEvent.input(input(fields.verification_days), { target: { value: '30' } })
    await fireEvent.click(byId('retention-save'))
    await settle()
    expect(b.SetRetention).toHaveBeenCalledWith({ contact_months: 18, verification_days: 30, enrichment_months: 6 })
    expect(byId('retention-saved').textContent).toBe('Saved.')
    expect(maybe('retention-error')).toBeNull()
  })

  it('a refused save shows the backend message', async () => {
    b.SetRetention.mockRejectedValue('read-only database')
    await mount()
    await fireEvent.click(byId('retention-save'))
    await settle()
    expect(byId('retention-error').textContent).toContain('read-only database')
    expect(maybe('retention-saved')).toBeNull()
  })

  it.each([
    [{ marked_deleted: 3, purged: 1, messages: 120 }, '3 contacts marked for deletion, 1 purged, 120 messages removed.'],
    [{ marked_deleted: 1, purged: 0, messages: 1 }, '1 contact marked for deletion, 0 purged, 1 message removed.'],
  ])('Purge now shows what it did, with the time (%o)', async (counts, text) => {
    const at = '2025-03-01T10:32:05Z'
    b.PurgeNow.mockResolvedValue({ ...counts, at })
    await mount()
    await fireEvent.click(byId('purge-now'))
    await settle()
    expect(b.PurgeNow).toHaveBeenCalledOnce()
    const result = byId('purge-result').textContent ?? ''
    expect(result).toContain(text)
    expect(result).toContain(new Date(at).toLocaleTimeString())
  })

  it('a failed purge shows the backend message', async () => {
    b.PurgeNow.mockRejectedValue('Could not apply retention: database is locked')
    await mount()
    await fireEvent.click(byId('purge-now'))
    await settle()
    expect(byId('purge-error').textContent).toContain('database is locked')
    expect(maybe('purge-result')).toBeNull()
  })
})

describe('Delete all my data', () => {
  it('explains what goes before anything is typed', async () => {
    await mount()
    const zone = byId('privacy-delete').textContent ?? ''
    for (const word of ['database', 'caches', 'logs', 'keychain', 'quits']) expect(zone).toContain(word)
  })

  it.each(['', 'delete', 'Delete', 'DELET', 'DELETE ', ' DELETE', 'DELETED'])(
    'stays disabled with %j typed',
    async (typed) => {
      await mount()
      await fireEvent.input(input('delete-confirm-input'), { target: { value: typed } })
      expect(button('delete-all').disabled).toBe(true)
      await fireEvent.submit(button('delete-all').form!)
      await settle()
      expect(b.DeleteAllData).not.toHaveBeenCalled()
    },
  )

  it('with DELETE typed, the button calls the backend', async () => {
    await mount()
    await fireEvent.input(input('delete-confirm-input'), { target: { value: 'DELETE' } })
    expect(button('delete-all').disabled).toBe(false)
    await fireEvent.click(byId('delete-all'))
    await settle()
    expect(b.DeleteAllData).toHaveBeenCalledWith('DELETE')
    expect(byId('delete-done')).toBeTruthy()
  })

  it('a failure shows the backend message', async () => {
    b.DeleteAllData.mockRejectedValue('Some data could not be deleted: permission denied')
    await mount()
    await fireEvent.input(input('delete-confirm-input'), { target: { value: 'DELETE' } })
    await fireEvent.click(byId('delete-all'))
    await settle()
    expect(byId('delete-error').textContent).toContain('permission denied')
    expect(maybe('delete-done')).toBeNull()
  })
})

describe('hostile strings render as text', () => {
  it('in the register, the log and the list', async () => {
    b.Subprocessors.mockResolvedValue([
      subprocessor('evil', {
        name: HOSTILE, purpose: '<b>bold</b>', data: ['<script>alert(1)</script>'], region: '<i>x</i>', eea: false,
        website: 'javascript:alert(1)',
      }),
    ])
    b.EgressLog.mockResolvedValue([egressEvent(1, { subprocessor: HOSTILE, purpose: '<b>p</b>', outcome: HOSTILE })])
    b.Suppressions.mockResolvedValue([suppression('<img src=y onerror=alert(2)>', { reason: '<b>r</b>', kind: 'address' })])
    b.Suppress.mockResolvedValue({ added: 0, ignored: [HOSTILE] })
    const { container } = await mount()
    await fireEvent.input(byId('suppress-input'), { target: { value: HOSTILE } })
    await fireEvent.click(byId('suppress-add'))
    await settle()

    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('b')).toBeNull()
    expect(container.querySelector('i')).toBeNull()
    expect(container.querySelector('script')).toBeNull()
    expect(byId('privacy-register').querySelector('a')).toBeNull()
    for (const a of container.querySelectorAll('a')) expect(a.getAttribute('href')).toMatch(/^#privacy-/)

    expect(byId('subprocessor-row-evil').textContent).toContain(HOSTILE)
    expect(byId('subprocessor-website-evil').textContent).toBe('javascript:alert(1)')
    expect(byId('eea-warning-evil').textContent).toContain(`Data sent to ${HOSTILE} leaves the European Economic Area (<i>x</i>)`)
    expect(input('subprocessor-switch-evil').getAttribute('aria-label')).toBe(`Send data to ${HOSTILE}`)
    expect(byId('egress-row').textContent).toContain(HOSTILE)
    expect(byId('suppression-row').textContent).toContain('<b>r</b>')
    expect(byId('suppression-fingerprint').textContent).toBe('<img src=y o')
    expect(byId('suppress-ignored').textContent).toBe(`Not an address or @domain: ${HOSTILE}`)
  })
})
