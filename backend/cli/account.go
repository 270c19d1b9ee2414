package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"leadminer/backend/accounts"
	"leadminer/backend/oauth"
	"leadminer/backend/source/imap"
)

// account adds, lists and removes the mailboxes the app and `mine
// --account` use:
//
//	leadminer account add --provider google|microsoft [--email E] [--no-browser]
//	leadminer account add --provider imap --email E [--host H --port P --tls T --username U]
//	leadminer account list [--format json]
//	leadminer account remove ID
//	leadminer account client google|microsoft --id ID [--secret S]
func (e *env) account(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"account needs a command: add, list, remove or client"}
	}
	cmd, args := args[0], args[1:]
	fs := e.newFlags("account " + cmd)
	db := fs.String("db", "", "database file (default: the app's database)")
	provider := fs.String("provider", "", "google, microsoft or imap (add)")
	email := fs.String("email", "", "the account's address (add)")
	noBrowser := fs.Bool("no-browser", false, "print the sign-in address instead of opening a browser (add)")
	host := fs.String("host", "", "IMAP server (add --provider imap; default: detected)")
	port := fs.Int("port", 0, "IMAP port (add --provider imap)")
	security := fs.String("tls", "", "implicit, starttls or none (add --provider imap)")
	username := fs.String("username", "", "IMAP login when it is not the address (add --provider imap)")
	trust := fs.String("trust-cert", "", "trust this server certificate, sha256:... (add --provider imap)")
	format := fs.String("format", "text", "text or json (list)")
	clientID := fs.String("id", "", "your OAuth client id (client)")
	clientSecret := fs.String("secret", "", "your OAuth client secret, for Google desktop clients (client)")
	pos, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	switch cmd {
	case "add", "list", "remove", "client":
	default:
		return usageError{fmt.Sprintf("unknown account command %q (add, list, remove, client)", cmd)}
	}
	if cmd == "client" {
		if len(pos) != 1 || *clientID == "" {
			return usageError{"account client needs a provider and --id: leadminer account client google|microsoft --id ID [--secret S]"}
		}
		if _, err := oauth.Lookup(ctx, pos[0], nil); err != nil {
			return usageError{err.Error()}
		}
	}
	st, err := openStore(*db, cmd != "add" && cmd != "client")
	if err != nil {
		return err
	}
	defer st.Close()
	svc := accounts.New(st, e.log)
	switch cmd {
	case "client":
		if err := svc.SetOAuthClient(ctx, pos[0], *clientID, *clientSecret); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Sign-in with %s now uses client %s.\n", pos[0], *clientID)
		return nil
	case "list":
		return e.listAccounts(ctx, svc, *format)
	case "remove":
		if len(pos) != 1 {
			return usageError{"account remove needs the account's id (see leadminer account list)"}
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return usageError{fmt.Sprintf("%q is not an account id", pos[0])}
		}
		if err := svc.Remove(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Removed account %d and its keychain entries; its contacts stay.\n", id)
		return nil
	}
	if len(pos) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", pos[0])}
	}
	switch *provider {
	case "google", "microsoft":
		svc.Browser = func(url string) error {
			if *noBrowser {
				fmt.Fprintf(e.stdout, "Open this address in a browser to sign in:\n%s\n", url)
				return nil
			}
			if err := oauth.OpenSystemBrowser(url); err != nil {
				fmt.Fprintf(e.stdout, "No browser could be opened. Open this address to sign in:\n%s\n", url)
			} else {
				fmt.Fprintf(e.stderr, "Waiting for the sign-in in your browser...\n")
			}
			return nil
		}
		a, err := svc.SignIn(ctx, *provider, *email)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Signed in as %s: account %d added (mine it with leadminer mine --account %d).\n", a.Email, a.ID, a.ID)
		return nil
	case "imap":
		if *email == "" {
			return usageError{"account add --provider imap needs --email"}
		}
		f := accounts.IMAPForm{Email: *email, Username: *username, Host: *host, Port: *port, Security: imap.Security(*security), TrustedCert: *trust}
		d, _ := svc.LookUp(ctx, *email)
		if f.Host == "" && d.Source == "guess" && len(d.Skipped) > 0 {
			fmt.Fprintf(e.stderr, "Guessing %s: turn on %s (leadminer egress enable ...) to look the domain up, or pass --host.\n",
				d.Host, strings.Join(d.Skipped, " and "))
		}
		if f.Host == "" {
			f.Host = d.Host
		}
		if f.Port == 0 {
			f.Port = d.Port
		}
		if f.Security == "" {
			f.Security = d.Security
		}
		if p, ok := os.LookupEnv("LEADMINER_IMAP_PASSWORD"); ok {
			f.Password = p
		} else if f.Password, err = readPassword(e, e.stdin, "Password for "+*email+": "); err != nil {
			return err
		}
		a, err := svc.AddIMAP(ctx, f)
		if err != nil {
			return fmt.Errorf("not added: %w", err)
		}
		fmt.Fprintf(e.stdout, "Checked %s on %s:%d: account %d added, password in the system keychain.\n", a.Email, f.Host, f.Port, a.ID)
		return nil
	case "":
		return usageError{"account add needs --provider google, microsoft or imap"}
	default:
		return usageError{fmt.Sprintf("unknown provider %q (google, microsoft or imap)", *provider)}
	}
}

func (e *env) listAccounts(ctx context.Context, svc *accounts.Service, format string) error {
	list, err := svc.List(ctx)
	if err != nil {
		return err
	}
	type row struct {
		ID        int64      `json:"id"`
		Provider  string     `json:"provider"`
		Email     string     `json:"email"`
		Status    string     `json:"status"`
		Message   string     `json:"message,omitempty"`
		LastMined *time.Time `json:"last_mined"`
		Contacts  int        `json:"contacts"`
	}
	rows := make([]row, 0, len(list))
	for _, a := range list {
		provider := a.Auth
		if provider == "" {
			provider = a.Kind
		}
		label := a.Email
		if label == "" {
			label = a.Label
		}
		rows = append(rows, row{a.ID, provider, label, a.State, a.Message, a.LastMined, a.Contacts})
	}
	if format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	if len(rows) == 0 {
		fmt.Fprintln(e.stdout, "No account yet: leadminer account add --provider google|microsoft|imap")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPROVIDER\tACCOUNT\tSTATUS\tLAST MINED\tCONTACTS")
	for _, r := range rows {
		last := "never"
		if r.LastMined != nil {
			last = r.LastMined.Local().Format(time.DateTime)
		}
		status := r.Status
		if r.Message != "" {
			status += ": " + strings.TrimSuffix(r.Message, ".")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\n", r.ID, r.Provider, r.Email, status, last, r.Contacts)
	}
	return tw.Flush()
}
