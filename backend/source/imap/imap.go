package imap

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	goimap "github.com/emersion/go-imap/v2"

	"leadminer/backend/extract"
	"leadminer/backend/source"
)

// Source is an IMAP mailbox.
type Source struct {
	cfg    Config
	uri    string
	dialer *dialer
	pool   *pool
}

// Open connects and logs in once, so a wrong password or host fails here
// with an error that names the field to fix.
func Open(ctx context.Context, cfg Config) (*Source, error) {
	cfg.defaults()
	d := &dialer{cfg: &cfg}
	// The URI is the account as configured, even if the server then
	// accepts only the local part as user name.
	s := &Source{cfg: cfg, uri: cfg.URI(), dialer: d, pool: newPool(d, cfg.Connections, cfg.Log)}
	sess, err := s.pool.get(ctx)
	if err != nil {
		return nil, err
	}
	s.pool.put(sess)
	return s, nil
}

// URI identifies the mailbox.
func (s *Source) URI() string { return s.uri }

// OwnAddresses is the account's address: never a contact.
func (s *Source) OwnAddresses() []string {
	var out []string
	for _, a := range []string{s.cfg.Email, s.cfg.Username} {
		if strings.Contains(a, "@") {
			out = append(out, a)
		}
	}
	return out
}

// Close logs out every connection.
func (s *Source) Close() error {
	s.pool.closeAll()
	return nil
}

// Folders lists every mailbox with its message count and special use,
// with one LIST when the server can return STATUS and SPECIAL-USE with it.
func (s *Source) Folders(ctx context.Context) ([]source.Folder, error) {
	var out []source.Folder
	err := s.withSession(ctx, func(sess *session) error {
		c := sess.client
		opts := &goimap.ListOptions{}
		listStatus := c.Caps().Has(goimap.CapListStatus) || c.Caps().Has(goimap.CapIMAP4rev2)
		if listStatus {
			opts.ReturnStatus = &goimap.StatusOptions{NumMessages: true}
		}
		if c.Caps().Has(goimap.CapSpecialUse) {
			opts.ReturnSpecialUse = true
		}
		list, err := c.List("", "*", opts).Collect()
		if err != nil {
			return err
		}
		out = out[:0]
		for _, mb := range list {
			f := source.Folder{Name: mb.Mailbox, Count: -1, Selectable: true}
			if mb.Delim != 0 && mb.Delim != '/' {
				f.Delimiter = string(mb.Delim)
			}
			for _, a := range mb.Attrs {
				switch a {
				case goimap.MailboxAttrNoSelect, goimap.MailboxAttrNonExistent:
					f.Selectable = false
				case goimap.MailboxAttrAll, goimap.MailboxAttrSent, goimap.MailboxAttrDrafts,
					goimap.MailboxAttrJunk, goimap.MailboxAttrTrash, goimap.MailboxAttrArchive:
					f.SpecialUse = string(a)
				}
			}
			if mb.Status != nil && mb.Status.NumMessages != nil {
				f.Count = int(*mb.Status.NumMessages)
			} else if f.Selectable {
				st, err := c.Status(mb.Mailbox, &goimap.StatusOptions{NumMessages: true}).Wait()
				if err == nil && st.NumMessages != nil {
					f.Count = int(*st.NumMessages)
				}
			}
			out = append(out, f)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list folders: %w", err)
	}
	slices.SortFunc(out, func(a, b source.Folder) int {
		// INBOX first, then by name.
		if a.Name == "INBOX" || b.Name == "INBOX" {
			return boolInt(b.Name == "INBOX") - boolInt(a.Name == "INBOX")
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// withSession runs fn on a pooled session, reconnecting once if the
// connection broke.
func (s *Source) withSession(ctx context.Context, fn func(*session) error) error {
	for attempt := 0; ; attempt++ {
		sess, err := s.pool.get(ctx)
		if err != nil {
			return err
		}
		err = fn(sess)
		if err != nil && isConnectionError(err) && attempt < 2 && ctx.Err() == nil {
			s.pool.discard(sess)
			continue
		}
		if err != nil && isConnectionError(err) {
			s.pool.discard(sess)
		} else {
			s.pool.put(sess)
		}
		return classify(s.dialer.config(), err)
	}
}

// cursor is a folder's resume point: its UIDVALIDITY and the highest UID
// committed.
type cursor struct {
	validity uint32
	uid      goimap.UID
}

func (c cursor) String() string {
	return strconv.FormatUint(uint64(c.validity), 10) + ":" + strconv.FormatUint(uint64(c.uid), 10)
}

func parseCursor(s string) (cursor, bool) {
	v, u, ok := strings.Cut(s, ":")
	if !ok {
		return cursor{}, false
	}
	validity, err1 := strconv.ParseUint(v, 10, 32)
	uid, err2 := strconv.ParseUint(u, 10, 32)
	if err1 != nil || err2 != nil {
		return cursor{}, false
	}
	return cursor{uint32(validity), goimap.UID(uid)}, true
}

// location names a message for the store: UIDVALIDITY and UID, so a
// renumbered folder never matches old locations.
func location(validity uint32, uid goimap.UID) string {
	return cursor{validity, uid}.String()
}

// examine selects a folder read-only on a session (once).
func (sess *session) examine(folder string) error {
	if sess.selected == folder {
		return nil
	}
	data, err := sess.client.Select(folder, &goimap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		sess.selected = ""
		return err
	}
	sess.selected, sess.uidValidity = folder, data.UIDValidity
	return nil
}

// pending lists the UIDs of a folder that the checkpoint does not cover.
func (s *Source) pending(ctx context.Context, folder string, cp source.Checkpoint) (uint32, []goimap.UID, error) {
	var validity uint32
	var uids []goimap.UID
	err := s.withSession(ctx, func(sess *session) error {
		if err := sess.examine(folder); err != nil {
			return err
		}
		validity = sess.uidValidity
		start := goimap.UID(1)
		if c, ok := parseCursor(cp.Cursor()); ok && c.validity == validity {
			start = c.uid + 1
		}
		var set goimap.UIDSet
		set.AddRange(start, 0) // start:*
		criteria := &goimap.SearchCriteria{UID: []goimap.UIDSet{set}}
		data, err := sess.client.UIDSearch(criteria, nil).Wait()
		if err != nil {
			return err
		}
		uids = uids[:0]
		for _, uid := range data.AllUIDs() {
			// "start:*" always matches the highest UID, even below start.
			if uid >= start && !cp.Known(location(validity, uid)) {
				uids = append(uids, uid)
			}
		}
		return nil
	})
	slices.Sort(uids)
	return validity, uids, err
}

// Remaining counts the messages a Scan would fetch.
func (s *Source) Remaining(ctx context.Context, folder string, cp source.Checkpoint) (int, error) {
	_, uids, err := s.pending(ctx, folder, cp)
	return len(uids), err
}

// fetchOptions asks for the UID and the header fields mining needs, never
// the body, without setting \Seen.
func fetchOptions() *goimap.FetchOptions {
	return &goimap.FetchOptions{
		UID: true,
		BodySection: []*goimap.FetchItemBodySection{{
			Specifier:    goimap.PartSpecifierHeader,
			HeaderFields: extract.HeaderFields,
			Peek:         true,
		}},
	}
}

// ErrFolderChanged is returned when a folder's UIDVALIDITY changes during a
// scan: the next run re-scans it.
var ErrFolderChanged = errors.New("the folder was renumbered by the server during mining; run again to re-scan it")

// Scan fetches the headers of every message the checkpoint does not cover,
// in chunks of UIDs spread over the pool's connections, and emits them in
// UID order so each record's cursor covers everything before it.
func (s *Source) Scan(ctx context.Context, folder string, cp source.Checkpoint, emit func(source.Record) error) error {
	validity, uids, err := s.pending(ctx, folder, cp)
	if err != nil || len(uids) == 0 {
		return err
	}
	chunks := chunk(uids, s.cfg.ChunkSize)
	f := &fetcher{src: s, folder: folder, validity: validity}
	return f.run(ctx, chunks, func(r result) error {
		for _, m := range r.messages {
			loc := location(validity, m.uid)
			rec := source.Record{Folder: folder, Location: loc, Cursor: loc, Header: m.header, Problem: m.problem}
			if err := emit(rec); err != nil {
				return err
			}
		}
		return nil
	})
}

// chunk cuts sorted UIDs into runs of at most n.
func chunk(uids []goimap.UID, n int) [][]goimap.UID {
	var out [][]goimap.UID
	for len(uids) > 0 {
		k := min(n, len(uids))
		out = append(out, uids[:k])
		uids = uids[k:]
	}
	return out
}
