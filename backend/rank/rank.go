// Package rank scores contacts. The temperature starts from the hosted
// product's formula and adds what it lacks: who the user writes to, and the
// date of today, so that scores decay instead of freezing at mining time.
package rank

import (
	"math"
	"time"
)

// Stats are the facts a contact's score is computed from.
type Stats struct {
	Sender               int // messages they sent (From or Reply-To)
	Recipient            int // messages they received (To, Cc, Bcc)
	Conversations        int // messages of theirs that belong to a thread
	RepliedConversations int // thread messages they sent
	// WrittenTo counts the user's own messages addressed to them.
	WrittenTo int
	// Personal counts messages with the user among sender or recipients.
	Personal int
	// MeKnown is true when the user's addresses are known for the mailbox;
	// without them nothing can be said about WrittenTo and Personal.
	MeKnown   bool
	Recency   time.Time // last message, zero when unknown
	Seniority time.Time // first message, zero when unknown
	// Bulk marks lists, newsletters and machines.
	Bulk bool
}

const day = 24 * time.Hour

func saturate(x, scale float64) float64 {
	return 1 - math.Exp(math.Max(-x/scale, -100))
}

// relationEnd is when the relationship's length is measured to: the last
// message. The hosted product measures to the time of writing, which made
// little difference there (it never recomputes) but here would warm a
// contact up for every day of silence.
func relationEnd(s Stats, now time.Time) time.Time {
	if !s.Recency.IsZero() && s.Recency.Before(now) {
		return s.Recency
	}
	return now
}

// Reference is the hosted product's temperature (migration 20251023144832),
// in [0, 1], evaluated at now.
func Reference(s Stats, now time.Time) float64 {
	snd, rcv := float64(max(s.Sender, 0)), float64(max(s.Recipient, 0))
	conv, rep := float64(max(s.Conversations, 0)), float64(max(s.RepliedConversations, 0))
	sent, recv, repVol := saturate(snd, 12), saturate(rcv, 12), saturate(rep, 5)

	recency := 0.20
	if !s.Recency.IsZero() {
		recDays := math.Max(now.Sub(s.Recency).Hours()/24, 0)
		recency = 0.20 + 0.80*math.Exp(-recDays/180)
	}
	seniority, ageDays := 0.0, -1.0
	if !s.Seniority.IsZero() {
		ageDays = math.Max(relationEnd(s, now).Sub(s.Seniority).Hours()/24, 0)
		seniority = saturate(ageDays, 270)
	}
	ratio := 0.0
	if conv > 0 {
		ratio = rep / conv
	}
	raw := 0.25*(0.55*sent+0.45*recv) +
		0.40*(0.7*repVol+0.3*ratio) +
		0.10*recency + 0.25*seniority
	if rep >= 2 {
		raw += 0.05 + 0.05*repVol*seniority
	}
	qualifies := conv >= 3 && rep >= 2 && ageDays >= 30
	final := raw
	switch {
	case rep == 0:
		final = math.Min(raw, 0.70)
	case !qualifies:
		final = math.Min(raw, 0.90)
	case raw > 0.95:
		final = 0.95 + (raw-0.95)*0.5
	}
	return math.Min(math.Max(final, 0), 1)
}

// Temperature is the 0–100 score shown and sorted on. On top of the reference:
//   - writing to someone is the strongest sign they matter (mu and
//     maildir-rank-addr rank "you wrote to them" first): it closes up to 60%
//     of the remaining distance to 100, fading after a year without contact;
//   - mail that does not involve the user (lists they only read) weighs less;
//   - lists, newsletters and machines never rise above 20.
func Temperature(s Stats, now time.Time) int {
	score := Reference(s, now)
	if s.MeKnown {
		if s.WrittenTo > 0 {
			fresh := 1.0
			if !s.Recency.IsZero() {
				fresh = 0.5 + 0.5*math.Exp(-math.Max(now.Sub(s.Recency).Hours()/24, 0)/365)
			}
			score = 1 - (1-score)*(1-0.6*saturate(float64(s.WrittenTo), 3)*fresh)
		} else if s.Personal == 0 {
			score *= 0.5
		}
	}
	if s.Bulk {
		score = math.Min(score, 0.20)
	}
	return int(math.Round(100 * math.Min(math.Max(score, 0), 1)))
}
