package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// The mailbox is planned once as a compact list of messages (who, to whom,
// when, in reply to what); headers are rendered only when a folder is
// scanned. The plan depends on nothing but the fixed seed, so every run and
// every `now` yields the same messages: only dates move.

type folderID uint8

const (
	fInbox folderID = iota
	fSent
	fArchive
	fList
	fNews
	fDrafts
	fSpam
	nFolders
)

var folderInfo = [nFolders]struct{ name, use string }{
	fInbox:   {"INBOX", ""},
	fSent:    {"Sent", `\Sent`},
	fArchive: {"Archive", `\Archive`},
	fList:    {"Lists/dev-discuss", ""},
	fNews:    {"Newsletters", ""},
	fDrafts:  {"Drafts", `\Drafts`},
	fSpam:    {"Spam", `\Junk`},
}

// kind decides which renderer shapes a message's header.
type kind uint8

const (
	kMail   kind = iota // person-to-person mail
	kList               // a post to the mailing list
	kNews               // a newsletter issue
	kNotify             // a machine notification
	kOOO                // an out-of-office auto-reply
	kDrive              // a document share sent on someone's behalf
	kInMail             // a LinkedIn InMail
	kCron               // a cron report, without Message-ID
	kSpam
)

// flag marks the deliberate oddities of single messages.
type flag uint8

const (
	flNoID         flag = 1 << iota // no Message-ID field at all
	flMissingComma                  // To list with no comma between two addresses
	flMailtoCc                      // a "mailto:" URL as the Cc address
	flUndisclosed                   // To: Undisclosed-Recipients:;
	flForward                       // a forward: References but no In-Reply-To
	flBareOwner                     // owner's From without a display name
)

// message is one planned message.
type message struct {
	subject     string // as first written, without Re:/Fwd: prefixes
	to, cc, bcc []rcpt
	token       uint64 // entropy for identifiers, drawn once from the seed
	offset      int32  // seconds before now
	parent      ref    // message replied to or forwarded
	aux         int16  // kind-specific table row
	arg         int16  // kind-specific argument
	from        rcpt
	kind        kind
	folder      folderID
	also        folderID // a second folder holding the same message; zero (INBOX) for none
	flags       flag
}

const (
	seedHi, seedLo = 0x6c6561646d696e65, 0x64656d6f6d626f78 // "leadmine", "demombox"
	day            = 86400
	span           = 3 * 365 * day
	// archiveAge is the age past which the owner has archived most mail.
	archiveAge = 300 * day
)

// threadLens gives the length of person-to-person threads; long threads are
// rare, as in real mail.
var threadLens = []int{1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 9}

type gen struct {
	r    *rand.Rand
	d    *directory
	msgs []message
}

func buildPlan(d *directory) []message {
	g := &gen{r: rand.New(rand.NewPCG(seedHi, seedLo)), d: d}
	talked := make([]bool, len(d.people))
	for range 500 {
		c := g.any(&d.partners)
		talked[c] = true
		g.conversation(c)
	}
	// Everyone in the address book has at least one thread, whatever the draw.
	for _, c := range d.partners.ids {
		if !talked[c] {
			g.conversation(rcpt(c))
		}
	}
	for range 30 {
		g.ccThread()
	}
	g.colds()
	g.prospects()
	g.list(500)
	g.newsletters()
	g.notifications()
	g.autoReplies(10)
	g.scripted()
	g.spam()
	g.drafts()
	g.duplicates(40)
	return g.msgs
}

// ref points at a planned message: its index plus one, zero for none.
type ref int32

func (r ref) index() int32 { return int32(r) - 1 }

func (g *gen) add(m message) ref {
	m.token = g.r.Uint64()
	g.msgs = append(g.msgs, m)
	return ref(len(g.msgs))
}

// start is when a thread opens: any time in the three years, not this week.
func (g *gen) start() int32 {
	return int32(7*day + g.r.Int64N(span-7*day))
}

// later is when the next message of a thread comes: minutes to days after.
func (g *gen) later(off int32) int32 {
	delay := 600 + int32(min(g.r.ExpFloat64()*8*3600, 5*day))
	return max(off-delay, 300)
}

// inFolder files incoming mail: most older mail has been archived.
func (g *gen) inFolder(off int32) folderID {
	p := 8
	if off > archiveAge {
		p = 85
	}
	if g.r.IntN(100) < p {
		return fArchive
	}
	return fInbox
}

func (g *gen) any(p *pool) rcpt { return rcpt(p.pick(g.r.IntN(1 << 30))) }

// conversation is a thread between the owner and a colleague, client or
// friend, with reply-all to whoever else was copied.
func (g *gen) conversation(c rcpt) {
	me := rcpt(iWork)
	if g.d.people[c].Group == gPersonal {
		me = iHome
	}
	people := append([]rcpt{me, c}, g.extras(c)...)
	n := threadLens[g.r.IntN(len(threadLens))]
	ownerTurn := g.r.IntN(5) < 2
	subject := g.opening(c, ownerTurn)
	off, parent := g.start(), ref(0)
	var prev rcpt
	for k := range n {
		author := me
		if !ownerTurn {
			author = g.maybePlus(g.otherSide(people))
		}
		m := message{kind: kMail, subject: subject, from: author, offset: off, parent: parent, folder: fSent}
		m.to, m.cc = g.addressees(author, prev, k > 0, people)
		if !author.owner() {
			m.folder = g.inFolder(off)
		} else if g.r.IntN(60) == 0 {
			m.flags |= flBareOwner
		}
		parent, prev, ownerTurn = g.add(m), author, !ownerTurn
		off = g.later(off)
	}
	if g.r.IntN(20) == 0 {
		to := g.any(&g.d.colleagues)
		g.add(message{kind: kMail, from: iWork, to: []rcpt{to}, offset: off, parent: parent, folder: fSent, flags: flForward})
	}
}

// opening picks the first subject, in the opener's language when not English.
func (g *gen) opening(c rcpt, ownerOpens bool) string {
	p := &g.d.people[c]
	// Clients (and a friend who writes only Chinese) open in their language.
	native := p.Group == gClient || p.Lang == zh
	if !ownerOpens && native && p.Lang != en && g.r.IntN(10) < 6 {
		return pick(g.r, langSubjects[p.Lang])
	}
	switch p.Group {
	case gColleague:
		return pick(g.r, colleagueSubjects)
	case gPersonal:
		return pick(g.r, personalSubjects)
	}
	return pick(g.r, clientSubjects)
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// extras are the other people copied on a thread: colleagues on internal
// threads, the client's teammates and an owner's colleague on client threads.
func (g *gen) extras(c rcpt) []rcpt {
	var out []rcpt
	p := &g.d.people[c]
	switch p.Group {
	case gColleague:
		if g.r.IntN(100) < 35 {
			for range 1 + g.r.IntN(2) {
				out = append(out, g.any(&g.d.colleagues))
			}
		}
	case gClient:
		if g.r.IntN(100) < 45 {
			team := g.d.company[domainOf(p.Addr)]
			for range g.r.IntN(3) {
				out = append(out, rcpt(pick(g.r, team)))
			}
			if g.r.IntN(2) == 0 {
				out = append(out, g.any(&g.d.colleagues))
			}
		}
	}
	return slices.DeleteFunc(dedupe(out), func(r rcpt) bool { return r.same(c) })
}

func dedupe(rs []rcpt) []rcpt {
	var out []rcpt
	for _, r := range rs {
		if !slices.ContainsFunc(out, r.same) {
			out = append(out, r)
		}
	}
	return out
}

// otherSide is who answers the owner: mostly the main correspondent, now and
// then someone else on copy.
func (g *gen) otherSide(people []rcpt) rcpt {
	if len(people) > 2 && g.r.IntN(4) == 0 {
		return people[2+g.r.IntN(len(people)-2)]
	}
	return people[1]
}

// maybePlus makes people with a plus-address use it now and then, so that
// each of them shows up both plain and tagged.
func (g *gen) maybePlus(r rcpt) rcpt {
	if g.d.people[r.idx()].Plus != "" && g.r.IntN(10) < 3 {
		return r | altBit
	}
	return r
}

// addressees answers the previous author (or their Reply-To) and keeps the
// others on copy when replying to all; the owner always stays a recipient of
// incoming mail.
func (g *gen) addressees(author, prev rcpt, reply bool, people []rcpt) (to, cc []rcpt) {
	switch {
	case reply:
		to = []rcpt{prev}
		if rt := g.d.replyTo[prev.idx()]; rt >= 0 {
			to = []rcpt{rcpt(rt)}
		}
	case author.owner():
		to = []rcpt{people[1]}
	default:
		to = []rcpt{people[0]}
	}
	all := g.r.IntN(100) < 80
	for _, p := range people {
		if p.same(author) || slices.ContainsFunc(to, p.same) {
			continue
		}
		if all || p.owner() || reply && p.same(prev) {
			cc = append(cc, p)
		}
	}
	return to, cc
}

// ccThread is a colleague working with a client with the owner on copy only.
func (g *gen) ccThread() {
	col := g.any(&g.d.colleagues)
	c := g.any(&g.d.partners)
	for g.d.people[c].Group != gClient {
		c = g.any(&g.d.partners)
	}
	subject, off, parent := pick(g.r, clientSubjects), g.start(), ref(0)
	a, b := col, c
	for range 1 + g.r.IntN(3) {
		parent = g.add(message{kind: kMail, subject: subject, from: a, to: []rcpt{b}, cc: []rcpt{iWork},
			offset: off, parent: parent, folder: g.inFolder(off)})
		a, b, off = b, a, g.later(off)
	}
}

// colds write and follow up on their own mail, never answered.
func (g *gen) colds() {
	for i, c := range g.d.colds {
		off, parent := g.start(), ref(0)
		for range 1 + g.r.IntN(4) {
			parent = g.add(message{kind: kMail, subject: coldSubjects[i], from: rcpt(c), to: []rcpt{iWork},
				offset: off, parent: parent, folder: g.inFolder(off)})
			off -= int32(4+g.r.IntN(7)) * day
			if off < day {
				break
			}
		}
	}
}

// prospects get an introduction and maybe a follow-up from the owner.
func (g *gen) prospects() {
	for i, p := range g.d.prosp {
		off, parent := g.start(), ref(0)
		for range 1 + g.r.IntN(2) {
			parent = g.add(message{kind: kMail, subject: prospectSubjects[i%len(prospectSubjects)], from: iWork,
				to: []rcpt{rcpt(p)}, offset: off, parent: parent, folder: fSent})
			off = max(off-int32(5+g.r.IntN(5))*day, 600)
		}
	}
}

var listLens = []int{1, 2, 2, 3, 3, 4, 4, 5, 6, 8, 10}

// list posts threads to dev-discuss; the owner's own posts come back from the
// list and also sit in Sent, with the same Message-ID.
func (g *gen) list(target int) {
	for count := 0; count < target; {
		root := g.any(&g.d.members)
		n := min(pick(g.r, listLens), target-count)
		subject := "[" + listName + "] " + fmt.Sprintf(pick(g.r, listTemplates), pick(g.r, listComponents))
		off, parent, prev := g.start(), ref(0), root
		for k := range n {
			author := root
			if k > 0 && (prev.same(root) || g.r.IntN(10) < 7) {
				for author = g.any(&g.d.members); author.same(prev); author = g.any(&g.d.members) {
				}
			}
			m := message{kind: kList, subject: subject, from: author, to: []rcpt{rcpt(g.d.list)},
				offset: off, parent: parent, folder: fList}
			if k > 0 && g.r.IntN(10) < 3 {
				m.cc = []rcpt{prev}
			}
			if author.owner() {
				m.also = fSent
			}
			parent, prev, off = g.add(m), author, g.later(off)
		}
		count += n
	}
}

// newsletters spreads each sender's issues evenly over the three years.
func (g *gen) newsletters() {
	for i, nl := range newsletters {
		to := rcpt(g.d.lookup(nl.To))
		for k := range nl.Issues {
			off := int32(span/(nl.Issues+1)*(nl.Issues-k)) + int32(g.r.IntN(day))
			g.add(message{kind: kNews, aux: int16(i), subject: fmt.Sprintf(nl.Subjects[k%len(nl.Subjects)], 100+k),
				to: []rcpt{to}, offset: off, folder: nl.Folder})
		}
	}
}

// notifications are machine mail: forge notifications, receipts, alerts,
// bounces. They stay in the inbox, some old ones archived.
func (g *gen) notifications() {
	for i, n := range notifiers {
		to := rcpt(g.d.lookup(n.To))
		for range n.Count {
			m := message{kind: kNotify, aux: int16(i), subject: pick(g.r, n.Subjects), to: []rcpt{to}, offset: g.start(), folder: fInbox}
			m.arg = int16(10 + g.r.IntN(990)) // the issue or order number
			if strings.Contains(m.subject, "%d") {
				m.subject = fmt.Sprintf(m.subject, m.arg)
			}
			switch n.Kind {
			case nGit:
				m.from = rcpt(g.d.lookup(pick(g.r, gitActors)))
			case nBounce:
				m.arg = int16(g.r.IntN(len(bounced)))
			}
			if m.offset > archiveAge && g.r.IntN(10) < 3 {
				m.folder = fArchive
			}
			g.add(m)
		}
	}
}

// autoReplies are out-of-office answers from clients on Outlook.
func (g *gen) autoReplies(n int) {
	for range n {
		c := g.any(&g.d.partners)
		for ooOPrefix[g.d.people[c].Mailer] == "" || g.d.people[c].Group != gClient {
			c = g.any(&g.d.partners)
		}
		off := g.start()
		g.add(message{kind: kOOO, subject: ooOPrefix[g.d.people[c].Mailer] + pick(g.r, clientSubjects),
			from: c, to: []rcpt{iWork}, offset: off, folder: g.inFolder(off)})
	}
}

// spam fills the Junk folder.
func (g *gen) spam() {
	for i := range spam {
		m := message{kind: kSpam, aux: int16(i), to: []rcpt{iWork}, offset: g.start(), folder: fSpam}
		if i%3 == 0 {
			m.flags |= flUndisclosed
		}
		g.add(m)
	}
}

// drafts are recent and unsent.
func (g *gen) drafts() {
	for _, dr := range drafts {
		from := rcpt(iWork)
		to := rcpt(g.d.lookup(dr.To))
		if g.d.people[to].Group == gPersonal {
			from = iHome
		}
		g.add(message{kind: kMail, subject: dr.Subject, from: from, to: []rcpt{to},
			offset: int32(3600 + g.r.IntN(20*day)), folder: fDrafts})
	}
}

// duplicates files some inbox mail in Archive too, as a copy with the same
// header: mining must count each of them once.
func (g *gen) duplicates(n int) {
	var cand []int
	for i, m := range g.msgs {
		if m.kind == kMail && m.folder == fInbox && !m.from.owner() && m.flags&flNoID == 0 && m.also == fInbox {
			cand = append(cand, i)
		}
	}
	for k := range n {
		g.msgs[cand[k*len(cand)/n]].also = fArchive
	}
}
