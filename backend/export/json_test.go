package export

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"leadminer/backend/contact"
)

func exportJSON(t testing.TB, contacts ...contact.Contact) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(FormatJSON, &buf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range contacts {
		if err := w.Write(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func decodeJSON(t testing.TB, s string) []map[string]any {
	t.Helper()
	if !json.Valid([]byte(s)) {
		t.Fatalf("invalid JSON:\n%s", s)
	}
	var out []map[string]any
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatal(err)
	}
	if out == nil {
		t.Fatalf("top level is not an array: %s", s)
	}
	return out
}

func TestJSONZeroContactsIsAnEmptyArray(t *testing.T) {
	if got := exportJSON(t); got != "[]\n" {
		t.Errorf("got %q; want %q", got, "[]\n")
	}
}

func TestJSONIsAnIndentedArrayOfContacts(t *testing.T) {
	got := exportJSON(t, contact.Contact{Email: "a@example.com", Tags: []string{"x"}}, contact.Contact{Email: "b@example.com"})
	if !strings.HasPrefix(got, "[\n  {\n    \"email\": \"a@example.com\",\n") {
		t.Errorf("unexpected layout:\n%s", got)
	}
	if !strings.Contains(got, "\n  },\n  {\n") || !strings.HasSuffix(got, "\n  }\n]\n") {
		t.Errorf("unexpected layout between or after objects:\n%s", got)
	}
	out := decodeJSON(t, got)
	if len(out) != 2 || out[0]["email"] != "a@example.com" || out[1]["email"] != "b@example.com" {
		t.Errorf("decoded %v", out)
	}
}

func TestJSONUsesContactTagsWithEmptyListsAndNullDates(t *testing.T) {
	out := decodeJSON(t, exportJSON(t, contact.Contact{Email: "a@example.com", ID: 7, Image: "https://x", Hidden: true}))
	obj := out[0]
	// Every tagged field is present; lists are [] and dates null.
	ct := reflect.TypeFor[contact.Contact]()
	for i := range ct.NumField() {
		f := ct.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")[0]
		if tag == "-" {
			continue
		}
		v, ok := obj[tag]
		if !ok {
			t.Errorf("field %q missing", tag)
			continue
		}
		switch f.Type.Kind() {
		case reflect.Slice:
			if list, ok := v.([]any); !ok || len(list) != 0 {
				t.Errorf("%q = %#v; want []", tag, v)
			}
		case reflect.Pointer:
			if v != nil {
				t.Errorf("%q = %#v; want null", tag, v)
			}
		}
	}
	for _, hidden := range []string{"ID", "id", "Image", "image", "Hidden", "hidden"} {
		if _, ok := obj[hidden]; ok {
			t.Errorf("field %q exported despite json:\"-\"", hidden)
		}
	}
}

func TestJSONDatesAreUTCAndRoundTrip(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	recency := time.Date(2026, time.November, 29, 13, 0, 0, 0, paris)
	in := fullContact()
	in.Recency = &recency
	in.Sources = []string{"imap://ada@example.com"}

	got := exportJSON(t, in)
	if !strings.Contains(got, `"recency": "2026-11-29T12:00:00Z"`) {
		t.Errorf("recency not in UTC:\n%s", got)
	}
	var back []contact.Contact
	if err := json.Unmarshal([]byte(got), &back); err != nil {
		t.Fatal(err)
	}
	want := in
	want.Image = "" // json:"-"
	if len(back) != 1 || !back[0].Recency.Equal(recency) {
		t.Fatalf("decoded %+v", back)
	}
	back[0].Recency, want.Recency = nil, nil
	back[0].Seniority, want.Seniority = nil, nil
	if !reflect.DeepEqual(back[0], want) {
		t.Errorf("round trip\n got %+v\nwant %+v", back[0], want)
	}
}

func TestJSONKeepsTextReadableAndValid(t *testing.T) {
	got := exportJSON(t, contact.Contact{Email: "a@example.com", Name: "Tom & Jerry <tj>", WorksFor: "bad\xff"})
	if !strings.Contains(got, `"name": "Tom & Jerry <tj>"`) {
		t.Errorf("HTML characters escaped:\n%s", got)
	}
	if !utf8.ValidString(got) || decodeJSON(t, got)[0]["works_for"] != "bad\uFFFD" {
		t.Errorf("invalid UTF-8 not replaced:\n%s", got)
	}
}
