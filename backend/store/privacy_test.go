package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestSecureDeleteIsOn(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if on, err := s.SecureDelete(context.Background()); err != nil || !on {
		t.Fatalf("secure_delete = %v, %v: freed pages would keep erased data", on, err)
	}
}

func TestSubjectsAreKeyedPerInstallation(t *testing.T) {
	dir := t.TempDir()
	a, _ := Open(filepath.Join(dir, "a.db"))
	b, _ := Open(filepath.Join(dir, "b.db"))
	defer a.Close()
	defer b.Close()
	if a.Subject("x@example.com") == b.Subject("x@example.com") {
		t.Error("two installations give the same subject: the key is not used")
	}
	if a.Subject("X@Example.com ") != a.Subject("x@example.com") {
		t.Error("subjects must not depend on case or spaces")
	}
	st, err := os.Stat(KeyPath(filepath.Join(dir, "a.db")))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, mode %v", err, st.Mode())
	}
	// Reopening reads the same key.
	a2, _ := Open(filepath.Join(dir, "a.db"))
	defer a2.Close()
	if a2.Subject("x@example.com") != a.Subject("x@example.com") {
		t.Error("the key changed on reopen")
	}
}
