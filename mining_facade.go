package main

import (
	"context"
	"errors"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"leadminer/backend/mining"
	"leadminer/backend/source"
)

// The mining part of the facade: folders, start, halt and progress.

// Folder is a folder of a source, with the default selection.
type Folder struct {
	Name       string `json:"name"`
	Count      int    `json:"count"`
	SpecialUse string `json:"special_use"`
	Selectable bool   `json:"selectable"`
	Default    bool   `json:"default"`
	// Delimiter separates the levels of Name ("" means "/").
	Delimiter string `json:"delimiter,omitempty"`
}

// Folders lists a source's folders.
func (a *App) Folders(uri string) ([]Folder, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	src, err := a.accounts.OpenSource(a.ctx, uri)
	if err != nil {
		return nil, userError("Could not open the mailbox", err)
	}
	defer src.Close()
	list, err := src.Folders(a.ctx)
	if err != nil {
		return nil, userError("Could not list the folders", err)
	}
	def := map[string]bool{}
	for _, n := range source.DefaultFolders(list) {
		def[n] = true
	}
	out := make([]Folder, 0, len(list))
	for _, f := range list {
		out = append(out, Folder{Name: f.Name, Count: f.Count, SpecialUse: f.SpecialUse, Selectable: f.Selectable, Default: def[f.Name],
			Delimiter: f.Delimiter})
	}
	return out, nil
}

// MineRequest says what to mine.
type MineRequest struct {
	URI     string   `json:"uri"`
	Folders []string `json:"folders"`
}

// MiningState is what the backend is doing; a reopened window reattaches.
type MiningState struct {
	Running  bool             `json:"running"`
	URI      string           `json:"uri"`
	Request  *MineRequest     `json:"request"`
	Progress *mining.Progress `json:"progress"`
	Summary  *mining.Summary  `json:"summary"`
	Error    string           `json:"error"`
}

// MiningState returns the current or last run.
func (a *App) MiningState() MiningState {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.state
}

// StartMining mines in the background; progress comes as events.
func (a *App) StartMining(req MineRequest) error {
	if err := a.ready(); err != nil {
		return err
	}
	a.mu.Lock()
	if a.cancel != nil {
		a.mu.Unlock()
		return errors.New("a mining run is already in progress")
	}
	ctx, cancel := context.WithCancel(a.ctx)
	a.cancel = cancel
	a.state = MiningState{Running: true, URI: req.URI, Request: &req}
	a.mu.Unlock()

	finish := func(sum *mining.Summary, err error) {
		a.mu.Lock()
		a.cancel = nil
		a.state.Running = false
		a.state.Summary = sum
		if err != nil {
			a.state.Error = err.Error()
		}
		a.mu.Unlock()
		cancel()
		if err != nil {
			runtime.EventsEmit(a.ctx, "mining:error", err.Error())
		} else {
			runtime.EventsEmit(a.ctx, "mining:done", sum)
		}
	}
	go func() {
		src, err := a.accounts.OpenSource(ctx, req.URI)
		if err != nil {
			finish(nil, userError("Could not open the mailbox", err))
			return
		}
		defer src.Close()
		sum, err := a.engine.Run(ctx, mining.Request{Source: src, Folders: req.Folders}, func(p mining.Progress) {
			a.mu.Lock()
			a.state.Progress = &p
			a.mu.Unlock()
			runtime.EventsEmit(a.ctx, "mining:progress", p)
		})
		if err != nil {
			finish(&sum, userError("Mining stopped", err))
			return
		}
		finish(&sum, nil)
	}()
	return nil
}

// HaltMining stops the current run; what was mined is kept.
func (a *App) HaltMining() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cancel != nil {
		a.cancel()
	}
}
