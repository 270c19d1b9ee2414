package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"leadminer/backend/accounts"
	"leadminer/backend/appdir"
	"leadminer/backend/contacts"
	"leadminer/backend/mining"
	"leadminer/backend/privacy"
	"leadminer/backend/source/imap"
	"leadminer/backend/store"
)

// App is the one facade the frontend calls (frontend/src/lib/api.ts mirrors
// it): thin methods over the backend services, turning their errors into
// messages a user can act on, and mining progress into events.
type App struct {
	ctx      context.Context
	log      *slog.Logger
	store    *store.Store
	engine   *mining.Engine
	contacts *contacts.Service
	accounts *accounts.Service
	dialogs  dialogs
	startErr error
	// quit closes the window (runtime.Quit; tests record it).
	quit func()

	mu           sync.Mutex
	cancel       context.CancelFunc
	signInCancel context.CancelFunc
	state        MiningState
}

// NewApp returns the facade; the database opens at startup.
func NewApp(log *slog.Logger) *App { return &App{log: log} }

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	a.dialogs = newDialogs(ctx)
	a.quit = func() { runtime.Quit(ctx) }
	if err := a.open(); err != nil {
		a.startErr = err
		a.log.Error("cannot open the database", "err", err)
		return
	}
	// Mail folders and files dropped on the window: the wizard offers to mine them.
	runtime.OnFileDrop(ctx, func(_, _ int, paths []string) {
		runtime.EventsEmit(ctx, "files:dropped", paths)
	})
	go a.retention(ctx, a.privacy())
}

// open opens the database and the services over it.
func (a *App) open() error {
	path, err := appdir.Database()
	if err == nil {
		a.store, err = store.Open(path)
	}
	if err != nil {
		return err
	}
	a.engine = mining.New(a.store, a.log)
	a.contacts = contacts.New(a.store)
	a.accounts = accounts.New(a.store, a.log)
	a.accounts.Browser = a.dialogs.browse
	return nil
}

// retention applies the retention settings at start-up and then daily.
// It holds its own service: "delete all my data" may drop the app's store.
func (a *App) retention(ctx context.Context, svc *privacy.Service) {
	for {
		if rep, err := svc.Purge(ctx); err != nil {
			a.log.Error("retention purge failed", "err", err)
		} else if rep.MarkedDeleted+rep.Purged > 0 {
			a.log.Info("retention purge", "hidden", rep.MarkedDeleted, "purged", rep.Purged)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(24 * time.Hour):
		}
	}
}

func (a *App) shutdown(context.Context) {
	a.HaltMining()
	if a.store != nil {
		a.contacts.Wait() // table views still being built read the store
		a.store.Close()
	}
}

func (a *App) ready() error {
	if a.startErr != nil {
		return userError("LeadMiner could not open its database", a.startErr)
	}
	if a.store == nil {
		return errors.New("LeadMiner is still starting")
	}
	return nil
}

// userError is what the window shows: a sentence, then the cause.
func userError(what string, err error) error {
	var e *imap.Error
	if errors.As(err, &e) {
		return errors.New(e.Message)
	}
	return fmt.Errorf("%s: %w", what, err)
}
