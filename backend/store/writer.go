package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// Index maps every stored message (by key hash) and contact address to its
// id, so a writer assigns ids and de-duplicates without asking the database
// row by row. A mining run loads it once and keeps it up to date.
type Index struct {
	mu       sync.Mutex // a batch may commit while the next one fills
	messages map[int64]int64
	contacts map[string]int64
	// next ids to give out; a clash with another process's rows is
	// resolved at commit.
	nextMessage, nextContact int64
}

// Contact returns a contact's id.
func (x *Index) Contact(email string) (int64, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	id, ok := x.contacts[email]
	return id, ok
}

// Contacts is the number of contacts known.
func (x *Index) Contacts() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.contacts)
}

func (x *Index) message(hash int64) (int64, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	id, ok := x.messages[hash]
	return id, ok
}

func (x *Index) addMessage(hash int64) int64 {
	x.mu.Lock()
	defer x.mu.Unlock()
	id := x.nextMessage
	x.nextMessage++
	x.messages[hash] = id
	return id
}

func (x *Index) addContact(email string) (int64, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if id, ok := x.contacts[email]; ok {
		return id, false
	}
	id := x.nextContact
	x.nextContact++
	x.contacts[email] = id
	return id, true
}

func (x *Index) setMessage(hash, id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.messages[hash] = id
	x.nextMessage = max(x.nextMessage, id+1)
}

func (x *Index) setContact(email string, id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.contacts[email] = id
	x.nextContact = max(x.nextContact, id+1)
}

func (x *Index) forget(hashes []int64, emails []string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, h := range hashes {
		delete(x.messages, h)
	}
	for _, e := range emails {
		delete(x.contacts, e)
	}
}

// LoadIndex reads every message key and contact address.
func (s *Store) LoadIndex(ctx context.Context) (*Index, error) {
	idx := &Index{messages: map[int64]int64{}}
	var err error
	if idx.contacts, err = s.ContactIndex(ctx); err != nil {
		return nil, err
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM messages`).Scan(&idx.nextMessage); err != nil {
		return nil, fmt.Errorf("read message ids: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM contacts`).Scan(&idx.nextContact); err != nil {
		return nil, fmt.Errorf("read contact ids: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT key_hash, id FROM messages`)
	if err != nil {
		return nil, fmt.Errorf("read message keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, id int64
		if err := rows.Scan(&key, &id); err != nil {
			return nil, err
		}
		idx.messages[key] = id
	}
	return idx, rows.Err()
}

// Writer adds one batch of mined messages in a single transaction, so a
// folder's cursor is only ever committed with the messages it covers. Rows
// are buffered in memory and written at Commit with multi-row statements
// (one round-trip into SQLite per few hundred rows instead of one per row);
// so a batch can fill while the previous one commits.
type Writer struct {
	s        *Store
	tx       *sql.Tx
	ctx      context.Context
	sourceID int64
	now      int64
	idx      *Index

	// added lists what this batch put in the index, to take it back if the
	// batch is rolled back.
	addedMessages []int64
	addedContacts []string

	messages []messageRow
	flags    []messageRow
	contacts []contactRow
	tags     []tagRow
	places   []locationRow
	occs     []OccurrenceRow
	cursors  map[int64]string
}

type messageRow struct {
	id, hash int64
	MessageRow
}

type contactRow struct {
	id    int64
	email string
}

type tagRow struct {
	contact int64
	Tag
}

type locationRow struct {
	folder   int64
	location string
	message  int64
}

// BeginWrite starts a batch for a source, with the index read from the
// database (fine for small writes; mining passes its own with BeginBatch).
func (s *Store) BeginWrite(ctx context.Context, sourceID int64) (*Writer, error) {
	return s.BeginBatch(ctx, sourceID, nil)
}

// BeginBatch starts a batch that assigns ids from idx and keeps it current.
// Nothing touches the database before Commit.
func (s *Store) BeginBatch(ctx context.Context, sourceID int64, idx *Index) (*Writer, error) {
	if idx == nil {
		var err error
		if idx, err = s.LoadIndex(ctx); err != nil {
			return nil, err
		}
	}
	return &Writer{s: s, ctx: ctx, sourceID: sourceID, now: s.now().Unix(), idx: idx, cursors: map[int64]string{}}, nil
}

// KeyHash is the 64-bit hash that makes message keys unique in the
// database (a collision needs billions of messages to be likely).
func KeyHash(key string) int64 {
	sum := sha256.Sum256([]byte(key))
	return int64(binary.BigEndian.Uint64(sum[:8]))
}

// MessageRow is a message's metadata.
type MessageRow struct {
	Key          string
	MessageID    string
	Date         time.Time
	ListID       string
	Conversation bool
	FromMe       bool
	ToMe         bool
	FolderID     int64
}

// Message returns the id of the message with m's key, adding it if new,
// and whether it is new. A known message only gains the user's flags.
func (w *Writer) Message(m MessageRow) (int64, bool, error) {
	hash := KeyHash(m.Key)
	if id, ok := w.idx.message(hash); ok {
		if m.FromMe || m.ToMe {
			w.flags = append(w.flags, messageRow{id, hash, m})
		}
		return id, false, nil
	}
	id := w.idx.addMessage(hash)
	w.addedMessages = append(w.addedMessages, hash)
	w.messages = append(w.messages, messageRow{id, hash, m})
	return id, true, nil
}

// Location records where a message was found.
func (w *Writer) Location(folderID int64, location string, messageID int64) error {
	w.places = append(w.places, locationRow{folderID, location, messageID})
	return nil
}

// Tag is a contact tag with its reachability and what produced it.
type Tag struct {
	Name      string
	Reachable int
	Source    string
}

// Tag sources.
const (
	TagFromAddress = "address"
	TagFromHeaders = "header"
)

// Contact returns the id of the contact with this canonical address,
// adding it with its address tags; created says which happened.
func (w *Writer) Contact(email string, tags []Tag) (id int64, created bool, err error) {
	id, created = w.idx.addContact(email)
	if !created {
		return id, false, nil
	}
	w.addedContacts = append(w.addedContacts, email)
	w.contacts = append(w.contacts, contactRow{id, email})
	for _, t := range tags {
		w.tags = append(w.tags, tagRow{id, t})
	}
	return id, true, nil
}

// OccurrenceRow is a contact seen in a field of a message.
type OccurrenceRow struct {
	MessageID int64
	ContactID int64
	Field     int
	Name      string
	Plus      string
	HeaderTag string
}

// Occurrence stores an occurrence once; the same (message, contact, field)
// is never counted twice. Contacts that gain one are marked for
// recomputation.
func (w *Writer) Occurrence(o OccurrenceRow) error {
	w.occs = append(w.occs, o)
	return nil
}

// Cursor moves a folder's resume point.
func (w *Writer) Cursor(folderID int64, cursor string) error {
	w.cursors[folderID] = cursor
	return nil
}

// Commit writes the batch in one transaction.
func (w *Writer) Commit() error {
	tx, err := w.s.db.BeginTx(w.ctx, nil)
	if err != nil {
		w.forget()
		return fmt.Errorf("begin batch: %w", err)
	}
	w.tx = tx
	if err := w.flush(); err != nil {
		w.Rollback()
		return err
	}
	if err := w.tx.Commit(); err != nil {
		w.forget()
		return fmt.Errorf("commit batch: %w", err)
	}
	w.s.changed()
	return nil
}

// Rollback abandons the batch, and takes back the ids it gave out.
func (w *Writer) Rollback() {
	if w.tx != nil {
		w.tx.Rollback()
	}
	w.forget()
}

func (w *Writer) forget() {
	w.idx.forget(w.addedMessages, w.addedContacts)
	w.addedMessages, w.addedContacts = nil, nil
}

// rowsPerStatement keeps multi-row statements well under SQLite's limit of
// 32766 parameters.
const rowsPerStatement = 250

// insertRows runs "prefix VALUES (?,...),(?,...) suffix" over rows in
// chunks; each row gives its arguments. With a RETURNING suffix, scan
// receives each returned row.
func (w *Writer) insertRows(prefix, suffix string, n, cols int, args func(i int) []any, scan func(*sql.Rows) error) error {
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	for start := 0; start < n; start += rowsPerStatement {
		end := min(start+rowsPerStatement, n)
		var b strings.Builder
		b.WriteString(prefix)
		b.WriteString(" VALUES ")
		vals := make([]any, 0, (end-start)*cols)
		for i := start; i < end; i++ {
			if i > start {
				b.WriteByte(',')
			}
			b.WriteString(tuple)
			vals = append(vals, args(i)...)
		}
		b.WriteString(" ")
		b.WriteString(suffix)
		if scan == nil {
			if _, err := w.tx.ExecContext(w.ctx, b.String(), vals...); err != nil {
				return err
			}
			continue
		}
		rows, err := w.tx.QueryContext(w.ctx, b.String(), vals...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	return nil
}

// flush writes every buffered row, parents before children.
func (w *Writer) flush() error {
	remapContacts, err := w.flushContacts()
	if err != nil {
		return err
	}
	remapMessages, err := w.flushMessages()
	if err != nil {
		return err
	}
	remap := func(m map[int64]int64, id int64) int64 {
		if r, ok := m[id]; ok {
			return r
		}
		return id
	}
	for _, f := range w.flags {
		if _, err := w.tx.ExecContext(w.ctx, `UPDATE messages SET from_me = from_me OR ?, to_me = to_me OR ? WHERE id = ?`,
			f.FromMe, f.ToMe, remap(remapMessages, f.id)); err != nil {
			return fmt.Errorf("update message: %w", err)
		}
	}
	if err := w.insertRows(`INSERT OR IGNORE INTO message_locations(folder_id, location, message_id)`, "", len(w.places), 3,
		func(i int) []any {
			p := w.places[i]
			return []any{p.folder, p.location, remap(remapMessages, p.message)}
		}, nil); err != nil {
		return fmt.Errorf("store locations: %w", err)
	}
	// Only occurrences actually added mark their contact dirty and link it
	// to the source.
	touched := map[int64]bool{}
	if err := w.insertRows(`INSERT OR IGNORE INTO occurrences(message_id, contact_id, field, name, plus_address, header_tag)`,
		"RETURNING contact_id", len(w.occs), 6, func(i int) []any {
			o := w.occs[i]
			return []any{remap(remapMessages, o.MessageID), remap(remapContacts, o.ContactID), o.Field,
				nullString(o.Name), nullString(o.Plus), nullString(o.HeaderTag)}
		}, func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			touched[id] = true
			return err
		}); err != nil {
		return fmt.Errorf("store occurrences: %w", err)
	}
	ids := slices.Sorted(maps.Keys(touched))
	if err := w.insertRows(`INSERT OR IGNORE INTO contact_sources(contact_id, source_id)`, "", len(ids), 2,
		func(i int) []any { return []any{ids[i], w.sourceID} }, nil); err != nil {
		return fmt.Errorf("store contact sources: %w", err)
	}
	for start := 0; start < len(ids); start += rowsPerStatement {
		chunk := ids[start:min(start+rowsPerStatement, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		q := `UPDATE contacts SET dirty = 1 WHERE dirty = 0 AND id IN (?` + strings.Repeat(",?", len(chunk)-1) + `)`
		if _, err := w.tx.ExecContext(w.ctx, q, args...); err != nil {
			return fmt.Errorf("mark contacts: %w", err)
		}
	}
	for folder, cursor := range w.cursors {
		if _, err := w.tx.ExecContext(w.ctx, `UPDATE folders SET cursor = ? WHERE id = ?`, cursor, folder); err != nil {
			return fmt.Errorf("store cursor: %w", err)
		}
	}
	return nil
}

// collectIDs scans the ids an INSERT ... RETURNING id gave into inserted.
func collectIDs(inserted map[int64]bool) func(*sql.Rows) error {
	return func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		inserted[id] = true
		return err
	}
}

// flushContacts inserts the new contacts and their tags. A contact another
// writer added meanwhile keeps that writer's id: the returned map says
// which provisional ids changed.
func (w *Writer) flushContacts() (map[int64]int64, error) {
	inserted := map[int64]bool{}
	if err := w.insertRows(`INSERT OR IGNORE INTO contacts(id, email, subject, created_at, updated_at)`, "RETURNING id",
		len(w.contacts), 5, func(i int) []any {
			c := w.contacts[i]
			return []any{c.id, c.email, w.s.Subject(c.email), w.now, w.now}
		}, collectIDs(inserted)); err != nil {
		return nil, fmt.Errorf("store contacts: %w", err)
	}
	remap := map[int64]int64{}
	for _, c := range w.contacts {
		if inserted[c.id] {
			continue
		}
		// Another process stored this address, or took this id, meanwhile.
		var id int64
		err := w.tx.QueryRowContext(w.ctx, `SELECT id FROM contacts WHERE email = ?`, c.email).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			err = w.tx.QueryRowContext(w.ctx, `INSERT INTO contacts(id, email, subject, created_at, updated_at)
				VALUES ((SELECT MAX(id) + 1 FROM contacts), ?, ?, ?, ?) RETURNING id`, c.email, w.s.Subject(c.email), w.now, w.now).Scan(&id)
			inserted[id] = true
			for i := range w.tags {
				if w.tags[i].contact == c.id {
					w.tags[i].contact = id
				}
			}
		}
		if err != nil {
			return nil, fmt.Errorf("find contact: %w", err)
		}
		remap[c.id] = id
		w.idx.setContact(c.email, id)
	}
	var tags []tagRow
	for _, t := range w.tags {
		if inserted[t.contact] {
			tags = append(tags, t)
		}
	}
	if err := w.insertRows(`INSERT OR IGNORE INTO tags(contact_id, name, reachable, source)`, "", len(tags), 4,
		func(i int) []any {
			t := tags[i]
			return []any{t.contact, t.Name, t.Reachable, t.Source}
		}, nil); err != nil {
		return nil, fmt.Errorf("store tags: %w", err)
	}
	return remap, nil
}

// flushMessages inserts the new messages, remapping any another writer
// stored meanwhile under the same key.
func (w *Writer) flushMessages() (map[int64]int64, error) {
	inserted := map[int64]bool{}
	if err := w.insertRows(`INSERT OR IGNORE INTO messages(id, key_hash, message_id, date, list_id, conversation, from_me, to_me, folder_id)`,
		"RETURNING id", len(w.messages), 9, func(i int) []any {
			m := w.messages[i]
			return []any{m.id, m.hash, nullString(m.MessageID), unixOrNil(m.Date), nullString(m.ListID),
				m.Conversation, m.FromMe, m.ToMe, m.FolderID}
		}, collectIDs(inserted)); err != nil {
		return nil, fmt.Errorf("store messages: %w", err)
	}
	remap := map[int64]int64{}
	for _, m := range w.messages {
		if inserted[m.id] {
			continue
		}
		// Another process stored this message, or took this id, meanwhile.
		var id int64
		err := w.tx.QueryRowContext(w.ctx, `SELECT id FROM messages WHERE key_hash = ?`, m.hash).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			err = w.tx.QueryRowContext(w.ctx, `INSERT INTO messages(id, key_hash, message_id, date, list_id, conversation, from_me, to_me, folder_id)
				VALUES ((SELECT MAX(id) + 1 FROM messages), ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				m.hash, nullString(m.MessageID), unixOrNil(m.Date), nullString(m.ListID), m.Conversation, m.FromMe, m.ToMe, m.FolderID).Scan(&id)
			if err == nil {
				remap[m.id] = id
				w.idx.setMessage(m.hash, id)
				continue
			}
		}
		if err != nil {
			return nil, fmt.Errorf("find message: %w", err)
		}
		remap[m.id] = id
		w.idx.setMessage(m.hash, id)
		if m.FromMe || m.ToMe {
			w.flags = append(w.flags, messageRow{id, m.hash, m.MessageRow})
		}
	}
	return remap, nil
}
