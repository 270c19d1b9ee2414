// Which screen is shown; the wizard's last step opens the contacts.
export type View = 'mine' | 'contacts' | 'privacy'

class Nav {
  view = $state<View>('mine')
  go(v: View) {
    this.view = v
  }
}

export const nav = new Nav()
