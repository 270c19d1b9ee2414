// Regenerates disposable.txt and free_providers.txt from their npm packages
// (see README.md here). Run with `make domain-lists`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const here = new URL('.', import.meta.url).pathname
const packages = { disposable: 'disposable-email-domains-js@1.26.0', free: 'free-email-domains@1.12.6' }
// Providers the free list misses (the hosted LeadMiner lists gandi.net).
const extraProviders = [
  'hey.com', 'tutanota.com', 'tutanota.de', 'tuta.io', 'tutamail.com', 'tuta.com', 'gandi.net', 'proton.me',
  'pm.me', 'protonmail.ch', 'duck.com', 'skiff.com', 'mailbox.org', 'posteo.net', 'runbox.com', 'hushmail.com',
]

const tmp = mkdtempSync(join(tmpdir(), 'domain-lists-'))
try {
  const unpack = (spec) => {
    const tgz = execFileSync('npm', ['pack', '--silent', spec], { cwd: tmp }).toString().trim()
    const dir = join(tmp, tgz.replace(/\.tgz$/, ''))
    execFileSync('mkdir', ['-p', dir])
    execFileSync('tar', ['xzf', join(tmp, tgz), '-C', dir])
    return join(dir, 'package')
  }
  const norm = (list) => [...new Set(list.map((d) => d.trim().toLowerCase()).filter(Boolean))].sort()
  const disposable = norm(JSON.parse(readFileSync(join(unpack(packages.disposable), 'dist/dict/disposable_email_blocklist.json'))))
  const isDisposable = new Set(disposable)
  const free = norm(
    JSON.parse(readFileSync(join(unpack(packages.free), 'domains.json')))
      .filter((d) => !isDisposable.has(d.trim().toLowerCase()))
      .concat(extraProviders),
  )
  const header = (what) => `# ${what}: one domain per line, exact match.\n# Origin: see README.md in this directory.\n`
  writeFileSync(join(here, 'disposable.txt'), header('Disposable (throw-away) e-mail domains') + disposable.join('\n') + '\n')
  writeFileSync(join(here, 'free_providers.txt'), header('Free e-mail providers') + free.join('\n') + '\n')
  console.log(`${disposable.length} disposable domains, ${free.length} free providers`)
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
