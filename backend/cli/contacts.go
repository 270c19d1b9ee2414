package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"leadminer/backend/contact"
	"leadminer/backend/contacts"
	"leadminer/backend/export"
	"leadminer/backend/source"
	"leadminer/backend/store"
)

func sourceDefaults(list []source.Folder) []string { return source.DefaultFolders(list) }

func (e *env) contacts(ctx context.Context, args []string) error {
	fs := e.newFlags("contacts")
	db := fs.String("db", "", "database file (default: the app's database)")
	all := fs.Bool("all", false, "include contacts hidden by default (no-reply, transactional, newsletters...)")
	search := fs.String("search", "", "only contacts matching these words")
	format := fs.String("format", "json", "json or csv")
	if err := parse(fs, args); err != nil {
		return err
	}
	f, err := export.ParseFormat(*format)
	if err != nil || f == export.FormatVCard {
		return usageError{fmt.Sprintf("--format %q: use json or csv", *format)}
	}
	st, err := openStore(*db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	return writeContacts(ctx, st, store.Query{All: *all, Search: *search}, f, export.Options{}, e.stdout)
}

func writeContacts(ctx context.Context, st *store.Store, q store.Query, f export.Format, opts export.Options, out interface {
	Write([]byte) (int, error)
}) error {
	w, err := export.New(f, out, opts)
	if err != nil {
		return err
	}
	svc := contacts.New(st)
	if err := svc.List(ctx, q, func(c contact.Contact) error { return w.Write(c) }); err != nil {
		return err
	}
	return w.Close()
}

func (e *env) export(ctx context.Context, args []string) error {
	fs := e.newFlags("export")
	db := fs.String("db", "", "database file (default: the app's database)")
	format := fs.String("format", "", "csv, vcard or json")
	outPath := fs.String("out", "", "file to write")
	delimiter := fs.String("delimiter", ",", "CSV delimiter: , ; or tab")
	bom := fs.Bool("bom", false, "start the CSV with a UTF-8 byte order mark (for older Excel)")
	vcardVersion := fs.String("vcard-version", "4.0", "vCard version: 4.0 or 3.0")
	all := fs.Bool("all", false, "include contacts hidden by default")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format == "" || *outPath == "" {
		return usageError{"export needs --format and --out"}
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return usageError{err.Error()}
	}
	delim, err := export.ParseDelimiter(*delimiter)
	if err != nil {
		return usageError{err.Error()}
	}
	if *vcardVersion != "4.0" && *vcardVersion != "3.0" {
		return usageError{fmt.Sprintf("--vcard-version %q: use 4.0 or 3.0", *vcardVersion)}
	}
	if dbFile, err := dbPath(*db); err == nil {
		if out, err := filepath.Abs(*outPath); err == nil && (out == dbFile || strings.HasPrefix(out, dbFile+"-")) {
			return usageError{fmt.Sprintf("--out %s is the database itself: choose another file", *outPath)}
		}
	}
	st, err := openStore(*db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	opts := export.Options{Delimiter: delim, BOM: *bom, VCardVersion: *vcardVersion}
	svc := contacts.New(st)
	n, err := export.WriteFile(*outPath, f, opts, func(yield func(contact.Contact) error) error {
		return svc.List(ctx, store.Query{All: *all}, yield)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Exported %d contacts to %s\n", n, *outPath)
	return nil
}
