package demo

import "slices"

// scripted adds the hand-placed messages: the one-offs, cron reports, InMails
// and document shares.
func (g *gen) scripted() {
	var last ref
	for _, o := range oneOffs {
		from := rcpt(g.d.lookup(o.From))
		m := message{kind: kMail, subject: o.Subject, from: from, offset: g.age(o.Days), folder: o.Folder, flags: o.Flags,
			to: g.expand(o.To, from), cc: g.expand(o.Cc, from), bcc: g.expand(o.Bcc, from)}
		if o.Reply {
			m.parent = last
		}
		last = g.add(m)
	}
	for i := range 7 {
		off := g.age(20 + i*97)
		g.add(message{kind: kCron, aux: int16(i % len(cronJobs)), to: []rcpt{iWork}, offset: off, folder: g.inFolder(off), flags: flNoID})
	}
	for i, s := range inmailSubjects {
		off := g.start()
		g.add(message{kind: kInMail, arg: int16(i % len(recruiters)), subject: s, to: []rcpt{iWork}, offset: off, folder: g.inFolder(off)})
	}
	sharer := rcpt(g.d.lookup(driveSharer))
	for _, s := range driveSubjects {
		off := g.start()
		g.add(message{kind: kDrive, subject: s, from: sharer, to: []rcpt{iWork}, offset: off, folder: g.inFolder(off)})
	}
}

// age is an offset some days back, at a time of day drawn from the seed.
func (g *gen) age(days int) int32 {
	return int32(days*day + g.r.IntN(day))
}

// expand resolves addresses and the "@team" and "@clients" groups.
func (g *gen) expand(addrs []string, from rcpt) []rcpt {
	var out []rcpt
	for _, a := range addrs {
		switch a {
		case "@team":
			for _, id := range g.d.colleagues.ids {
				if id != from.idx() {
					out = append(out, rcpt(id))
				}
			}
		case "@clients":
			for _, dom := range g.d.domains {
				out = append(out, rcpt(g.d.company[dom][0]))
			}
		default:
			out = append(out, rcpt(g.d.lookup(a)))
		}
	}
	return slices.Clip(out)
}
