// Strings of the Privacy area (src/privacy/**).

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`
}

export const privacy = {
  title: 'Privacy',
  intro:
    'What leaves this computer, who is never mined, how long data is kept, and how to delete everything.',
  sectionsLabel: 'Privacy sections',
  loading: 'Loading…',
  retry: 'Try again',
  never: 'Never',

  register: {
    title: 'Third-party services',
    intro:
      'LeadMiner works on this computer. The services below are the only ones it can send data to, apart from your own mail servers.',
    offByDefault:
      'Every switch is off until you turn it on. While a switch is off, nothing is sent to that service; with every switch off, nothing leaves this machine.',
    loadError: 'Could not load the list of services',
    empty: 'No third-party service is registered: nothing leaves this machine.',
    purpose: 'Purpose',
    data: 'Data sent',
    region: 'Where the data goes',
    website: 'Website',
    lastUsed: 'Last used',
    switchLabel: (name: string) => `Send data to ${name}`,
    on: 'On',
    off: 'Off',
    saving: 'Saving…',
    eeaWarning: (name: string, region: string) =>
      `Data sent to ${name} leaves the European Economic Area (${region})`,
    setFailed: (name: string, message: string) => `${name}: ${message}`,
  },

  egress: {
    title: 'What left this machine',
    intro: 'Every call to a third-party service is logged: when, to which service, why and how much. Newest first.',
    caption: 'Calls to third-party services',
    loadError: 'Could not load the log',
    empty: 'Nothing has left this machine.',
    refresh: 'Refresh',
    refreshing: 'Refreshing…',
    limited: (n: number) => `Showing the last ${n.toLocaleString('en')} calls.`,
    col: {
      at: 'Time',
      subprocessor: 'Service',
      purpose: 'Purpose',
      records: 'Records',
      bytes: 'Data sent',
      outcome: 'Outcome',
    },
  },

  suppress: {
    title: 'Do Not Mine Me',
    intro:
      'People on this list are never mined again: their address is skipped in every mailbox. Add an address, or a whole domain as @domain.',
    hashNote:
      'Addresses are kept only as a keyed fingerprint, never in clear, so this list cannot show them: each entry is shown by the start of its fingerprint.',
    inputLabel: 'Addresses and @domains to add',
    inputHint: 'One per line, or separated by commas. For example: jane@example.com, @example.org',
    add: 'Add',
    adding: 'Adding…',
    import: 'Import a list…',
    importing: 'Importing…',
    added: (n: number) => `${n.toLocaleString('en')} added`,
    ignored: (entry: string) => `Not an address or @domain: ${entry}`,
    ignoredMore: (n: number) => `…and ${count(n, 'other entry', 'other entries')} not added.`,
    addFailed: 'Could not add to the list',
    importFailed: 'Could not import the list',
    loadError: 'Could not load the list',
    listTitle: 'On the list',
    caption: 'Entries of the Do Not Mine Me list',
    total: (n: number) => count(n, 'entry', 'entries'),
    empty: 'The list is empty.',
    col: {
      kind: 'Kind',
      reason: 'Reason',
      added: 'Added',
      fingerprint: 'Fingerprint',
      actions: 'Actions',
    },
    kind: {
      address: 'Address',
      domain: 'Domain',
    } as Record<string, string>,
    reason: {
      manual: 'Added by hand',
      import: 'Imported from a list',
      erasure: 'Erasure request',
      objection: 'Objection',
      unsubscribe: 'Unsubscribed',
    } as Record<string, string>,
    remove: 'Remove',
    removeLabel: (fingerprint: string) => `Remove entry ${fingerprint}`,
    removeConfirm: 'Remove? This person can be mined again.',
    removeConfirmLabel: (fingerprint: string) => `Confirm removing entry ${fingerprint}`,
    yes: 'Yes',
    no: 'No',
    removeFailed: 'Could not remove the entry',
  },

  retention: {
    title: 'Data retention',
    intro: 'How long LeadMiner keeps what it found. Data older than this is removed automatically every day.',
    loadError: 'Could not load the retention settings',
    contactMonths: 'Delete contacts not seen for (months)',
    contactMonthsHint: 'Counted from the last message they appear in.',
    verificationDays: 'Address verification results expire after (days)',
    enrichmentMonths: 'Enrichment results expire after (months)',
    invalid: (max: number) => `Enter a whole number from 1 to ${max.toLocaleString('en')}.`,
    invalidFields: (fields: string[]) => `Check ${fields.length === 1 ? 'this field' : 'these fields'}: ${fields.join('; ')}.`,
    save: 'Save',
    saving: 'Saving…',
    saved: 'Saved.',
    saveFailed: 'Could not save the retention settings',
  },

  purge: {
    title: 'Apply retention now',
    hint:
      'Contacts past the retention period are hidden now and deleted for good after a 7-day grace period; message details no contact needs any more are removed.',
    button: 'Purge now',
    running: 'Purging…',
    failed: 'Could not apply retention',
    summary: (marked: number, purged: number, messages: number, at: string) =>
      `${at ? `Done at ${at}: ` : ''}${count(marked, 'contact', 'contacts')} marked for deletion, ${purged.toLocaleString('en')} purged, ${count(messages, 'message', 'messages')} removed.`,
  },

  deleteAll: {
    title: 'Delete all my data',
    warning:
      'This deletes the database, the caches, the logs and every password and token LeadMiner saved in the keychain, then quits LeadMiner. It cannot be undone.',
    confirmLabel: (word: string) => `Type ${word} to confirm`,
    button: 'Delete all my data',
    running: 'Deleting…',
    done: 'All your data was deleted. LeadMiner is closing.',
    failed: 'Could not delete all the data',
  },

  units: {
    bytes: 'B',
    larger: ['kB', 'MB', 'GB', 'TB'],
  },
}
