// Strings of the mining wizard (Source → Mine → Contacts).

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`
}

export const wizard = {
  steps: {
    label: 'Mining steps',
    source: 'Source',
    mine: 'Mine',
    contacts: 'Contacts',
    done: ' (done)',
  },

  source: {
    title: 'Choose what to mine',
    intro:
      'LeadMiner reads the senders and recipients of your messages, never their content, and keeps everything on this computer.',
    error: 'Could not open this source',
    busyMining: 'A mining run is in progress. Halt it or wait for it to finish before mining another source.',
    addedWhileMining: 'Added. You can mine it once the current run is finished.',

    demoTitle: 'Just looking?',
    demoButton: 'Try the demo mailbox',
    demoBusy: 'Opening the demo…',
    demoHint: 'A sample mailbox built into the app. No account needed.',

    localTitle: 'Mail on this computer',
    localHint: 'A Maildir, a folder of .eml files, or an mbox file (exported from Thunderbird, Apple Mail, Google Takeout…).',
    localFolder: 'Open a mail folder…',
    localFile: 'Open an mbox file…',
    localBusy: 'Opening…',
    dropHint: 'You can also drop mail folders or files onto this window.',
    dropBusy: 'Adding the dropped mail…',
    dropFailed: (path: string, message: string) => `Could not open ${path}: ${message}`,
  },

  accounts: {
    title: 'Your accounts',
    loading: 'Loading your accounts…',
    loadError: 'Could not load your accounts',
    mine: (label: string) => `Mine ${label}`,
    kind: {
      imap: 'IMAP account',
      maildir: 'Maildir',
      mbox: 'mbox file',
      eml: 'Folder of .eml files',
      demo: 'Demo mailbox',
    } as Record<string, string>,
    status: {
      ready: 'Ready',
      'needs-password': 'Needs password',
      mining: 'Mining…',
      error: 'Error',
    } as Record<string, string>,
    needsPassword: (label: string) => `Enter the password of ${label} again below, then add the account.`,
    neverMined: 'Not mined yet',
    lastMined: (date: string) => `Last mined ${date}`,
    contacts: (n: number) => plural(n, 'contact', 'contacts'),
    remove: 'Remove',
    removeLabel: (label: string) => `Remove ${label}`,
    removeConfirm: (label: string) => `Remove “${label}” from LeadMiner?`,
    removeYes: 'Yes, remove',
    removeCancel: 'Keep it',
    removeFailed: 'Could not remove this account',
  },

  imap: {
    title: 'Email account (IMAP)',
    hint: 'Works with most providers: Fastmail, iCloud, Yahoo, your company or ISP mail…',
    email: 'Email address',
    password: 'Password',
    detect: 'Detect',
    detecting: 'Detecting…',
    detected: (provider: string) => `${provider} settings detected.`,
    guessed: 'We guessed the server settings. Check them if the test fails.',
    notDetected: 'We could not detect the server settings. Please enter them below.',
    detectFailed: 'Detection failed. Please enter the server settings below.',
    oauth: (provider: string) =>
      `Signing in with ${provider === 'google' ? 'Google' : 'Microsoft'} comes in a later version. For now, your provider may require an app password instead of your usual password.`,
    settings: 'Server settings',
    username: 'Username (optional)',
    usernameHint: 'Leave empty to sign in with the email address.',
    host: 'IMAP server',
    port: 'Port',
    security: 'Security',
    securityOptions: {
      implicit: 'SSL/TLS (993)',
      starttls: 'STARTTLS (143)',
      none: 'None (this computer only)',
    },
    test: 'Test connection',
    testing: 'Testing…',
    testOk: 'Connection works.',
    add: 'Add account',
    adding: 'Adding…',
    certTitle: 'The server’s certificate is not trusted.',
    certHint:
      'It may be self-signed. Compare this fingerprint with the one given by your provider or administrator before trusting it:',
    certTrust: 'Trust this certificate',
    certRetest: 'Then test the connection again.',
    required: {
      email: 'Enter your email address.',
      emailInvalid: 'This does not look like an email address.',
      password: 'Enter your password.',
      host: 'Enter the IMAP server name.',
      port: 'Enter a port between 1 and 65535.',
    },
    failed: 'The connection failed.',
  },

  mine: {
    title: (label: string) => `Mine ${label}`,
    changeSource: 'Change source',
    loadingFolders: 'Retrieving your mailboxes…',
    foldersError: 'Could not list the folders of this mailbox',
    reloadFolders: 'Try again',
    foldersTitle: 'Folders to mine',
    noFolders: 'This mailbox has no folders to mine.',
    selectDefault: 'Default selection',
    selectNone: 'Clear',
    folderCount: (n: number) => (n < 0 ? '' : n.toLocaleString('en')),
    folderCountLabel: (n: number) => (n < 0 ? 'unknown number of messages' : plural(n, 'message', 'messages')),
    selectedTotal: (folders: number, messages: number, unknown: number) =>
      `${plural(folders, 'folder', 'folders')} selected · ${plural(messages, 'message', 'messages')}` +
      (unknown > 0 ? ` (+ ${plural(unknown, 'folder', 'folders')} not counted yet)` : ''),
    nothingSelected: 'Select at least one folder to start mining.',
    start: 'Start mining',
    starting: 'Starting…',
    halt: 'Halt mining',
    halting: 'Halting…',
    haltFailed: 'Could not halt the mining',
    rights: 'Your contacts have rights: you need their consent or a legitimate interest to contact them.',
    mineOther: 'Mine other folders',
    anotherSource: 'Mine another source',
  },

  progress: {
    title: 'Mining in progress',
    starting: 'Starting…',
    phase: {
      listing: 'Listing folders…',
      counting: 'Counting messages…',
      mining: (folder: string) => (folder ? `Mining ${folder}…` : 'Mining…'),
      ranking: 'Ranking contacts…',
      done: 'Finishing…',
    },
    folderOf: (done: number, total: number) => `folder ${done} of ${total}`,
    barLabel: 'Mining progress',
    messages: 'messages',
    contacts: 'contacts found',
    rate: (rate: string) => `${rate} msg/s`,
    remaining: (eta: string) => `${eta} remaining`,
    skipped: (n: number) => `${plural(n, 'message', 'messages')} skipped (unreadable)`,
  },

  error: {
    title: 'The mining was interrupted',
    kept: 'Nothing mined so far is lost: retrying resumes where it stopped.',
    retry: 'Retry',
  },

  summary: {
    title: 'Mining complete',
    halted: 'Mining halted. What was mined so far is kept.',
    messages: 'Messages mined',
    newMessages: (n: number) => `(${n.toLocaleString('en')} new)`,
    newContacts: 'New contacts',
    contacts: 'Contacts in total',
    duplicates: 'Duplicate messages',
    skipped: 'Skipped (unreadable)',
    duration: 'Duration',
    seeContacts: 'See your contacts',
  },

  time: {
    lessThan5s: '< 5 seconds',
    seconds: (n: number) => `${n} ${n === 1 ? 'second' : 'seconds'}`,
    minutes: (n: number) => `${n} ${n === 1 ? 'minute' : 'minutes'}`,
    hours: (n: number) => `${n} ${n === 1 ? 'hour' : 'hours'}`,
    lessThan1s: 'less than a second',
  },
}
