package source

import (
	"slices"
	"testing"
)

func TestSpecialUseFromName(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{"", ""},
		{"INBOX", ""},
		{"Sent", SpecialSent},
		{"sent", SpecialSent},
		{"SENT ITEMS", SpecialSent},
		{"INBOX.Sent", SpecialSent},
		{"INBOX/Sent Items", SpecialSent},
		{"Sent/", SpecialSent},
		{"[Gmail]/Sent Mail", SpecialSent},
		{"[Gmail]/All Mail", SpecialAll},
		{"[Google Mail]/Alle Nachrichten", SpecialAll},
		{"[Gmail]/Trash", SpecialTrash},
		{"[Gmail]/Spam", SpecialJunk},
		{"[Gmail]/Drafts", SpecialDrafts},
		{"[Gmail]", ""},
		{"Éléments envoyés", SpecialSent},
		{"ÉLÉMENTS SUPPRIMÉS", SpecialTrash},
		{"Brouillons", SpecialDrafts},
		{"Courrier indésirable", SpecialJunk},
		{"INBOX.Courrier indésirable", SpecialJunk},
		{"Junk E-mail", SpecialJunk},
		{"Deleted Items", SpecialTrash},
		{"Papierkorb", SpecialTrash},
		{"Entwürfe", SpecialDrafts},
		{"Posta inviata", SpecialSent},
		{"Work.Drafts", SpecialDrafts},
		{"Archive", ""},
		{"Archive/2023", ""},
		{"Outbox", ""}, // not a special use; DefaultFolders skips it by name
		{"Sent Stuff", ""},
		{"Clients/Trashy", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SpecialUseFromName(tt.name); got != tt.want {
				t.Errorf("SpecialUseFromName(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestDefaultFolders(t *testing.T) {
	sel := func(name, use string) Folder { return Folder{Name: name, Count: -1, SpecialUse: use, Selectable: true} }
	noselect := func(name, use string) Folder { return Folder{Name: name, Count: -1, SpecialUse: use} }
	tests := []struct {
		name    string
		folders []Folder
		want    []string
	}{
		{name: "no folders", folders: nil, want: nil},
		{
			name: "Gmail All Mail alone",
			folders: []Folder{
				sel("INBOX", ""), noselect("[Gmail]", ""), sel("[Gmail]/Sent Mail", SpecialSent),
				sel("[Gmail]/All Mail", SpecialAll), sel("[Gmail]/Spam", SpecialJunk), sel("Clients", ""),
			},
			want: []string{"[Gmail]/All Mail"},
		},
		{
			name:    "All Mail that cannot be selected is not picked",
			folders: []Folder{sel("INBOX", ""), noselect("[Gmail]/All Mail", SpecialAll), sel("[Gmail]/Trash", SpecialTrash)},
			want:    []string{"INBOX"},
		},
		{
			name:    "an All Mail name without the attribute is mined like any folder",
			folders: []Folder{sel("INBOX", ""), sel("[Gmail]/All Mail", "")},
			want:    []string{"INBOX", "[Gmail]/All Mail"},
		},
		{
			name: "special-use attributes exclude drafts, junk and trash",
			folders: []Folder{
				sel("INBOX", ""), sel("Envoyé", SpecialSent), sel("Stuff", SpecialJunk), sel("Old", SpecialTrash),
				sel("Wip", SpecialDrafts), sel("Archives", SpecialArchive),
			},
			want: []string{"INBOX", "Envoyé", "Archives"},
		},
		{
			name: "localised names when there is no attribute",
			folders: []Folder{
				sel("INBOX", ""), sel("Brouillons", ""), sel("Courrier indésirable", ""), sel("[Gmail]/Trash", ""),
				sel("INBOX.Sent", ""), sel("INBOX.Trash", ""), sel("Éléments supprimés", ""), sel("Papierkorb", ""),
				sel("Junk E-mail", ""), sel("Spam", ""), sel("Clients", ""),
			},
			want: []string{"INBOX", "INBOX.Sent", "Clients"},
		},
		{
			name: "the attribute wins over the name",
			folders: []Folder{
				sel("Trash", SpecialArchive), // a server says this one is an archive
				sel("Newsletters", SpecialJunk),
			},
			want: []string{"Trash"},
		},
		{
			name: "outbox is never mined, whatever its language or case",
			folders: []Folder{
				sel("INBOX", ""), sel("Outbox", ""), sel("OUTBOX", ""), sel("Boîte d'envoi", ""), sel("INBOX.Postausgang", ""),
				sel("Local/Bandeja de salida", ""), sel("Sent", ""),
			},
			want: []string{"INBOX", "Sent"},
		},
		{
			name:    "Noselect folders are never mined",
			folders: []Folder{noselect("Archive", ""), sel("Archive/2023", ""), noselect("[Gmail]", ""), sel("INBOX", "")},
			want:    []string{"Archive/2023", "INBOX"},
		},
		{
			name:    "only excluded folders leaves nothing",
			folders: []Folder{sel("Drafts", ""), sel("Trash", SpecialTrash), noselect("Work", "")},
			want:    nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DefaultFolders(tt.folders)
			if !slices.Equal(got, tt.want) {
				t.Errorf("DefaultFolders = %q, want %q", got, tt.want)
			}
		})
	}
}
