import { describe, expect, it } from 'vitest'
import { applyDetection, emptyForm, resultFromError, validate } from './imap'

describe('validate', () => {
  const ok = { ...emptyForm(), email: 'ada@example.com', password: 'pw', host: 'imap.example.com' }
  it('accepts a complete form', () => expect(validate(ok)).toBeNull())
  it('flags the missing field', () => {
    expect(validate({ ...ok, email: '' })?.field).toBe('email')
    expect(validate({ ...ok, email: 'ada' })?.field).toBe('email')
    expect(validate({ ...ok, password: '' })?.field).toBe('password')
    expect(validate({ ...ok, host: ' ' })?.field).toBe('host')
    expect(validate({ ...ok, port: 0 })?.field).toBe('port')
    expect(validate({ ...ok, port: 70000 })?.field).toBe('port')
  })
})

describe('applyDetection', () => {
  it('fills host, port and security, and forgets a trusted certificate', () => {
    const f = applyDetection({ ...emptyForm(), trusted_cert: 'sha256:x' },
      { provider: 'Fastmail', host: 'imap.fastmail.com', port: 993, security: 'implicit', oauth: '', note: '' })
    expect(f).toMatchObject({ host: 'imap.fastmail.com', port: 993, security: 'implicit', trusted_cert: '' })
  })
  it('keeps the form when nothing was found', () => {
    const f = { ...emptyForm(), host: 'mine' }
    expect(applyDetection(f, { provider: '', host: '', port: 0, security: 'implicit', oauth: '', note: '' })).toBe(f)
  })
})

describe('resultFromError', () => {
  it('reads a JSON TestResult', () => {
    const r = resultFromError(JSON.stringify({ ok: false, field: 'port', message: 'Closed', fingerprint: '' }))
    expect(r).toEqual({ ok: false, field: 'port', message: 'Closed', fingerprint: '' })
  })
  it('shows anything else for the whole form', () => {
    expect(resultFromError(new Error('boom'))).toEqual({ ok: false, field: '', message: 'boom', fingerprint: '' })
    expect(resultFromError('{"field":"nope","message":"m"}').field).toBe('')
  })
})
