package privacy

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Retention says how long data is kept.
type Retention struct {
	// ContactMonths: contacts not seen for this long are purged.
	ContactMonths int `json:"contact_months"`
	// VerificationDays and EnrichmentMonths bound the caches of those
	// features (they keep their results with these expiries).
	VerificationDays int `json:"verification_days"`
	EnrichmentMonths int `json:"enrichment_months"`
}

// DefaultRetention is the privacy policy's.
var DefaultRetention = Retention{ContactMonths: 36, VerificationDays: 100, EnrichmentMonths: 6}

// Grace is how long a logically deleted contact waits before it is purged:
// time to notice and undo a retention setting set too short.
const Grace = 7 * 24 * time.Hour

func (s *Service) setting(ctx context.Context, key string, def int) (int, error) {
	v, err := s.Store.Setting(ctx, key)
	if err != nil || v == "" {
		return def, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return def, nil
	}
	return n, nil
}

// Retention returns the settings.
func (s *Service) Retention(ctx context.Context) (Retention, error) {
	var r Retention
	var err error
	if r.ContactMonths, err = s.setting(ctx, "retention_contact_months", DefaultRetention.ContactMonths); err != nil {
		return r, err
	}
	if r.VerificationDays, err = s.setting(ctx, "retention_verification_days", DefaultRetention.VerificationDays); err != nil {
		return r, err
	}
	r.EnrichmentMonths, err = s.setting(ctx, "retention_enrichment_months", DefaultRetention.EnrichmentMonths)
	return r, err
}

// SetRetention changes the settings; a zero leaves a setting as it is.
func (s *Service) SetRetention(ctx context.Context, r Retention) error {
	settings := map[string]int{"retention_contact_months": r.ContactMonths,
		"retention_verification_days": r.VerificationDays, "retention_enrichment_months": r.EnrichmentMonths}
	for key, v := range settings {
		if v < 0 {
			return fmt.Errorf("%s is %d: %w", strings.ReplaceAll(strings.TrimPrefix(key, "retention_"), "_", " "), v, ErrNegativeRetention)
		}
	}
	for key, v := range settings {
		if v == 0 {
			continue
		}
		if err := s.Store.SetSetting(ctx, key, strconv.Itoa(v)); err != nil {
			return err
		}
	}
	return nil
}

// ErrNegativeRetention refuses a retention period below zero.
var ErrNegativeRetention = errors.New("a retention period cannot be negative")

// PurgeReport says what a purge did.
type PurgeReport struct {
	MarkedDeleted int       `json:"marked_deleted"`
	Purged        int       `json:"purged"`
	Messages      int       `json:"messages"`
	At            time.Time `json:"at"`
}

// Purge applies retention: contacts not seen within the retention period
// are logically deleted (hidden) now and physically removed after the
// grace period; message metadata no contact needs is removed; the file is
// vacuumed when anything was removed.
func (s *Service) Purge(ctx context.Context) (PurgeReport, error) {
	now := s.Now()
	rep := PurgeReport{At: now}
	r, err := s.Retention(ctx)
	if err != nil {
		return rep, err
	}
	if rep.MarkedDeleted, err = s.Store.MarkStale(ctx, now.AddDate(0, -r.ContactMonths, 0), now); err != nil {
		return rep, err
	}
	if rep.Purged, err = s.Store.PurgeDeleted(ctx, now.Add(-Grace)); err != nil {
		return rep, err
	}
	if rep.Messages, err = s.Store.PurgeOrphanMessages(ctx); err != nil {
		return rep, err
	}
	if rep.Purged > 0 || rep.Messages > 0 {
		err = s.Store.Vacuum(ctx)
	}
	return rep, err
}
