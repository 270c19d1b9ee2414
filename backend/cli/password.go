package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"leadminer/backend/secrets"
	"leadminer/backend/source/imap"
)

// password stores or forgets a mailbox password in the keychain:
//
//	leadminer password set --source imap://... (reads it from the terminal or stdin)
//	leadminer password delete --source imap://...
//
// The password is checked against the server before it is stored.
func (e *env) password(ctx context.Context, args []string, stdin io.Reader) error {
	if len(args) == 0 || (args[0] != "set" && args[0] != "delete") {
		return usageError{"password needs set or delete: leadminer password set --source imap://you@example.com@imap.example.com"}
	}
	action := args[0]
	fs := e.newFlags("password " + action)
	uri := fs.String("source", "", "the IMAP mailbox")
	trust := fs.String("trust-cert", "", "trust this server certificate (sha256:...)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	cfg, err := imap.ParseURI(*uri)
	if err != nil {
		return usageError{err.Error()}
	}
	k := secrets.Keychain{}
	key := secrets.IMAPPasswordKey(cfg.URI())
	if action == "delete" {
		if err := k.Delete(key); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Forgot the password of %s.\n", cfg.URI())
		return nil
	}
	pass, err := readPassword(e, stdin, "Password for "+cfg.URI()+": ")
	if err != nil {
		return err
	}
	cfg.Password, cfg.TrustedCert, cfg.Connections = pass, *trust, 1
	src, err := imap.Open(ctx, cfg)
	if err != nil {
		return fmt.Errorf("not stored: %w", err)
	}
	src.Close()
	if err := k.Set(key, pass); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Password of %s checked and stored in the system keychain.\n", cfg.URI())
	return nil
}

// readPassword reads without echo from a terminal, or one line from a pipe.
func readPassword(e *env, stdin io.Reader, prompt string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usageError{"no password given on standard input"}
	}
	return line, nil
}
