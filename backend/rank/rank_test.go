package rank

import (
	"testing"
	"time"
)

var now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func ago(days int) time.Time { return now.Add(-time.Duration(days) * day) }

func TestReferenceMatchesHostedFormula(t *testing.T) {
	tests := []struct {
		name string
		s    Stats
		want int
	}{
		// Expected values computed independently (a Python transcription of the hosted SQL).
		{"nothing known", Stats{}, 2},
		{"no replies capped at 70", Stats{Sender: 500, Recipient: 500, Recency: ago(0), Seniority: ago(3000)}, 60},
		{"engaged correspondent", Stats{Sender: 5, Recipient: 10, Conversations: 10, RepliedConversations: 5, Recency: ago(0), Seniority: ago(600)}, 75},
	}
	for _, tt := range tests {
		if got := int(100*Reference(tt.s, now) + 0.5); got != tt.want {
			t.Errorf("%s: Reference = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestTemperatureOrdersPeopleAboveBulk(t *testing.T) {
	colleague := Stats{MeKnown: true, Sender: 3, Recipient: 3, WrittenTo: 3, Personal: 6, Recency: ago(10), Seniority: ago(400)}
	newsletter := Stats{MeKnown: true, Sender: 500, Personal: 500, Recency: ago(1), Seniority: ago(1500), Bulk: true}
	stranger := Stats{MeKnown: true, Sender: 40, Conversations: 30, RepliedConversations: 20, Recency: ago(5), Seniority: ago(700)}
	oneMail := Stats{MeKnown: true, Sender: 1, Personal: 1, Recency: ago(30), Seniority: ago(30)}
	tc, tn, ts, to := Temperature(colleague, now), Temperature(newsletter, now), Temperature(stranger, now), Temperature(oneMail, now)
	if tc <= tn || tc <= ts {
		t.Errorf("someone the user writes to (%d) must outrank a newsletter (%d) and a list regular (%d)", tc, tn, ts)
	}
	if tn > 20 {
		t.Errorf("bulk sender temperature %d, want at most 20", tn)
	}
	if to <= 0 {
		t.Errorf("a real one-off correspondent should not be at 0")
	}
}

func TestTemperatureDecaysWithTime(t *testing.T) {
	s := Stats{MeKnown: true, Sender: 10, Recipient: 10, WrittenTo: 5, Personal: 12, Conversations: 8, RepliedConversations: 4, Recency: ago(10), Seniority: ago(500)}
	early, later := Temperature(s, now), Temperature(s, now.Add(2*365*day))
	if later >= early {
		t.Errorf("temperature should decay: %d now, %d two years later", early, later)
	}
}

func TestTemperatureWithoutKnownOwnerIsTheReference(t *testing.T) {
	s := Stats{Sender: 4, Recipient: 2, Conversations: 3, RepliedConversations: 2, Recency: ago(40), Seniority: ago(300)}
	if got, want := Temperature(s, now), int(100*Reference(s, now)+0.5); got != want {
		t.Errorf("Temperature = %d, want the reference %d", got, want)
	}
}

func TestTemperatureBounds(t *testing.T) {
	for _, s := range []Stats{{}, {Sender: -5, Recipient: -1}, {MeKnown: true, WrittenTo: 1000, Sender: 1000, Recipient: 1000, Conversations: 1000, RepliedConversations: 1000, Recency: now, Seniority: ago(5000)}} {
		if got := Temperature(s, now); got < 0 || got > 100 {
			t.Errorf("Temperature(%+v) = %d out of [0,100]", s, got)
		}
	}
}

func TestSilenceNeverWarmsAContact(t *testing.T) {
	profiles := []Stats{
		{Sender: 3, Recency: ago(20), Seniority: ago(25)},
		{MeKnown: true, Sender: 8, Personal: 8, Recency: ago(5), Seniority: ago(40)},
		{MeKnown: true, Sender: 10, Recipient: 10, WrittenTo: 4, Personal: 12, Conversations: 6, RepliedConversations: 3, Recency: ago(2), Seniority: ago(800)},
	}
	for _, s := range profiles {
		prev := Temperature(s, now)
		for months := 1; months <= 36; months++ {
			got := Temperature(s, now.Add(time.Duration(months)*30*day))
			if got > prev {
				t.Fatalf("%+v warmed from %d to %d after %d months of silence", s, prev, got, months)
			}
			prev = got
		}
	}
}
