package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"leadminer/backend/appdir"
	"leadminer/backend/contacts"
	"leadminer/backend/mining"
	"leadminer/backend/secrets"
	"leadminer/backend/source"
	"leadminer/backend/source/demo"
	"leadminer/backend/source/open"
	"leadminer/backend/store"
)

// App is the one facade the frontend calls: thin methods over the backend
// services, turning their errors into messages a user can act on.
type App struct {
	ctx      context.Context
	log      *slog.Logger
	store    *store.Store
	engine   *mining.Engine
	contacts *contacts.Service
	startErr error

	mu     sync.Mutex
	cancel context.CancelFunc
}

// NewApp returns the facade; the database opens at startup.
func NewApp(log *slog.Logger) *App { return &App{log: log} }

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	path, err := appdir.Database()
	if err == nil {
		a.store, err = store.Open(path)
	}
	if err != nil {
		a.startErr = err
		a.log.Error("cannot open the database", "err", err)
		return
	}
	a.engine = mining.New(a.store, a.log)
	a.contacts = contacts.New(a.store)
}

func (a *App) shutdown(context.Context) {
	a.HaltMining()
	if a.store != nil {
		a.store.Close()
	}
}

// ContactQuery is a page request from the contacts table.
type ContactQuery struct {
	All    bool   `json:"all"`
	Search string `json:"search"`
	Limit  int    `json:"limit"`
	Offset int    `json:"offset"`
}

// Contacts returns one page of ranked contacts.
func (a *App) Contacts(q ContactQuery) (contacts.Page, error) {
	if err := a.ready(); err != nil {
		return contacts.Page{}, err
	}
	page, err := a.contacts.Page(a.ctx, store.Query{All: q.All, Search: q.Search, Limit: q.Limit, Offset: q.Offset})
	if err != nil {
		return page, userError("Could not read your contacts", err)
	}
	return page, nil
}

// MineDemo mines the built-in demo mailbox in the background.
func (a *App) MineDemo() error {
	return a.mine(demo.New(time.Now()))
}

// MineSource mines a local mailbox (maildir:, mbox:, eml: or a path).
func (a *App) MineSource(uri string) error {
	src, err := open.Source(a.ctx, uri, open.Options{Log: a.log, Password: func(uri string) (string, error) {
		return secrets.IMAPPassword(secrets.Keychain{}, uri)
	}})
	if err != nil {
		return userError("Cannot open this mailbox", err)
	}
	return a.mine(src)
}

// HaltMining stops the current run; what was mined is kept.
func (a *App) HaltMining() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cancel != nil {
		a.cancel()
	}
}

func (a *App) mine(src source.Source) error {
	if err := a.ready(); err != nil {
		src.Close()
		return err
	}
	a.mu.Lock()
	if a.cancel != nil {
		a.mu.Unlock()
		src.Close()
		return errors.New("A mining run is already in progress.")
	}
	ctx, cancel := context.WithCancel(a.ctx)
	a.cancel = cancel
	a.mu.Unlock()

	go func() {
		defer func() {
			a.mu.Lock()
			a.cancel = nil
			a.mu.Unlock()
			cancel()
			src.Close()
		}()
		var last mining.Progress
		_, err := a.engine.Run(ctx, mining.Request{Source: src}, func(p mining.Progress) {
			last = p
			if p.Phase != mining.PhaseDone {
				runtime.EventsEmit(a.ctx, "mining:progress", p)
			}
		})
		if err != nil {
			runtime.EventsEmit(a.ctx, "mining:error", userError("Mining stopped", err).Error())
			return
		}
		last.Phase = mining.PhaseDone
		runtime.EventsEmit(a.ctx, "mining:done", last)
	}()
	return nil
}

func (a *App) ready() error {
	if a.startErr != nil {
		return userError("LeadMiner could not open its database", a.startErr)
	}
	if a.store == nil {
		return errors.New("LeadMiner is still starting.")
	}
	return nil
}

// userError is what the window shows: a sentence, then the cause.
func userError(what string, err error) error {
	return fmt.Errorf("%s: %w", what, err)
}
