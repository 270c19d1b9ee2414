package source

import (
	"slices"
	"strings"
)

// Special-use attributes (RFC 6154) that matter for folder selection.
const (
	SpecialAll     = `\All`
	SpecialSent    = `\Sent`
	SpecialDrafts  = `\Drafts`
	SpecialJunk    = `\Junk`
	SpecialTrash   = `\Trash`
	SpecialArchive = `\Archive`
)

// localisedNames maps folder names (lower case, last path segment) that
// common clients and providers use to their special use.
var localisedNames = map[string]string{
	"all mail": SpecialAll, "tous les messages": SpecialAll, "alle nachrichten": SpecialAll, "todos": SpecialAll,
	"sent": SpecialSent, "sent items": SpecialSent, "sent mail": SpecialSent, "sent messages": SpecialSent,
	"envoyés": SpecialSent, "éléments envoyés": SpecialSent, "messages envoyés": SpecialSent,
	"gesendet": SpecialSent, "gesendete elemente": SpecialSent, "enviados": SpecialSent, "inviata": SpecialSent, "posta inviata": SpecialSent,
	"drafts": SpecialDrafts, "draft": SpecialDrafts, "brouillons": SpecialDrafts, "entwürfe": SpecialDrafts,
	"borradores": SpecialDrafts, "bozze": SpecialDrafts,
	"junk": SpecialJunk, "spam": SpecialJunk, "junk e-mail": SpecialJunk, "junk email": SpecialJunk, "bulk mail": SpecialJunk,
	"courrier indésirable": SpecialJunk, "pourriel": SpecialJunk, "indésirables": SpecialJunk, "unerwünscht": SpecialJunk,
	"correo no deseado": SpecialJunk, "posta indesiderata": SpecialJunk,
	"trash": SpecialTrash, "deleted items": SpecialTrash, "deleted messages": SpecialTrash, "bin": SpecialTrash,
	"corbeille": SpecialTrash, "éléments supprimés": SpecialTrash, "papierkorb": SpecialTrash,
	"gelöschte elemente": SpecialTrash, "papelera": SpecialTrash, "cestino": SpecialTrash,
}

// outboxNames are never mined: their messages have not been sent yet.
var outboxNames = []string{"outbox", "boîte d'envoi", "postausgang", "bandeja de salida", "posta in uscita"}

func lastSegment(name string) string {
	name = strings.TrimRight(name, "/.")
	if i := strings.LastIndexAny(name, "/."); i >= 0 && !strings.HasPrefix(name, "[") {
		return name[i+1:]
	}
	if strings.HasPrefix(name, "[") {
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			return name[i+1:]
		}
	}
	return name
}

// SpecialUseFromName guesses a folder's special use from its name, for
// sources that have no RFC 6154 attributes.
func SpecialUseFromName(name string) string {
	return localisedNames[strings.ToLower(lastSegment(name))]
}

// specialUse returns the folder's attribute, from the server first and its
// name second.
func specialUse(f Folder) string {
	if f.SpecialUse != "" {
		return f.SpecialUse
	}
	return SpecialUseFromName(f.Name)
}

// DefaultFolders picks the folders mined when the user chose none: an "All
// Mail" folder alone when there is one (it holds every message once), else
// every selectable folder except drafts, junk, trash and outbox.
func DefaultFolders(folders []Folder) []string {
	for _, f := range folders {
		if f.Selectable && f.SpecialUse == SpecialAll {
			return []string{f.Name}
		}
	}
	var names []string
	for _, f := range folders {
		if !f.Selectable {
			continue
		}
		switch specialUse(f) {
		case SpecialDrafts, SpecialJunk, SpecialTrash:
			continue
		}
		if slices.Contains(outboxNames, strings.ToLower(lastSegment(f.Name))) {
			continue
		}
		names = append(names, f.Name)
	}
	return names
}
