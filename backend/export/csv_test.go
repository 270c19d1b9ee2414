package export

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"leadminer/backend/contact"
)

const wantHeader = "Name,Email,Recency,Seniority,Occurrence,Sender,Recipient,Conversations,Replies,Tags,Reachable,Temperature,Consent,Given name,Family name,Alternate names,Alternate emails,Location,Works for,Job title,Same as,Telephone,Avatar URL\r\n"

// Column indexes used by the tests.
const (
	colName        = 0
	colEmail       = 1
	colRecency     = 2
	colSeniority   = 3
	colOccurrence  = 4
	colTags        = 9
	colTemperature = 11
	colLocation    = 17
	colJobTitle    = 19
	colTelephone   = 21
)

func exportCSV(t testing.TB, opts Options, contacts ...contact.Contact) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := New(FormatCSV, &buf, opts)
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

// parseCSV is a strict RFC 4180 reader: every record ends in CRLF, quotes only
// open a field, and CR or LF only appear inside quotes. Unlike encoding/csv it
// keeps CRLF inside quoted fields as is, so round trips are exact.
func parseCSV(s string, delim byte) ([][]string, error) {
	var recs [][]string
	var rec []string
	for i := 0; i < len(s); {
		var field strings.Builder
		if s[i] == '"' {
			for i++; ; i++ {
				if i >= len(s) {
					return nil, errors.New("unterminated quoted field")
				}
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						field.WriteByte('"')
						i++
						continue
					}
					i++
					break
				}
				field.WriteByte(s[i])
			}
		} else {
			for ; i < len(s) && s[i] != delim && s[i] != '\r' && s[i] != '\n'; i++ {
				if s[i] == '"' {
					return nil, fmt.Errorf("bare quote at %d", i)
				}
				field.WriteByte(s[i])
			}
		}
		rec = append(rec, field.String())
		switch {
		case i < len(s) && s[i] == delim:
			i++
			if i == len(s) {
				return nil, errors.New("delimiter at end of input")
			}
		case strings.HasPrefix(s[i:], "\r\n"):
			recs = append(recs, rec)
			rec = nil
			i += 2
		default:
			return nil, fmt.Errorf("expected delimiter or CRLF at %d in %q", i, s)
		}
	}
	if rec != nil {
		return nil, errors.New("last record does not end in CRLF")
	}
	return recs, nil
}

func mustParseCSV(t testing.TB, s string, delim byte) [][]string {
	t.Helper()
	recs, err := parseCSV(s, delim)
	if err != nil {
		t.Fatalf("invalid CSV: %v\n%q", err, s)
	}
	for i, r := range recs {
		if len(r) != len(csvHeader) {
			t.Fatalf("record %d has %d fields; want %d: %q", i, len(r), len(csvHeader), r)
		}
	}
	return recs
}

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 10, 30, 0, 0, time.UTC)
	return &t
}

func fullContact() contact.Contact {
	return contact.Contact{
		Email:                "ada@example.com",
		Name:                 "  Ada Lovelace ",
		GivenName:            "Ada",
		FamilyName:           "Lovelace",
		AlternateNames:       []string{"Ada King", "Countess of Lovelace"},
		AlternateEmails:      []string{"ada@analytical.example", "countess@example.org"},
		Tags:                 []string{"professional", "engaged"},
		Occurrence:           42,
		Sender:               10,
		Recipient:            32,
		Conversations:        7,
		RepliedConversations: 3,
		Recency:              date(2026, time.November, 28),
		Seniority:            date(2019, time.January, 2),
		Temperature:          87,
		Status:               "VALID",
		ConsentStatus:        contact.ConsentLegitimateInterest,
		Telephone:            []string{"+44 20 7946 0000", "020 7946 0001"},
		WorksFor:             "Analytical Engines Ltd",
		JobTitle:             "Mathematician",
		Location:             "London, UK",
		SameAs:               []string{"https://example.org/ada", "https://example.net/@ada"},
		Image:                "https://example.org/ada.png",
	}
}

func TestCSVWritesHeaderThenOneRowPerContactInColumnOrder(t *testing.T) {
	got := exportCSV(t, Options{}, fullContact(), contact.Contact{Email: "bob@example.com"})
	want := wantHeader +
		`Ada Lovelace,ada@example.com,2026-11-28,2019-01-02,42,10,32,7,3,"professional,engaged",VALID,87,legitimate_interest,Ada,Lovelace,"Ada King,Countess of Lovelace","ada@analytical.example,countess@example.org","London, UK",Analytical Engines Ltd,Mathematician,"https://example.org/ada,https://example.net/@ada","'+44 20 7946 0000,020 7946 0001",https://example.org/ada.png` + "\r\n" +
		",bob@example.com,,,0,0,0,0,0,,,0,,,,,,,,,,,\r\n"
	if got != want {
		t.Errorf("CSV mismatch\n got: %q\nwant: %q", got, want)
	}
}

func TestCSVEmptyExportStillHasHeader(t *testing.T) {
	if got := exportCSV(t, Options{}); got != wantHeader {
		t.Errorf("got %q; want header only", got)
	}
}

func TestCSVDatesAreUTCDays(t *testing.T) {
	// 23:30 in New York on the 1st is already the 2nd in UTC.
	ny := time.FixedZone("EST", -5*3600)
	recency := time.Date(2026, time.March, 1, 23, 30, 0, 0, ny)
	recs := mustParseCSV(t, exportCSV(t, Options{}, contact.Contact{Email: "a@example.com", Recency: &recency}), ',')
	if got := recs[1][colRecency]; got != "2026-03-02" {
		t.Errorf("Recency = %q; want 2026-03-02", got)
	}
	if got := recs[1][colSeniority]; got != "" {
		t.Errorf("nil Seniority = %q; want empty", got)
	}
}

func TestCSVNeutralisesFormulaLeadingCharacters(t *testing.T) {
	leads := []string{"=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"}
	for _, lead := range leads {
		payload := lead + `HYPERLINK("http://evil.example","click")`
		t.Run(fmt.Sprintf("%q", lead), func(t *testing.T) {
			c := contact.Contact{
				Email:     payload + "@example.com",
				Location:  payload,
				Tags:      []string{payload, "other"},
				Telephone: []string{payload},
			}
			recs := mustParseCSV(t, exportCSV(t, Options{}, c), ',')
			for _, col := range []int{colEmail, colLocation, colTags, colTelephone} {
				cell := recs[1][col]
				if !strings.HasPrefix(cell, "'"+lead) {
					t.Errorf("column %s = %q; want a leading apostrophe", csvHeader[col], cell)
				}
			}
		})
	}
}

func TestCSVNeutralisesOnlyTheFirstCharacter(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text", "Paris", "Paris"},
		{"formula later in the cell", "a=1+2", "a=1+2"},
		{"leading space then equals", " =1+2", " =1+2"},
		{"joined list with a later formula", "ok,=1+2", "ok,=1+2"},
		{"international telephone", "+33 6 12 34 56 78", "'+33 6 12 34 56 78"},
		{"apostrophe already", "'quoted", "'quoted"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := mustParseCSV(t, exportCSV(t, Options{}, contact.Contact{Location: tt.in}), ',')
			if got := recs[1][colLocation]; got != tt.want {
				t.Errorf("cell = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestCSVLeavesNumbersWeFormatAlone(t *testing.T) {
	c := contact.Contact{Email: "a@example.com", Occurrence: 3, Temperature: -5}
	recs := mustParseCSV(t, exportCSV(t, Options{}, c), ',')
	if got := recs[1][colTemperature]; got != "-5" {
		t.Errorf("Temperature = %q; want -5 untouched", got)
	}
	if got := recs[1][colOccurrence]; got != "3" {
		t.Errorf("Occurrence = %q; want 3", got)
	}
}

func TestCSVDelimiters(t *testing.T) {
	c := contact.Contact{
		Name:     "Doe, Jane; Dr",
		Email:    "jane@example.com",
		Location: "Tab\there",
		Tags:     []string{"a", "b"},
	}
	tests := []struct {
		name  string
		delim rune
		want  string // the row, after the header
	}{
		{"comma", ',', "\"Doe, Jane; Dr\",jane@example.com,,,0,0,0,0,0,\"a,b\",,0,,,,,,Tab\there,,,,,\r\n"},
		{"semicolon", ';', "\"Doe, Jane; Dr\";jane@example.com;;;0;0;0;0;0;a,b;;0;;;;;;Tab\there;;;;;\r\n"},
		{"tab", '\t', "Doe, Jane; Dr\tjane@example.com\t\t\t0\t0\t0\t0\t0\ta,b\t\t0\t\t\t\t\t\t\"Tab\there\"\t\t\t\t\t\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := exportCSV(t, Options{Delimiter: tt.delim}, c)
			header := strings.ReplaceAll(wantHeader, ",", string(tt.delim))
			if got != header+tt.want {
				t.Errorf("got  %q\nwant %q", got, header+tt.want)
			}
			recs := mustParseCSV(t, got, byte(tt.delim))
			if recs[1][colName] != c.Name || recs[1][colLocation] != c.Location {
				t.Errorf("round trip lost data: %q", recs[1])
			}
		})
	}
}

func TestCSVBOM(t *testing.T) {
	tests := []struct {
		bom  bool
		want bool
	}{{true, true}, {false, false}}
	for _, tt := range tests {
		got := exportCSV(t, Options{BOM: tt.bom}, contact.Contact{Email: "a@example.com"})
		if has := strings.HasPrefix(got, "\uFEFFName,"); has != tt.want {
			t.Errorf("BOM=%v: output starts %q", tt.bom, got[:8])
		}
		if strings.Count(got, "\uFEFF") > 1 {
			t.Errorf("BOM=%v: more than one BOM", tt.bom)
		}
	}
	if got := exportCSV(t, Options{BOM: true}); got != "\uFEFF"+wantHeader {
		t.Errorf("empty export with BOM = %q", got)
	}
}

func TestCSVQuotesFieldsThatNeedIt(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"embedded quote", `The "Boss"`, `"The ""Boss"""`},
		{"embedded LF", "line1\nline2", "\"line1\nline2\""},
		{"embedded CRLF", "line1\r\nline2", "\"line1\r\nline2\""},
		{"embedded CR", "a\rb", "\"a\rb\""},
		{"delimiter", "Paris, France", `"Paris, France"`},
		{"semicolon with comma delimiter", "a;b", "a;b"},
		{"leading space", " x", " x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := exportCSV(t, Options{}, contact.Contact{JobTitle: tt.in})
			row := strings.TrimPrefix(got, wantHeader)
			wantRow := ",,,,0,0,0,0,0,,,0,,,,,,,," + tt.want + ",,,\r\n"
			if row != wantRow {
				t.Errorf("row = %q; want %q", row, wantRow)
			}
			if recs := mustParseCSV(t, got, ','); recs[1][colJobTitle] != tt.in {
				t.Errorf("round trip = %q; want %q", recs[1][colJobTitle], tt.in)
			}
		})
	}
}

func TestCSVReplacesInvalidUTF8(t *testing.T) {
	c := contact.Contact{
		Name:     "Ren\xe9 Dupont", // Latin-1 that slipped through
		Email:    "rene@example.com",
		Location: "\xff\xfe",
		Tags:     []string{"ok", "bad\x80"},
	}
	got := exportCSV(t, Options{}, c)
	if !utf8.ValidString(got) {
		t.Fatalf("output is not valid UTF-8: %q", got)
	}
	recs := mustParseCSV(t, got, ',')
	if want := "Ren\uFFFD Dupont"; recs[1][colName] != want {
		t.Errorf("Name = %q; want %q", recs[1][colName], want)
	}
	if want := "ok,bad\uFFFD"; recs[1][colTags] != want {
		t.Errorf("Tags = %q; want %q", recs[1][colTags], want)
	}
	if !strings.HasPrefix(recs[1][colLocation], "\uFFFD") {
		t.Errorf("Location = %q; want U+FFFD", recs[1][colLocation])
	}
}

func TestCSVTrimsName(t *testing.T) {
	recs := mustParseCSV(t, exportCSV(t, Options{}, contact.Contact{Name: " \t=Eve\n "}), ',')
	// Trimming happens first, so the formula check sees the real first rune.
	if got := recs[1][colName]; got != "'=Eve" {
		t.Errorf("Name = %q; want %q", got, "'=Eve")
	}
}

// FuzzCSVCell checks that any text, in any text column and with any delimiter,
// yields valid UTF-8 that parses back to exactly one row whose cells are the
// input (made valid) with at most an apostrophe in front, and never start
// with a formula character.
func FuzzCSVCell(f *testing.F) {
	f.Add("=1+1", byte(0))
	f.Add("\"a\",\r\nb;c\td", byte(1))
	f.Add("－\xff", byte(2))
	f.Fuzz(func(t *testing.T, s string, d byte) {
		delim := []rune{',', ';', '\t'}[int(d)%3]
		c := contact.Contact{Name: s, Email: s, Tags: []string{s, s}, Location: s}
		out := exportCSV(t, Options{Delimiter: delim, BOM: d >= 128}, c)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		recs := mustParseCSV(t, strings.TrimPrefix(out, "\uFEFF"), byte(delim))
		if len(recs) != 2 {
			t.Fatalf("got %d records; want 2", len(recs))
		}
		valid := validUTF8(s)
		want := map[int]string{
			colName:     strings.TrimSpace(valid),
			colEmail:    valid,
			colTags:     valid + "," + valid,
			colLocation: valid,
		}
		for col, plain := range want {
			cell := recs[1][col]
			if cell != plain && cell != "'"+plain {
				t.Errorf("column %s = %q; want %q, maybe with an apostrophe", csvHeader[col], cell, plain)
			}
			if neutraliseFormula(cell) != cell {
				t.Errorf("column %s = %q starts with a formula character", csvHeader[col], cell)
			}
		}
	})
}
