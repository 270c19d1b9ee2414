import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import ContactList from './ContactList.svelte'

describe('ContactList', () => {
  it('shows a hint when there are no contacts', () => {
    render(ContactList, { contacts: [], total: 0 })
    expect(screen.getByText(/No contacts yet/)).toBeTruthy()
  })

  it('renders hostile names as text, never as markup', () => {
    const name = '<img src=x onerror=alert(1)>'
    const { container } = render(ContactList, {
      contacts: [{ email: 'x@example.com', name, tags: ['professional'], occurrence: 3, temperature: 42, recency: null }],
      total: 1,
    })
    expect(screen.getByText(name)).toBeTruthy()
    expect(container.querySelector('img')).toBeNull()
  })
})
