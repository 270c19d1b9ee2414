// The IMAP form's pure rules: defaults, checks before calling the backend,
// and reading the backend's answer.
import { errorMessage, type IMAPForm, type ProviderSettings, type Security, type TestResult } from '../lib/api'
import { wizard as s } from '../lib/strings'

export type Field = TestResult['field']

export function emptyForm(): IMAPForm {
  return { email: '', username: '', password: '', host: '', port: 993, security: 'implicit', trusted_cert: '' }
}

export function defaultPort(sec: Security): number {
  return sec === 'implicit' ? 993 : 143
}

export function looksLikeEmail(v: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim())
}

/** Fields that live in the "Server settings" section. */
export function isServerField(f: Field): boolean {
  return f === 'host' || f === 'port' || f === 'security' || f === 'username'
}

function fail(field: Field, message: string): TestResult {
  return { ok: false, field, message, fingerprint: '' }
}

/** What is missing before the form can be sent; null when it can. */
export function validate(form: IMAPForm): TestResult | null {
  if (form.email.trim() === '') return fail('email', s.imap.required.email)
  if (!looksLikeEmail(form.email)) return fail('email', s.imap.required.emailInvalid)
  if (form.password === '') return fail('password', s.imap.required.password)
  if (form.host.trim() === '') return fail('host', s.imap.required.host)
  if (!Number.isInteger(form.port) || form.port < 1 || form.port > 65535) return fail('port', s.imap.required.port)
  return null
}

/** The form with detected settings applied (the user may still edit them). */
export function applyDetection(form: IMAPForm, p: ProviderSettings): IMAPForm {
  if (p.host === '') return form
  return { ...form, host: p.host, port: p.port > 0 ? p.port : defaultPort(p.security), security: p.security, trusted_cert: '' }
}

const fields: readonly Field[] = ['', 'email', 'username', 'password', 'host', 'port', 'security']

/**
 * Turns a rejected AddIMAPAccount (or TestIMAP) into a TestResult. The backend
 * may reject with a JSON TestResult so the right field is flagged; any other
 * message is shown for the whole form.
 */
export function resultFromError(e: unknown): TestResult {
  const message = errorMessage(e)
  try {
    const v: unknown = JSON.parse(message)
    if (v && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') {
      const r = v as Partial<TestResult>
      return {
        ok: false,
        field: fields.includes(r.field as Field) ? (r.field as Field) : '',
        message: r.message || s.imap.failed,
        fingerprint: typeof r.fingerprint === 'string' ? r.fingerprint : '',
      }
    }
  } catch {
    // not JSON: a plain message
  }
  return fail('', message || s.imap.failed)
}
