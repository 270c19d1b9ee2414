package demo

import (
	"fmt"
	"strings"
)

// directory is the cast of the demo, built once from the tables: every person
// gets an index that messages refer to with a rcpt.
type directory struct {
	people []person
	byAddr map[string]int
	phrase []string // each person's name as their own client writes it in From
	// replyTo is the index a person's Reply-To points at, or -1.
	replyTo []int
	// Pools to draw from, weighted by person.Weight.
	colleagues, partners, members pool
	// company lists the weighted people of each client company, by domain.
	company map[string][]int
	domains []string // client company domains, in table order
	colds   []int
	prosp   []int
	list    int
}

// Indices of the owner's three addresses, always first in the directory.
const (
	iWork = iota
	iHome
	iNews
)

// rcpt is a person index; the alt bit selects their plus-address.
type rcpt uint16

const altBit rcpt = 0x8000

func (r rcpt) idx() int         { return int(r &^ altBit) }
func (r rcpt) alt() bool        { return r&altBit != 0 }
func (r rcpt) owner() bool      { return r.idx() <= iNews }
func (r rcpt) same(o rcpt) bool { return r.idx() == o.idx() }

func buildDirectory() *directory {
	d := &directory{byAddr: map[string]int{}, company: map[string][]int{}}
	d.addGroup(owners, gOwner)
	d.addGroup(colleagues, gColleague)
	d.addGroup(clients, gClient)
	d.addGroup(personals, gPersonal)
	d.prosp = d.addGroup(prospects, gProspect)
	d.colds = d.addGroup(colds, gCold)
	d.list = d.add(person{Name: listName, Addr: listAddr, Group: gListAddr, Mailer: mServer})
	d.addMembers()
	for i := range d.people {
		p := &d.people[i]
		d.phrase = append(d.phrase, styledPhrase(p, mailers[p.Mailer].lower))
		d.replyTo = append(d.replyTo, d.lookup(p.ReplyTo))
		d.pool(i)
	}
	for _, a := range listOverlap {
		w := 3
		if a == ownerWork {
			w = 8 // a handful of the owner's own posts, also kept in Sent
		}
		d.members.put(d.lookup(a), w)
	}
	d.colleagues.seal()
	d.partners.seal()
	d.members.seal()
	return d
}

func (d *directory) add(p person) int {
	if _, dup := d.byAddr[p.Addr]; dup {
		panic("demo: duplicate address " + p.Addr)
	}
	d.byAddr[p.Addr] = len(d.people)
	d.people = append(d.people, p)
	return len(d.people) - 1
}

func (d *directory) addGroup(tab []person, g group) []int {
	var ids []int
	for _, p := range tab {
		p.Group = g
		ids = append(ids, d.add(p))
	}
	return ids
}

// addMembers generates the mailing list's own posters from the name tables
// with fixed strides, so the roster needs no randomness.
func (d *directory) addMembers() {
	for i := 0; i < 56; i++ {
		first := memberFirst[(i*7)%len(memberFirst)]
		last := memberLast[(i*13+3+i/len(memberFirst))%len(memberLast)]
		dom := memberDomains[(i*5+i/13)%len(memberDomains)]
		local := strings.ToLower(first + "." + last)
		switch i % 5 {
		case 1:
			local = strings.ToLower(first[:1] + last)
		case 3:
			local = strings.ToLower(first) + "+lists" // subscribed with a plus-address
		}
		addr := local + "@" + dom
		if _, dup := d.byAddr[addr]; dup {
			continue
		}
		w := 1 + (i*37)%7
		if i < 5 {
			w = 14 // a few regulars write most of the list
		}
		d.add(person{Name: first + " " + last, Addr: addr, Group: gList, Weight: w,
			Zone: zoneID(i % len(zones)), Mailer: []mailerID{mGmail, mThunderbird, mAlpine, mApple}[i%4]})
	}
}

func (d *directory) lookup(addr string) int {
	if addr == "" {
		return -1
	}
	i, ok := d.byAddr[addr]
	if !ok {
		panic(fmt.Sprintf("demo: unknown address %q in tables", addr))
	}
	return i
}

// pool files person i into the pools it can be drawn from.
func (d *directory) pool(i int) {
	p := &d.people[i]
	if p.Weight == 0 {
		return
	}
	switch p.Group {
	case gColleague:
		d.colleagues.put(i, p.Weight)
		d.partners.put(i, p.Weight)
	case gClient:
		d.partners.put(i, p.Weight)
		dom := domainOf(p.Addr)
		if strings.HasPrefix(p.Addr, "support@") {
			break
		}
		if d.company[dom] == nil {
			d.domains = append(d.domains, dom)
		}
		d.company[dom] = append(d.company[dom], i)
	case gPersonal:
		d.partners.put(i, p.Weight)
	case gList:
		d.members.put(i, p.Weight)
	}
}

// address is the mailbox address of r, plus-tagged when r asks for it.
func (d *directory) address(r rcpt) string {
	p := &d.people[r.idx()]
	if !r.alt() || p.Plus == "" {
		return p.Addr
	}
	at := strings.LastIndexByte(p.Addr, '@')
	return p.Addr[:at] + "+" + p.Plus + p.Addr[at:]
}

// pool draws people in proportion to their weight.
type pool struct {
	ids []int
	cum []int
}

func (p *pool) put(id, w int) {
	p.ids = append(p.ids, id)
	p.cum = append(p.cum, w)
}

func (p *pool) seal() {
	for i := 1; i < len(p.cum); i++ {
		p.cum[i] += p.cum[i-1]
	}
}

func (p *pool) pick(x int) int {
	x %= p.cum[len(p.cum)-1]
	lo, hi := 0, len(p.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if p.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return p.ids[lo]
}
