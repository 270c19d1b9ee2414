package demo

import (
	"slices"
	"strings"
	"time"
)

// Rendering turns a planned message into the raw header section a server
// would hand over: trace fields first, then the client's fields in its own
// order, CRLF line ends, long fields folded, a blank line at the end.

// field is one header field whose value is a list of items; lines fold only
// between items, where the syntax allows whitespace.
type field struct {
	name  string
	items []string
	sep   string
	every bool // fold at every separator (Received, parameter lists)
}

const lineLimit = 78

func (f field) appendTo(b []byte, fold string) []byte {
	b = append(b, f.name...)
	b = append(b, ':')
	line := len(f.name) + 1
	for i, it := range f.items {
		sep := " "
		if i > 0 {
			sep = f.sep
		}
		switch {
		case i > 0 && (f.every || line+len(sep)+len(it) > lineLimit):
			b = append(b, strings.TrimRight(sep, " ")...)
			b = append(b, fold...)
			line = 1
		case i > 0 || it != "":
			b = append(b, sep...)
			line += len(sep)
		}
		b = append(b, it...)
		line += len(it)
	}
	return append(b, "\r\n"...)
}

type header struct {
	trace []field
	slots [nFields][]field
}

func (h *header) add(id fieldID, name string, items []string, sep string) {
	h.slots[id] = append(h.slots[id], field{name: name, items: items, sep: sep})
}

func (h *header) one(id fieldID, name, value string) {
	h.add(id, name, []string{value}, "")
}

func (h *header) bytes(w *mailer) []byte {
	b := make([]byte, 0, 2048)
	for _, f := range h.trace {
		b = f.appendTo(b, "\r\n\t")
	}
	for _, id := range w.order {
		for _, f := range h.slots[id] {
			b = f.appendTo(b, w.fold)
		}
	}
	return append(b, "\r\n"...)
}

type renderer struct {
	c   *corpus
	now time.Time
	m   *message
	w   *mailer
	h   header
}

func (c *corpus) render(now time.Time, i int32, f folderID) []byte {
	r := &renderer{c: c, now: now, m: &c.msgs[i], w: &mailers[mServer]}
	switch r.m.kind {
	case kMail, kList:
		r.mail(f)
	case kNews:
		r.news()
	case kNotify:
		r.notify()
	case kOOO:
		r.autoReply()
	case kDrive:
		r.drive()
	case kInMail:
		r.inmail()
	case kCron:
		r.cron()
	case kSpam:
		r.spam()
	}
	return r.h.bytes(r.w)
}

func (r *renderer) person(x rcpt) *person { return &r.c.d.people[x.idx()] }

func (r *renderer) sent() time.Time {
	return r.now.Add(-time.Duration(r.m.offset) * time.Second)
}

func (r *renderer) date(z zoneID) {
	r.h.one(hDate, "Date", zones[z].in(r.sent()).Format(r.w.date))
}

// mailbox is x as their own client writes it in From.
func (r *renderer) mailbox(x rcpt) string {
	p, addr := r.person(x), r.c.d.address(x)
	switch {
	case p.Style == sAddrName:
		return `"` + addr + `" <` + addr + ">"
	case p.Style == sComment:
		return addr + " (" + p.Name + ")"
	case p.Style == sBare, x.owner() && r.m.flags&flBareOwner != 0:
		return addr
	}
	return r.c.d.phrase[x.idx()] + " <" + addr + ">"
}

// recipient is x as the writer's address book has them: sometimes under an
// alias, sometimes a bare address typed by hand, encoded by the writer's
// client.
func (r *renderer) recipient(x rcpt, n uint64) string {
	d, p, addr := r.c.d, r.person(x), r.c.d.address(x)
	h := mix(r.m.token, 40+n)
	switch {
	case x.owner():
		return ownerForm(h, addr)
	case x.idx() == d.list:
		if h%2 == 0 {
			return addr
		}
		return listName + " <" + addr + ">"
	case p.Style == sBare || h%12 == 0:
		return addr
	}
	name := p.Name
	if p.Alias != "" && (h%3 == 0 || p.Style == sAddrName) {
		name = p.Alias
	}
	return encodePhrase(name, "UTF-8", r.w.q, r.w.lower) + " <" + addr + ">"
}

// ownerForm is how correspondents' address books name the owner, Outlook's
// quirks included.
func ownerForm(h uint64, addr string) string {
	switch h % 10 {
	case 6:
		return "Alex <" + addr + ">"
	case 7:
		return addr
	case 8:
		return `"Morgan, Alex" <` + addr + ">"
	case 9:
		return `"'Alex Morgan'" <` + addr + ">"
	}
	return ownerName + " <" + addr + ">"
}

func (r *renderer) addrs(id fieldID, name string, xs []rcpt, n uint64) {
	if len(xs) == 0 {
		return
	}
	items := make([]string, len(xs))
	for k, x := range xs {
		items[k] = r.recipient(x, n+uint64(k))
	}
	r.h.add(id, name, items, ", ")
}

// trace adds what the receiving server prepends.
func (r *renderer) trace(sender, to, host string) {
	tok := r.m.token
	by := "mx1.northwind-labs.com (Postfix) with ESMTPS id " + chars(tok, 50, hexUp, 11)
	if domainOf(to) == "gmail.com" {
		by = "mx.google.com with ESMTPS id " + chars(tok, 50, alnum, 20) + ".42"
	}
	at := r.sent().Add(time.Duration(2+mix(tok, 51)%40) * time.Second).UTC().Format(dateZone)
	r.h.trace = append(r.h.trace,
		field{name: "Return-Path", items: []string{"<" + sender + ">"}},
		field{name: "Delivered-To", items: []string{to}},
		field{name: "Received", sep: " ", every: true,
			items: []string{"from " + host + " (" + host + " [" + ip(tok, host) + "])", "by " + by, "for <" + to + ">; " + at}})
}

// sendingHost is the outbound server of a person's provider.
func (r *renderer) sendingHost(x rcpt) string {
	n := number(r.m.token, 52, 3)
	switch r.person(x).Mailer {
	case mGmail:
		return "mail-wr1-f" + n + ".google.com"
	case mOutlook, mOutlookDE, mOutlookFR:
		return "mail-db8eur05on2" + n + ".outbound.protection.outlook.com"
	}
	return "mail." + domainOf(r.c.d.address(x))
}

// deliveredTo is the owner address a message reached.
func (r *renderer) deliveredTo() string {
	for _, xs := range [][]rcpt{r.m.to, r.m.cc} {
		for _, x := range xs {
			if x.owner() {
				return r.c.d.address(x)
			}
		}
	}
	return ownerWork
}

// mail renders person-to-person mail and list posts; a post the owner wrote
// renders as plain mail in Sent and with the list's fields in the list folder.
func (r *renderer) mail(f folderID) {
	m := r.m
	author := r.person(m.from)
	r.w = &mailers[author.Mailer]
	viaList := m.kind == kList && f == fList
	switch {
	case viaList:
		r.trace(listName+"-bounces+alex.morgan=northwind-labs.com@lists.example.org", ownerWork, "lists.example.org")
	case !m.from.owner():
		r.trace(r.c.d.address(m.from), r.deliveredTo(), r.sendingHost(m.from))
	}
	r.date(author.Zone)
	r.from(viaList)
	r.recipients(f)
	r.h.add(hSubject, "Subject", r.encodeText(r.c.subjectOf(m), author), " ")
	r.threading()
	if viaList {
		r.listFields()
	}
	if f == fDrafts && author.Mailer == mApple {
		r.h.one(hExtra, "X-Uniform-Type-Identifier", "com.apple.mail-draft")
		r.h.one(hExtra, "X-Apple-Mail-Remote-Attachments", "YES")
	}
	r.client()
}

// from writes From and Reply-To. The list rewrites the From of posters whose
// domain forbids relaying (DMARC) and moves them to Reply-To.
func (r *renderer) from(viaList bool) {
	m, author := r.m, r.person(r.m.from)
	if viaList && domainOf(author.Addr) == "yahoo.com" {
		r.h.one(hFrom, "From", phrase(author.Name+" via "+listName)+" <"+listAddr+">")
		r.h.one(hReplyTo, "Reply-To", r.mailbox(m.from))
		return
	}
	r.h.one(hFrom, "From", r.mailbox(m.from))
	if rt := r.c.d.replyTo[m.from.idx()]; rt >= 0 {
		r.h.one(hReplyTo, "Reply-To", r.recipient(rcpt(rt), 99))
	}
}

func (r *renderer) recipients(f folderID) {
	m := r.m
	switch {
	case m.flags&flUndisclosed != 0 && m.from.owner():
		r.h.one(hTo, "To", "undisclosed-recipients:;")
	case m.flags&flUndisclosed != 0:
		r.h.one(hTo, "To", "Undisclosed-Recipients:;")
	default:
		r.addrs(hTo, "To", m.to, 0)
	}
	if m.flags&flMissingComma != 0 {
		// As a hand-edited list: full names, the comma between them lost.
		to := r.h.slots[hTo][0]
		for k, x := range m.to {
			to.items[k] = phrase(r.person(x).Name) + " <" + r.c.d.address(x) + ">"
		}
		r.h.slots[hTo][0].sep = " "
	}
	r.addrs(hCc, "Cc", m.cc, 20)
	if m.flags&flMailtoCc != 0 {
		x := m.cc[0]
		r.h.slots[hCc][0].items[0] = `"` + r.person(x).Name + `" <mailto:` + r.c.d.address(x) + ">"
	}
	if f == fSent || f == fDrafts {
		r.addrs(hBcc, "Bcc", m.bcc, 40)
	}
}

// encodeText encodes a subject as the writer's client does: legacy charsets
// for legacy clients, raw Latin-1 for the broken one, UTF-8 otherwise.
func (r *renderer) encodeText(s string, p *person) []string {
	if isASCII(s) {
		return strings.Split(s, " ")
	}
	if p.Style == sRaw8 {
		if b, ok := convert(s, "ISO-8859-1"); ok {
			return strings.Split(string(b), " ")
		}
	}
	cs, q := styleCharset(p.Style)
	if cs == "UTF-8" {
		q = r.w.q
	}
	lower := r.w.lower && cs == "UTF-8"
	if q {
		return mixedWords(s, cs, q, lower)
	}
	return encodeWords(s, cs, q, lower)
}

// threading writes Message-ID, In-Reply-To and References.
func (r *renderer) threading() {
	m := r.m
	if m.flags&flNoID == 0 {
		r.h.one(hMessageID, r.w.idName, r.c.id(m))
	}
	if m.parent == 0 {
		return
	}
	p := &r.c.msgs[m.parent.index()]
	if m.flags&flForward == 0 && p.flags&flNoID == 0 {
		r.h.one(hInReplyTo, "In-Reply-To", r.c.id(p))
	}
	if refs := r.c.references(m); len(refs) > 0 {
		r.h.add(hReferences, "References", refs, " ")
	}
}

// client writes the fields every message of a client carries.
func (r *renderer) client() {
	w := r.w
	for k := 0; k+1 < len(w.agent); k += 2 {
		r.h.one(hAgent, w.agent[k], w.agent[k+1])
	}
	r.h.one(hMIME, w.mimeName, w.mime)
	ct := contentType(w.ct, r.m.token)
	if w.ct == ctFlowed {
		// Clients set to a legacy charset write their text in it too.
		if cs, _ := styleCharset(r.person(r.m.from).Style); cs != "UTF-8" {
			ct = []string{"text/plain; charset=" + cs + "; format=flowed"}
		}
	}
	r.contentType(ct)
	if cte := transferEncoding[w.ct]; cte != "" {
		r.h.one(hContentType, "Content-Transfer-Encoding", cte)
	}
}

var transferEncoding = map[ctStyle]string{ctApple: "quoted-printable", ctFlowed: "8bit", ctLatin1: "8bit", ctAlpine: "7bit"}

func (r *renderer) contentType(items []string) {
	r.h.slots[hContentType] = append(r.h.slots[hContentType][:0],
		field{name: "Content-Type", items: items, sep: " ", every: len(items) > 1})
}

func (r *renderer) listFields() {
	r.h.one(hSender, "Sender", `"`+listName+`" <`+listName+`-bounces@lists.example.org>`)
	for _, kv := range [][2]string{
		{"X-BeenThere", listAddr},
		{"X-Mailman-Version", "2.1.39"},
		{"Precedence", "list"},
		{"List-Id", "<" + listID + ">"},
		{"List-Unsubscribe", "<https://lists.example.org/mailman/options/" + listName + ">, <mailto:" + listName + "-request@lists.example.org?subject=unsubscribe>"},
		{"List-Archive", "<https://lists.example.org/pipermail/" + listName + "/>"},
		{"List-Post", "<mailto:" + listAddr + ">"},
		{"List-Help", "<mailto:" + listName + "-request@lists.example.org?subject=help>"},
		{"List-Subscribe", "<https://lists.example.org/mailman/listinfo/" + listName + ">, <mailto:" + listName + "-request@lists.example.org?subject=subscribe>"},
		{"Errors-To", listName + "-bounces@lists.example.org"},
	} {
		r.h.add(hExtra, kv[0], strings.Split(kv[1], ", "), ", ")
	}
}

// subjectOf is the subject with the prefixes each replying client adds.
// Most clients replace any reply prefix with their own; localized Outlook
// keeps one foreign prefix under its own ("AW: Re: ...").
func (c *corpus) subjectOf(m *message) string {
	if m.parent == 0 {
		return m.subject
	}
	w := &mailers[c.d.people[m.from.idx()].Mailer]
	prev := c.subjectOf(&c.msgs[m.parent.index()])
	if m.flags&flForward != 0 {
		return w.fwd + prev
	}
	base, n := stripReplies(prev)
	if w.stack && (n == 0 || n == 1 && !strings.HasPrefix(prev, w.re)) {
		return w.re + prev
	}
	return w.re + base
}

var replyPrefixes = []string{"re:", "re :", "aw:", "回复："}

// stripReplies removes leading reply prefixes and counts them.
func stripReplies(s string) (string, int) {
	n := 0
	for again := true; again; {
		again = false
		for _, p := range replyPrefixes {
			if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
				s, n, again = strings.TrimLeft(s[len(p):], " "), n+1, true
			}
		}
	}
	return s, n
}

// references lists the thread's Message-IDs, oldest first, trimmed to the
// first and last nine as clients do on long threads.
func (c *corpus) references(m *message) []string {
	var ids []string
	for p := m.parent; p != 0; p = c.msgs[p.index()].parent {
		if pm := &c.msgs[p.index()]; pm.flags&flNoID == 0 {
			ids = append(ids, c.id(pm))
		}
	}
	slices.Reverse(ids)
	if len(ids) > 10 {
		ids = append(ids[:1], ids[len(ids)-9:]...)
	}
	return ids
}
