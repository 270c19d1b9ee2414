export const common = {
  appName: 'LeadMiner',
  tagline: 'Your mailbox, turned into a clean, ranked contact list — on your machine.',
  navMine: 'Mine',
  navContacts: 'Contacts',
  navPrivacy: 'Privacy',
  error: 'Something went wrong',
  noBackend: 'The desktop backend is not connected.',
  close: 'Close',
  cancel: 'Cancel',
  save: 'Save',
  retry: 'Retry',
}
