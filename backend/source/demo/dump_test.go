package demo

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"leadminer/backend/source"
)

func TestDump(t *testing.T) {
	dir := os.Getenv("DEMO_DUMP")
	if dir == "" {
		t.Skip()
	}
	start := time.Now()
	m := New(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	fmt.Println("build", time.Since(start))
	fs, _ := m.Folders(context.Background())
	for _, f := range fs {
		fmt.Println(f)
		out, _ := os.Create(dir + "/" + f.SpecialUse + "_" + fmt.Sprint(f.Count) + "_" + sanitize(f.Name) + ".txt")
		m.Scan(context.Background(), f.Name, source.EmptyCheckpoint{}, func(r source.Record) error {
			fmt.Fprintf(out, "=== %s %s\n%s", r.Folder, r.Location, r.Header)
			return nil
		})
		out.Close()
	}
	fmt.Println("total", m.Messages(), time.Since(start))
}

func sanitize(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == '/' {
			b[i] = '_'
		}
	}
	return string(b)
}
