package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"leadminer/backend/accounts"
	"leadminer/backend/mining"
	"leadminer/backend/secrets"
	"leadminer/backend/source"
	"leadminer/backend/source/open"
)

func (e *env) mine(ctx context.Context, args []string) error {
	fs := e.newFlags("mine")
	uri := fs.String("source", "", "the mailbox to mine: maildir:/path, mbox:/path/file, eml:/dir or demo")
	accountID := fs.Int64("account", 0, "an account added with leadminer account add (see account list)")
	db := fs.String("db", "", "database file (default: the app's database)")
	var me listFlag
	fs.Var(&me, "me", "one of your own addresses (repeatable); never listed as a contact")
	folders := fs.String("folders", "", "comma-separated folders to mine (default: all but drafts, junk and trash)")
	jsonProgress := fs.Bool("json-progress", false, "print progress as one JSON object per line")
	remote := e.remoteFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if (*uri == "") == (*accountID == 0) {
		return usageError{"mine needs --source (for example --source maildir:~/Mail or --source demo) or --account ID"}
	}
	// A source that cannot be opened leaves no new database behind; an
	// account is read from the database, which must exist.
	var src source.Source
	var err error
	if *uri != "" {
		if src, err = open.Source(ctx, *uri, remote.options(e)); err != nil {
			return err
		}
		defer src.Close()
	}
	st, err := openStore(*db, *accountID != 0)
	if err != nil {
		return err
	}
	defer st.Close()
	if *accountID != 0 {
		if src, err = openAccount(ctx, accounts.New(st, e.log), *accountID); err != nil {
			return err
		}
		defer src.Close()
	}

	engine := mining.New(st, e.log)
	progress := e.humanProgress()
	if *jsonProgress {
		enc := json.NewEncoder(e.stdout)
		progress = func(p mining.Progress) { _ = enc.Encode(p) }
	}
	sum, err := engine.Run(ctx, mining.Request{Source: src, Me: me, Folders: splitList(*folders)}, progress)
	if (err != nil || sum.Canceled) && progress != nil && !*jsonProgress {
		fmt.Fprint(e.stderr, "\r\033[K") // no done event cleared the progress line
	}
	if err != nil {
		return err
	}
	if sum.Canceled {
		return context.Canceled
	}
	if !*jsonProgress {
		fmt.Fprintf(e.stdout, "Mined %d messages (%d new, %d already known) from %s in %s: %d new contacts, %d in total.\n",
			sum.Messages, sum.NewMessages, sum.Duplicates, sum.Source, sum.Duration.Round(time.Millisecond),
			sum.NewContacts, sum.Contacts)
	}
	return nil
}

// openAccount opens a saved account's mailbox (password or OAuth).
func openAccount(ctx context.Context, svc *accounts.Service, id int64) (source.Source, error) {
	a, err := svc.Store.AccountByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("%w (see leadminer account list)", err)
	}
	return svc.OpenSource(ctx, a.URI)
}

// humanProgress draws a one-line progress report on a terminal, and says
// nothing when stderr is a file or a pipe.
func (e *env) humanProgress() func(mining.Progress) {
	if !isTerminal(e.stderr) {
		return nil
	}
	return func(p mining.Progress) {
		switch p.Phase {
		case mining.PhaseMining:
			eta := ""
			if p.ETASeconds > 0 {
				eta = fmt.Sprintf(", %s left", (time.Duration(p.ETASeconds) * time.Second).String())
			}
			fmt.Fprintf(e.stderr, "\r\033[K%s: %d/%d messages, %d contacts, %.0f msg/s%s", p.Folder, p.Done, p.Total, p.Contacts, p.Rate, eta)
		case mining.PhaseRanking:
			fmt.Fprintf(e.stderr, "\r\033[Kranking %d contacts...", p.Contacts)
		case mining.PhaseDone:
			fmt.Fprint(e.stderr, "\r\033[K")
		}
	}
}

func (e *env) folders(ctx context.Context, args []string) error {
	fs := e.newFlags("folders")
	uri := fs.String("source", "", "the mailbox")
	remote := e.remoteFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *uri == "" {
		return usageError{"folders needs --source"}
	}
	src, err := open.Source(ctx, *uri, remote.options(e))
	if err != nil {
		return err
	}
	defer src.Close()
	list, err := src.Folders(ctx)
	if err != nil {
		return err
	}
	type row struct {
		Name       string `json:"name"`
		Count      int    `json:"count"`
		SpecialUse string `json:"special_use,omitempty"`
		Default    bool   `json:"default"`
	}
	defaults := map[string]bool{}
	for _, n := range sourceDefaults(list) {
		defaults[n] = true
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	rows := make([]row, 0, len(list))
	for _, f := range list {
		rows = append(rows, row{f.Name, f.Count, f.SpecialUse, defaults[f.Name]})
	}
	return enc.Encode(rows)
}

// remoteFlags are the flags of commands that may open an IMAP source.
type remoteFlags struct {
	trustCert   *string
	connections *int
}

func (e *env) remoteFlags(fs *flag.FlagSet) remoteFlags {
	return remoteFlags{
		trustCert:   fs.String("trust-cert", "", "trust this IMAP server certificate (sha256:...), as printed when it is not trusted"),
		connections: fs.Int("connections", 0, "parallel IMAP connections (default 4)"),
	}
}

func (r remoteFlags) options(e *env) open.Options {
	return open.Options{
		TrustedCert: *r.trustCert,
		Connections: *r.connections,
		Log:         e.log,
		Password: func(uri string) (string, error) {
			return secrets.IMAPPassword(secrets.Keychain{}, uri)
		},
	}
}
