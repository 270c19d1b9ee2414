package store

// migrations are applied in order at open; the database's user_version says
// how many have run. Never edit a released migration: add a new one.
var migrations = []string{
	// 1: the mining foundation.
	`
CREATE TABLE sources (
	id            INTEGER PRIMARY KEY,
	uri           TEXT NOT NULL UNIQUE,
	kind          TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	last_mined_at INTEGER
);

-- One row per mined folder; cursor is the source's resume point (an mbox
-- offset, an IMAP UIDVALIDITY/UID pair), committed with the data it covers.
CREATE TABLE folders (
	id        INTEGER PRIMARY KEY,
	source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	name      TEXT NOT NULL,
	cursor    TEXT NOT NULL DEFAULT '',
	UNIQUE (source_id, name)
);

-- Message metadata only, never bodies. key_hash identifies a message: the
-- first 64 bits of SHA-256 of its Message-ID (or of date, sender, subject
-- and recipients when it has none), so a message copied into several
-- folders is one row. An integer key keeps inserts fast; a unique index on
-- the text made them several times slower.
CREATE TABLE messages (
	id           INTEGER PRIMARY KEY,
	key_hash     INTEGER NOT NULL UNIQUE,
	message_id   TEXT,
	date         INTEGER,
	list_id      TEXT,
	conversation INTEGER NOT NULL DEFAULT 0,
	from_me      INTEGER NOT NULL DEFAULT 0,
	to_me        INTEGER NOT NULL DEFAULT 0,
	folder_id    INTEGER REFERENCES folders(id) ON DELETE SET NULL
);

-- Where each message was found; a re-run skips known locations.
CREATE TABLE message_locations (
	folder_id  INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
	location   TEXT NOT NULL,
	message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	PRIMARY KEY (folder_id, location)
) WITHOUT ROWID;
CREATE INDEX message_locations_message ON message_locations(message_id);

-- Contacts carry their derived stats so pages sort and filter on indexes;
-- the stats are recomputed from occurrences, never accumulated.
CREATE TABLE contacts (
	id                    INTEGER PRIMARY KEY,
	email                 TEXT NOT NULL UNIQUE,
	name                  TEXT NOT NULL DEFAULT '',
	given_name            TEXT NOT NULL DEFAULT '',
	family_name           TEXT NOT NULL DEFAULT '',
	job_title             TEXT NOT NULL DEFAULT '',
	works_for             TEXT NOT NULL DEFAULT '',
	location              TEXT NOT NULL DEFAULT '',
	image                 TEXT NOT NULL DEFAULT '',
	telephone             TEXT NOT NULL DEFAULT '[]',
	same_as               TEXT NOT NULL DEFAULT '[]',
	alternate_names       TEXT NOT NULL DEFAULT '[]',
	alternate_emails      TEXT NOT NULL DEFAULT '[]',
	status                TEXT NOT NULL DEFAULT '',
	occurrence            INTEGER NOT NULL DEFAULT 0,
	sender                INTEGER NOT NULL DEFAULT 0,
	recipient             INTEGER NOT NULL DEFAULT 0,
	conversations         INTEGER NOT NULL DEFAULT 0,
	replied_conversations INTEGER NOT NULL DEFAULT 0,
	written_to            INTEGER NOT NULL DEFAULT 0,
	personal              INTEGER NOT NULL DEFAULT 0,
	recency               INTEGER,
	seniority             INTEGER,
	temperature           INTEGER NOT NULL DEFAULT 0,
	temperature_day       TEXT NOT NULL DEFAULT '',
	hidden                INTEGER NOT NULL DEFAULT 0,
	-- dirty marks contacts with new occurrences whose stats are not yet
	-- recomputed; set in the same transaction as the occurrences, so a
	-- crashed run's contacts are brought up to date by the next one.
	dirty                 INTEGER NOT NULL DEFAULT 0,
	created_at            INTEGER NOT NULL,
	updated_at            INTEGER NOT NULL
);
CREATE INDEX contacts_rank ON contacts(hidden, temperature DESC, occurrence DESC, recency DESC);
CREATE INDEX contacts_dirty ON contacts(id) WHERE dirty = 1;

-- One row per (message, contact, field): the durable fact every stat is
-- computed from. name is the display name seen there (the name sighting).
CREATE TABLE occurrences (
	message_id   INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
	contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	field        INTEGER NOT NULL,
	name         TEXT,
	plus_address TEXT,
	header_tag   TEXT,
	PRIMARY KEY (message_id, contact_id, field)
) WITHOUT ROWID;
CREATE INDEX occurrences_contact ON occurrences(contact_id);

CREATE TABLE tags (
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	reachable  INTEGER NOT NULL,
	source     TEXT NOT NULL,
	PRIMARY KEY (contact_id, name)
) WITHOUT ROWID;
CREATE INDEX tags_name ON tags(name);

CREATE TABLE contact_sources (
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	source_id  INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	PRIMARY KEY (contact_id, source_id)
) WITHOUT ROWID;

CREATE TABLE runs (
	id            INTEGER PRIMARY KEY,
	source_id     INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	started_at    INTEGER NOT NULL,
	finished_at   INTEGER,
	status        TEXT NOT NULL,
	messages_seen INTEGER NOT NULL DEFAULT 0,
	messages_new  INTEGER NOT NULL DEFAULT 0,
	contacts_new  INTEGER NOT NULL DEFAULT 0,
	skipped       INTEGER NOT NULL DEFAULT 0,
	error         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Full-text index for the contacts table search. Contentless (the text
-- lives in contacts only) with row deletes, and secure-delete so an erased
-- person's words do not linger in the index. The store keeps it in step
-- (see reindex): per-row triggers made mining several times slower.
CREATE VIRTUAL TABLE contacts_fts USING fts5(
	name, email, works_for, job_title, location, alternate_names,
	content='', contentless_delete=1,
	tokenize='unicode61 remove_diacritics 2'
);
INSERT INTO contacts_fts(contacts_fts, rank) VALUES ('secure-delete', 1);
`,
	// 2: accounts for the app's source list; fields the user edited, which
	// mining must not overwrite.
	`
CREATE TABLE accounts (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL,
	label        TEXT NOT NULL,
	uri          TEXT NOT NULL UNIQUE,
	email        TEXT NOT NULL DEFAULT '',
	provider     TEXT NOT NULL DEFAULT '',
	trusted_cert TEXT NOT NULL DEFAULT '',
	created_at   INTEGER NOT NULL
);
ALTER TABLE contacts ADD COLUMN edited TEXT NOT NULL DEFAULT '[]';
`,
	// 3: the rank index covers the default table view (visible, reachable,
	// in rank order) so its ids come from the index alone.
	`
DROP INDEX contacts_rank;
CREATE INDEX contacts_rank ON contacts(hidden, temperature DESC, occurrence DESC, recency DESC, email, status);
`,
	// 4: privacy. Everything here that names a person uses a keyed hash of
	// the normalised address (subject), never the address.
	`
-- Append-only record of lawful basis and of every right exercised.
CREATE TABLE consent_ledger (
	id             INTEGER PRIMARY KEY,
	subject        TEXT NOT NULL,
	basis          TEXT NOT NULL,
	purpose        TEXT NOT NULL,
	action         TEXT NOT NULL,
	source         TEXT NOT NULL DEFAULT '',
	evidence       TEXT NOT NULL DEFAULT '{}',
	actor          TEXT NOT NULL,
	at             INTEGER NOT NULL,
	policy_version TEXT NOT NULL
);
CREATE INDEX consent_ledger_subject ON consent_ledger(subject, id);
CREATE TRIGGER consent_ledger_no_update BEFORE UPDATE ON consent_ledger
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;
CREATE TRIGGER consent_ledger_no_delete BEFORE DELETE ON consent_ledger
BEGIN SELECT RAISE(ABORT, 'the consent ledger is append-only'); END;

-- Do Not Mine Me: addresses and domains never mined again.
CREATE TABLE suppression (
	subject  TEXT PRIMARY KEY,
	kind     TEXT NOT NULL,
	reason   TEXT NOT NULL,
	added_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Every call through the egress gate.
CREATE TABLE egress_log (
	id           INTEGER PRIMARY KEY,
	at           INTEGER NOT NULL,
	subprocessor TEXT NOT NULL,
	purpose      TEXT NOT NULL,
	records      INTEGER NOT NULL,
	bytes_out    INTEGER NOT NULL,
	outcome      TEXT NOT NULL
);
-- Whose data an egress call carried, so an access request can list it.
CREATE TABLE egress_subjects (
	log_id  INTEGER NOT NULL REFERENCES egress_log(id) ON DELETE CASCADE,
	subject TEXT NOT NULL,
	PRIMARY KEY (subject, log_id)
) WITHOUT ROWID;

-- Retention: contacts are hidden first (logical delete), purged later.
ALTER TABLE contacts ADD COLUMN deleted_at INTEGER;
-- The contact's subject, to join the privacy tables.
ALTER TABLE contacts ADD COLUMN subject TEXT NOT NULL DEFAULT '';
CREATE INDEX contacts_subject ON contacts(subject);
`,
	// 6: OAuth accounts: how the account signs in ("" = password,
	// "google", "microsoft"), and why it needs a reconnect.
	`
ALTER TABLE accounts ADD COLUMN auth TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN auth_error TEXT NOT NULL DEFAULT '';
`,
	// 7: the rank index covers the default view again since retention's
	// deleted_at joined its conditions (without it every row was looked up
	// in the table: 150 ms instead of 20 for 100,000 contacts), and the
	// "replied" quick filter with it.
	`
DROP INDEX contacts_rank;
CREATE INDEX contacts_rank ON contacts(hidden, temperature DESC, occurrence DESC, recency DESC, email, status, deleted_at,
	replied_conversations);
`,
	// 8: the table's first column (named contacts by name, then the others)
	// sorts from an index too: its first page in 1 ms instead of 130 for
	// 100,000 contacts. The expressions are the ones order() writes.
	`
CREATE INDEX contacts_by_contact ON contacts(hidden, name = '', name COLLATE NOCASE, temperature DESC, occurrence DESC,
	recency DESC, email, status, deleted_at, replied_conversations);
`,
}
