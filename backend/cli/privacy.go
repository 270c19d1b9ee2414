package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"leadminer/backend/appdir"
	"leadminer/backend/egress"
	"leadminer/backend/privacy"
	"leadminer/backend/secrets"
)

// parseMixed parses flags that may come after positional arguments
// ("privacy export EMAIL --out FILE") and returns the positional ones.
func parseMixed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func (e *env) privacy(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"privacy needs a command: export, erase, restrict, object, withdraw, suppress, purge, delete-all"}
	}
	cmd, args := args[0], args[1:]
	fs := e.newFlags("privacy " + cmd)
	db := fs.String("db", "", "database file (default: the app's database)")
	out := fs.String("out", "", "file to write (export)")
	format := fs.String("format", "text", "text or json (suppress list)")
	note := fs.String("note", "", "how the request reached you (kept in the consent ledger)")
	yes := fs.Bool("yes", false, "confirm (delete-all)")
	pos, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	if cmd == "suppress" {
		return e.suppress(ctx, pos, *db, *format)
	}
	if cmd == "delete-all" {
		return e.deleteAll(*db, *yes)
	}
	switch cmd {
	case "export", "erase", "restrict", "object", "withdraw", "purge":
	default:
		return usageError{fmt.Sprintf("unknown privacy command %q (export, erase, restrict, object, withdraw, suppress, purge, delete-all)", cmd)}
	}
	st, err := openStore(*db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := privacy.New(st)
	if cmd == "purge" {
		rep, err := svc.Purge(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Retention: %d contacts past retention hidden, %d purged, %d messages' metadata removed.\n",
			rep.MarkedDeleted, rep.Purged, rep.Messages)
		return nil
	}
	if len(pos) != 1 {
		return usageError{fmt.Sprintf("privacy %s needs one email address", cmd)}
	}
	t, err := privacy.ParseTarget(pos[0])
	if err != nil || t.Address == "" {
		return usageError{fmt.Sprintf("%q is not an email address", pos[0])}
	}
	switch cmd {
	case "export":
		if *out == "" {
			return usageError{"privacy export needs --out FILE"}
		}
		rep, err := svc.Access(ctx, t)
		if err != nil {
			return err
		}
		b, _ := json.MarshalIndent(rep, "", "  ")
		if err := writePrivate(*out, append(b, '\n')); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s\nWritten to %s.\n", rep.Summary, *out)
	case "erase":
		n, err := svc.Erase(ctx, t)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Erased %d contact record(s) for %s; the address is on Do Not Mine Me and will not be mined again.\n", n, t.Address)
	case "restrict":
		if err := svc.Restrict(ctx, t, *note); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Processing of %s is restricted: kept, but never verified, enriched or contacted.\n", t.Address)
	case "object":
		if err := svc.Object(ctx, t, *note); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s objected: out of campaigns and enrichment, and on Do Not Mine Me.\n", t.Address)
	case "withdraw":
		if err := svc.Withdraw(ctx, t, *note); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s withdrew consent: opted out.\n", t.Address)
	default:
		return usageError{fmt.Sprintf("unknown privacy command %q", cmd)}
	}
	return nil
}

// writePrivate writes a file only the user can read, atomically.
func writePrivate(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".leadminer-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func (e *env) suppress(ctx context.Context, pos []string, db, format string) error {
	if len(pos) == 0 {
		return usageError{"privacy suppress needs add EMAIL|@DOMAIN, import FILE or list"}
	}
	st, err := openStore(db, pos[0] == "list")
	if err != nil {
		return err
	}
	defer st.Close()
	svc := privacy.New(st)
	switch pos[0] {
	case "add":
		if len(pos) < 2 {
			return usageError{"privacy suppress add needs EMAIL or @DOMAIN"}
		}
		for _, p := range pos[1:] {
			t, err := privacy.ParseTarget(p)
			if err != nil {
				return usageError{err.Error()}
			}
			if err := svc.Suppress(ctx, t, "manual"); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s will never be mined.\n", p)
		}
	case "import":
		if len(pos) != 2 {
			return usageError{"privacy suppress import needs FILE"}
		}
		f, err := os.Open(pos[1])
		if err != nil {
			return err
		}
		defer f.Close()
		n, bad, err := svc.Import(ctx, f, "import")
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Added %d entries.", n)
		if len(bad) > 0 {
			fmt.Fprintf(e.stdout, " Ignored %d that are not addresses: %s", len(bad), strings.Join(bad, ", "))
		}
		fmt.Fprintln(e.stdout)
	case "list":
		list, err := st.Suppressions(ctx)
		if err != nil {
			return err
		}
		if format == "json" {
			enc := json.NewEncoder(e.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(list)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ADDED\tKIND\tREASON\tSUBJECT (keyed hash; addresses are not kept)")
		for _, s := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.AddedAt.Format(time.DateOnly), s.Kind, s.Reason, s.Subject[:16]+"…")
		}
		return tw.Flush()
	default:
		return usageError{fmt.Sprintf("unknown suppress command %q", pos[0])}
	}
	return nil
}

func (e *env) deleteAll(db string, yes bool) error {
	path, err := dbPath(db)
	if err != nil {
		return err
	}
	appDB, err := appdir.Database()
	if err != nil {
		return err
	}
	// The app's own directory is wiped whole; a database kept elsewhere
	// loses only its own files, never its neighbours.
	own := path == appDB
	what := path + " (with its journal and key files)"
	if own {
		what = "everything in " + filepath.Dir(path)
	}
	if !yes {
		return usageError{fmt.Sprintf("this deletes %s and every keychain entry of LeadMiner: run again with --yes", what)}
	}
	if own {
		err = privacy.DeleteAllData(filepath.Dir(path), appdir.DragDir(), secrets.Keychain{})
	} else {
		err = errors.Join(privacy.DeleteDatabaseFiles(path), privacy.DeleteAllData("", appdir.DragDir(), secrets.Keychain{}))
	}
	if err != nil && !errors.Is(err, secrets.ErrUnavailable) {
		return err
	}
	fmt.Fprintf(e.stdout, "Deleted %s, LeadMiner's temporary files and its keychain entries.\n", what)
	return nil
}

func (e *env) egress(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"egress needs a command: log, list, enable ID, disable ID"}
	}
	cmd, args := args[0], args[1:]
	fs := e.newFlags("egress " + cmd)
	db := fs.String("db", "", "database file (default: the app's database)")
	format := fs.String("format", "text", "text or json")
	limit := fs.Int("limit", 0, "at most this many entries (log)")
	pos, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	st, err := openStore(*db, cmd == "log")
	if err != nil {
		return err
	}
	defer st.Close()
	gate := privacy.New(st).Gate()
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	switch cmd {
	case "log":
		log, err := st.EgressLog(ctx, "", *limit)
		if err != nil {
			return err
		}
		if *format == "json" {
			return enc.Encode(log)
		}
		if len(log) == 0 {
			fmt.Fprintln(e.stdout, "Nothing ever left this machine (apart from your own mail servers).")
			return nil
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TIME\tSERVICE\tPURPOSE\tRECORDS\tBYTES OUT\tOUTCOME")
		for _, ev := range log {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", ev.At.Format(time.RFC3339), ev.Subprocessor, ev.Purpose, ev.Records, ev.BytesOut, ev.Outcome)
		}
		return tw.Flush()
	case "list":
		type row struct {
			egress.Subprocessor
			Enabled bool `json:"enabled"`
		}
		var rows []row
		for _, sp := range egress.Registry {
			on, err := gate.Enabled(ctx, sp.ID)
			if err != nil {
				return err
			}
			rows = append(rows, row{sp, on})
		}
		if *format == "json" {
			return enc.Encode(rows)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSTATE\tNAME\tREGION\tPURPOSE")
		for _, r := range rows {
			state := "off"
			if r.Enabled {
				state = "on"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, state, r.Name, r.Region, r.Purpose)
		}
		return tw.Flush()
	case "enable", "disable":
		if len(pos) != 1 {
			return usageError{fmt.Sprintf("egress %s needs a subprocessor id (see leadminer egress list)", cmd)}
		}
		if err := gate.SetEnabled(ctx, pos[0], cmd == "enable"); err != nil {
			return usageError{err.Error()}
		}
		fmt.Fprintf(e.stdout, "%s is %sd.\n", pos[0], cmd)
		return nil
	}
	return usageError{fmt.Sprintf("unknown egress command %q", cmd)}
}
