// End-to-end: the real app (Go backend + this frontend, dev build under
// Xvfb) driven from Debian's Chromium with playwright-core. Started by
// TestEndToEnd in ../../e2e_test.go, which passes the environment below.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const env = (name) => {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set: run through TestEndToEnd (make test)`)
  return v
}
const URL_ = env('E2E_URL')
const DIALOGS = env('E2E_DIALOGS')

let browser
let page
const alerts = []

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.on('dialog', async (d) => {
    alerts.push(d.message())
    await d.dismiss()
  })
  page.on('pageerror', (e) => console.error('page error:', e.stack || e.message))
  await page.goto(URL_)
  await page.waitForFunction(() => window.go?.main?.App && window.runtime, null, { timeout: 30_000 })
})

after(async () => {
  await browser?.close()
})

const byTestId = (id) => page.getByTestId(id)

/** Parses RFC 4180 CSV (quotes, doubled quotes, CRLF). */
function parseCSV(text, delim = ',') {
  const rows = []
  let row = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++ }
      else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === delim) { row.push(cell); cell = '' }
    else if (c === '\r') { /* part of CRLF */ }
    else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = '' }
    else cell += c
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row) }
  return rows
}

async function totalContacts() {
  const text = await byTestId('contacts-total').innerText()
  const m = text.replace(/[,\u202f\u00a0]/g, '').match(/(\d+)/g)
  assert.ok(m, `no number in "${text}"`)
  return Number(m[m.length - 1])
}

/** Opens the wizard on its first step, whatever step it was on. */
async function wizardSource() {
  await byTestId('nav-mine').click()
  if (await byTestId('source-demo').count() === 0) await byTestId('step-source').click()
  await byTestId('source-demo').waitFor()
}

/** Sets a quick filter from the filters menu. */
async function quick(key, on) {
  if (!(await byTestId('quick-' + key).isVisible())) await byTestId('filters-menu').click()
  await byTestId('quick-' + key).setChecked(on, { force: true })
  await page.keyboard.press('Escape')
}

async function mineSelectedSource() {
  await byTestId('folder-tree').waitFor()
  await byTestId('mine-start').click()
  try {
    await byTestId('mine-summary').waitFor({ timeout: 60_000 })
  } catch (e) {
    const state = await page.evaluate(() => window.go.main.App.MiningState())
    await page.screenshot({ path: join(DIALOGS, 'failure.png') })
    console.error('mining state:', JSON.stringify(state), '\npage:', (await page.locator('main').innerText()).slice(0, 2000))
    throw e
  }
}

test('the wizard mines the demo mailbox and opens the contacts', async () => {
  await wizardSource()
  await byTestId('source-demo').click()
  await mineSelectedSource()
  await byTestId('see-contacts').click()
  await page.locator('[data-testid="row"]').first().waitFor()
  assert.ok((await totalContacts()) > 50, 'the demo gives more than 50 visible contacts')
})

test('search narrows the table to matching contacts', async () => {
  const all = await totalContacts()
  await byTestId('contacts-search').fill('jordan')
  await page.waitForFunction((n) => {
    const t = document.querySelector('[data-testid="contacts-total"]')?.textContent ?? ''
    const m = t.replace(/[,\u202f\u00a0]/g, '').match(/(\d+)/g)
    return m && Number(m[m.length - 1]) < n
  }, all)
  const rows = await page.locator('[data-testid="row"]').allInnerTexts()
  assert.ok(rows.length > 0 && rows.every((r) => /jordan/i.test(r)), `rows: ${rows.join(' | ')}`)
  await byTestId('contacts-search').fill('')
  await page.waitForFunction((n) => (document.querySelector('[data-testid="contacts-total"]')?.textContent ?? '').replace(/[,\u202f\u00a0]/g, '').includes(String(n)), all)
})

test('a quick filter shows the hidden contacts', async () => {
  const visible = await totalContacts()
  await quick('show_hidden', true)
  await page.waitForFunction((n) => {
    const t = document.querySelector('[data-testid="contacts-total"]')?.textContent ?? ''
    const m = t.replace(/[,\u202f\u00a0]/g, '').match(/(\d+)/g)
    return m && Number(m[m.length - 1]) > n
  }, visible)
  await quick('show_hidden', false)
})

test('sorting by occurrence puts the most seen first', async () => {
  await byTestId('th-occurrence').click()
  await page.waitForTimeout(500)
  const values = await page.evaluate(async () => {
    const page = await window.go.main.App.QueryContacts({
      search: '', sort: { column: 'occurrence', desc: true },
      quick: { hide_unreachable: true, hide_unsubscribed: true, recent: false, replied: false, has_name: false, has_phone: false, has_job: false, show_hidden: false },
      filters: [], offset: 0, limit: 3,
    })
    return page.contacts.map((c) => c.email)
  })
  const first = await page.locator('[data-testid="row"]').first().innerText()
  assert.ok(first.includes(values[0]), `first row "${first}" should be ${values[0]}`)
  const sort = await byTestId('th-occurrence').getAttribute('aria-sort')
  assert.ok(sort === 'descending' || sort === 'ascending', `aria-sort=${sort}`)
})

test('editing a contact in the panel saves it', async () => {
  const row = page.locator('[data-testid="row"]').first()
  const email = (await row.getAttribute('data-email')) ?? ''
  await row.click()
  await byTestId('panel').waitFor()
  await byTestId('panel-edit').click()
  await byTestId('panel-field-job_title').fill('Chief Test Officer')
  await byTestId('panel-save').click()
  await page.waitForFunction(async (email) => {
    const p = await window.go.main.App.QueryContacts({
      search: 'Chief Test Officer', sort: null,
      quick: { hide_unreachable: false, hide_unsubscribed: false, recent: false, replied: false, has_name: false, has_phone: false, has_job: false, show_hidden: true },
      filters: [], offset: 0, limit: 5,
    })
    return p.contacts.some((c) => c.email === email && c.job_title === 'Chief Test Officer')
  }, email, { timeout: 10_000 })
  await page.keyboard.press('Escape')
})

test('export to CSV writes the selection with the chosen delimiter', async () => {
  const total = await totalContacts()
  for (const f of readdirSync(DIALOGS)) if (f.endsWith('.csv')) writeFileSync(join(DIALOGS, f), '')
  await byTestId('export-menu').click()
  await byTestId('export-csv').click()
  await byTestId('export-delimiter').selectOption('semicolon')
  await byTestId('export-go').click()
  await byTestId('toast').waitFor()
  const file = readdirSync(DIALOGS).find((f) => f.endsWith('.csv'))
  assert.ok(file, 'a CSV file was written')
  const rows = parseCSV(readFileSync(join(DIALOGS, file), 'utf8').replace(/^\uFEFF/, ''), ';')
  assert.equal(rows[0][0], 'Name')
  assert.ok(rows[0].includes('Temperature') && rows[0].includes('Consent'), rows[0].join(';'))
  assert.equal(rows.length - 1, total, 'one row per contact in the table')
})

test('dragging the export handle offers a real CSV file', async () => {
  const handle = byTestId('drag-export')
  await handle.hover()
  await page.mouse.down()
  await page.waitForTimeout(1500) // the file is prepared on hover / press
  const payload = await page.evaluate(() => {
    const el = document.querySelector('[data-testid="drag-export"]')
    const dt = new DataTransfer()
    el.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: dt }))
    return { uri: dt.getData('text/uri-list'), plain: dt.getData('text/plain') }
  })
  await page.mouse.up()
  assert.match(payload.uri, /^file:\/\//)
  const path = fileURLToPath(payload.uri.trim().split('\n')[0])
  assert.ok(existsSync(path), `${path} exists`)
  const rows = parseCSV(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), readFileSync(path, 'utf8').includes('Name;Email') ? ';' : ',')
  assert.equal(rows[0][1], 'Email')
  assert.ok(rows.length > 10, 'the dragged file holds the contacts')
})

test('a hostile display name is shown as text and runs nothing', async () => {
  writeFileSync(join(DIALOGS, 'open-folder'), env('E2E_MAILDIR'))
  await wizardSource()
  await byTestId('source-local-folder').click()
  await mineSelectedSource()
  await byTestId('see-contacts').click()
  await byTestId('contacts-search').fill('xss')
  const row = page.locator('[data-testid="row"]', { hasText: 'xss@evil.example' })
  await row.waitFor()
  assert.ok((await row.innerText()).includes('<img src=x onerror=alert(1)>'))
  assert.equal(await row.locator('img').count(), 0, 'no img element was created')
  await page.waitForTimeout(500)
  assert.deepEqual(alerts, [], 'no script ran')
  await byTestId('contacts-search').fill('')
})

test('files dropped on the window become a source to mine', async () => {
  // The native drop (GTK) sends this event with the dropped paths.
  await page.evaluate((path) => window.runtime.EventsEmit('files:dropped', [path]), env('E2E_MBOX'))
  await mineSelectedSource()
  await byTestId('see-contacts').click()
  await byTestId('contacts-search').fill('dora')
  await page.locator('[data-testid="row"]', { hasText: 'dora@dropped.example' }).waitFor()
  await byTestId('contacts-search').fill('')
})

test('an IMAP account: a wrong password is shown on the password field, then mining works', async () => {
  await wizardSource()
  await byTestId('imap-email').fill(env('E2E_IMAP_LOGIN'))
  await byTestId('imap-email').blur()
  await byTestId('imap-host').fill('127.0.0.1')
  await byTestId('imap-port').fill(env('E2E_IMAP_PORT'))
  await byTestId('imap-security').selectOption('none')
  await byTestId('imap-password').fill('wrong-password')
  await byTestId('imap-test').click()
  await byTestId('imap-error').waitFor()
  assert.equal(await byTestId('imap-password').getAttribute('aria-invalid'), 'true')
  await byTestId('imap-password').fill(env('E2E_IMAP_PASSWORD'))
  await byTestId('imap-add').click()
  await mineSelectedSource()
  await byTestId('see-contacts').click()
  await byTestId('contacts-search').fill('irene')
  await page.locator('[data-testid="row"]', { hasText: 'irene@imap-only.example' }).waitFor()
})

/** Contacts matching a search, whatever the quick filters, from the backend. */
async function searchBackend(search) {
  return page.evaluate((search) => window.go.main.App.QueryContacts({
    search, sort: null,
    quick: { hide_unreachable: false, hide_unsubscribed: false, recent: false, replied: false, has_name: false, has_phone: false, has_job: false, show_hidden: true },
    filters: [], offset: 0, limit: 5,
  }), search)
}

test('erasing a contact from the panel keeps them out of the next mine', async () => {
  await byTestId('nav-contacts').click()
  await byTestId('contacts-search').fill('xss')
  const row = page.locator('[data-testid="row"]', { hasText: 'xss@evil.example' })
  await row.click()
  await byTestId('panel-rights').waitFor()
  assert.match(await byTestId('rights-source').innerText(), /hostile-maildir/)
  await byTestId('rights-erase').click()
  await byTestId('confirm-ok').click()
  await byTestId('panel').waitFor({ state: 'detached' })
  await row.waitFor({ state: 'detached' })
  assert.equal((await searchBackend('xss')).total, 0)

  writeFileSync(join(DIALOGS, 'open-folder'), env('E2E_MAILDIR'))
  await wizardSource()
  await byTestId('source-local-folder').click()
  await mineSelectedSource()
  assert.equal((await searchBackend('xss')).total, 0, 'mining again did not bring the erased person back')
  await byTestId('see-contacts').click()
  await byTestId('contacts-search').fill('')
})

test('the Privacy area: every service off, a warning outside the EEA, a switch that holds, an empty egress log', async () => {
  await byTestId('nav-privacy').click()
  await byTestId('privacy-view').waitFor()
  for (const id of ['dns', 'zerobounce', 'mailercheck', 'openrouter']) {
    await byTestId('subprocessor-row-' + id).waitFor()
    assert.equal(await byTestId('subprocessor-switch-' + id).isChecked(), false, `${id} starts off`)
  }
  assert.equal(await byTestId('eea-warning-zerobounce').count(), 1, 'ZeroBounce is outside the EEA')
  assert.equal(await byTestId('eea-warning-mailercheck').count(), 0, 'MailerCheck stays in the EU')
  await byTestId('subprocessor-switch-mailercheck').click()
  await page.waitForFunction(async () => (await window.go.main.App.Subprocessors()).find((s) => s.id === 'mailercheck')?.enabled === true,
    null, { timeout: 10_000 })
  await byTestId('subprocessor-switch-mailercheck').click()
  await page.waitForFunction(async () => (await window.go.main.App.Subprocessors()).find((s) => s.id === 'mailercheck')?.enabled === false,
    null, { timeout: 10_000 })
  await byTestId('egress-empty').waitFor()
  await byTestId('nav-contacts').click()
})

const BROWSER_URL = join(DIALOGS, 'browser-url')

/** The address the app asked the system browser to open since the last clearBrowserURL. */
async function browserURL() {
  for (let i = 0; i < 200; i++) {
    const url = existsSync(BROWSER_URL) ? readFileSync(BROWSER_URL, 'utf8').trim() : ''
    if (url) return url
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('the app never asked the browser to open a sign-in page')
}

function clearBrowserURL() {
  writeFileSync(BROWSER_URL, '')
}

/** The user's browser: the provider approves and sends it back to the app. */
async function approveInBrowser(url) {
  const tab = await browser.newPage()
  await tab.goto(url)
  await tab.getByText('You are signed in').waitFor({ timeout: 15_000 })
  await tab.close()
}

/** Clicks a sign-in button and returns the address the app asked the system browser to open. */
async function startSignIn(provider) {
  clearBrowserURL()
  await wizardSource()
  await byTestId('signin-' + provider).click()
  await byTestId('signin-waiting').waitFor()
  return browserURL()
}

test('a sign-in left open in the browser can be cancelled', async () => {
  const url = await startSignIn('microsoft')
  assert.match(url, /\/common\/oauth2\/v2\.0\/authorize\?/)
  await byTestId('signin-cancel').click()
  await byTestId('signin-waiting').waitFor({ state: 'detached' })
  assert.match(await byTestId('source-notice').innerText(), /cancel/i)
  assert.equal(await byTestId('signin-microsoft').isEnabled(), true)
})

for (const [provider, label] of [['google', 'Google'], ['microsoft', 'Microsoft']]) {
  test(`Sign in with ${label}: approved in the browser, back in the wizard with the folders, and mined`, async () => {
    const url = await startSignIn(provider)
    const params = new URL(url).searchParams
    assert.equal(params.get('code_challenge_method'), 'S256')
    assert.match(params.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\//)
    assert.match(params.get('scope') ?? '', provider === 'google' ? /https:\/\/mail\.google\.com\// : /IMAP\.AccessAsUser\.All/)

    await approveInBrowser(url)

    await mineSelectedSource()
    await byTestId('see-contacts').click()
    await byTestId('contacts-search').fill('olga')
    await page.locator('[data-testid="row"]', { hasText: `olga@${provider}-partner.example` }).waitFor()
    await byTestId('contacts-search').fill('')

    await wizardSource()
    const row = page.locator('[data-testid="account-row"]', { hasText: env(`E2E_${provider.toUpperCase()}_USER`) })
    await row.waitFor()
    assert.equal(await page.locator('li', { has: row }).getByTestId('account-reconnect').count(), 0, 'a working account offers no reconnect')
  })
}

test('revoked access: the account says Needs reconnect, and Reconnect signs in again and mines', async () => {
  const res = await fetch(env('E2E_CONTROL') + '/revoke?provider=google', { method: 'POST' })
  assert.equal(res.status, 200)
  clearBrowserURL()
  await wizardSource()
  const row = page.locator('[data-testid="account-row"]', { hasText: env('E2E_GOOGLE_USER') })
  await row.click()
  // The mailbox refuses the old token and the provider the refresh token.
  await byTestId('folders-error').waitFor({ timeout: 30_000 })
  await byTestId('folders-reconnect').waitFor()
  await wizardSource()
  const item = page.locator('li', { has: row })
  await item.getByTestId('account-reconnect').waitFor()
  assert.match(await item.getByTestId('account-status').innerText(), /reconnect/i)

  await item.getByTestId('account-reconnect').click()
  await approveInBrowser(await browserURL())
  await mineSelectedSource()
  await wizardSource()
  await row.waitFor()
  assert.equal(await item.getByTestId('account-reconnect').count(), 0, 'still asks for a reconnect after one')
})
