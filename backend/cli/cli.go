// Package cli is the command line: the same services as the desktop app,
// driven by sub-commands (leadminer mine, contacts, export).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strings"

	"leadminer/backend/appdir"
	"leadminer/backend/store"
)

// Version is set at build time.
var Version = "dev"

// Commands lists the sub-commands, so main can tell a CLI call from a
// desktop start.
var Commands = []string{"mine", "contacts", "export", "folders", "account", "password", "privacy", "egress", "version", "help"}

// IsCommand reports whether args start with a sub-command.
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	for _, c := range Commands {
		if args[0] == c {
			return true
		}
	}
	return args[0] == "-h" || args[0] == "--help"
}

// Exit codes.
const (
	exitOK       = 0
	exitError    = 1
	exitUsage    = 2
	exitCanceled = 130
)

// env is what a command runs with.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Run runs a command line and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return RunIO(ctx, args, os.Stdin, stdout, stderr)
}

// RunIO is Run with the standard input given (for the password prompt).
func RunIO(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	// LEADMINER_CPUPROFILE=file writes a CPU profile of the command (make
	// bench uses it to find where time goes).
	if path := os.Getenv("LEADMINER_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			defer f.Close()
			if pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}
	var err error
	switch args[0] {
	case "mine":
		err = e.mine(ctx, args[1:])
	case "contacts":
		err = e.contacts(ctx, args[1:])
	case "export":
		err = e.export(ctx, args[1:])
	case "folders":
		err = e.folders(ctx, args[1:])
	case "account":
		err = e.account(ctx, args[1:])
	case "password":
		err = e.password(ctx, args[1:], e.stdin)
	case "privacy":
		err = e.privacy(ctx, args[1:])
	case "egress":
		err = e.egress(ctx, args[1:])
	case "version":
		fmt.Fprintln(stdout, "leadminer", Version)
	default:
		err = usageError{fmt.Sprintf("unknown command %q", args[0])}
	}
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "leadminer: %s\nRun 'leadminer help' for usage.\n", ue.msg)
		return exitUsage
	case errors.Is(err, context.Canceled) && args[0] == "account":
		fmt.Fprintln(stderr, "leadminer: interrupted; no account was added")
		return exitCanceled
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "leadminer: interrupted; everything mined so far is saved, run the same command again to resume")
		return exitCanceled
	default:
		fmt.Fprintf(stderr, "leadminer: %v\n", err)
		return exitError
	}
}

const usage = `LeadMiner: turn your mailbox into a clean, ranked contact list, on your machine.

Usage:
  leadminer mine --source URI | --account ID [--db PATH] [--me ADDRESS]... [--folders A,B]
           [--json-progress] [--trust-cert sha256:...] [--connections N]
      URI: maildir:/path | mbox:/path/file | eml:/dir | demo
           | imap://USER@HOST:PORT?tls=implicit|starttls|none
      IMAP password from LEADMINER_IMAP_PASSWORD or the keychain (leadminer password set)
  leadminer folders --source URI
  leadminer account add --provider google|microsoft [--email E] [--no-browser]
  leadminer account add --provider imap --email E [--host H --port P --tls implicit|starttls|none]
  leadminer account list [--format json] | remove ID
  leadminer account client google|microsoft --id CLIENT_ID [--secret S]   (your own OAuth app)
  leadminer password set|delete --source imap://USER@HOST:PORT [--trust-cert sha256:...]
  leadminer contacts [--db PATH] [--all] [--search TEXT] --format json|csv
  leadminer export [--db PATH] --format csv|vcard|json --out FILE [--delimiter ,|;|tab] [--bom]
                   [--vcard-version 4.0|3.0] [--all]
  leadminer privacy export EMAIL --out FILE      everything held about a person (access, portability)
  leadminer privacy erase EMAIL                  erase them and never mine them again
  leadminer privacy restrict|object|withdraw EMAIL [--note TEXT]
  leadminer privacy suppress add EMAIL|@DOMAIN | import FILE | list [--format json]
  leadminer privacy purge                        apply retention now
  leadminer privacy delete-all --yes             delete all LeadMiner data and keychain entries
  leadminer egress log [--format json] | list | enable ID | disable ID
  leadminer version

Without a command, LeadMiner starts the desktop app.
--db defaults to the app's database (LEADMINER_HOME, or your user data directory).
`

// newFlags returns a flag set that reports errors as usage errors.
func (e *env) newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

// openStore opens the database at path, or the default one.
// Reading commands pass mustExist: a mistyped --db must not silently
// create an empty database and print nothing.
func openStore(path string, mustExist bool) (*store.Store, error) {
	path, err := dbPath(path)
	if err != nil {
		return nil, err
	}
	if mustExist {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no database at %s: mine a mailbox first (leadminer mine --source ...) or check --db", path)
		}
	}
	st, err := store.Open(path)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return st, nil
}

// dbPath is --db, or the app's database.
func dbPath(path string) (string, error) {
	if path == "" {
		return appdir.Database()
	}
	return filepath.Abs(path)
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// isTerminal reports whether w is an interactive terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
