// Package mining runs the pipeline: a source's headers are extracted,
// classified and stored in batches, each committed with the folder's resume
// point, so a run can be cancelled or killed at any moment and resumed.
package mining

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"leadminer/backend/classify"
	"leadminer/backend/contacts"
	"leadminer/backend/extract"
	"leadminer/backend/privacy"
	"leadminer/backend/source"
	"leadminer/backend/store"
)

// Request says what to mine.
type Request struct {
	Source source.Source
	// Me are the user's addresses: never contacts, and the base of "written
	// to" ranking. Sources that know their owner add theirs.
	Me []string
	// Folders to mine; empty means the default selection.
	Folders []string
}

// Phases of a run, in order.
const (
	PhaseListing  = "listing"
	PhaseCounting = "counting"
	PhaseMining   = "mining"
	PhaseRanking  = "ranking"
	PhaseDone     = "done"
)

// Progress is sent while a run goes on.
type Progress struct {
	Phase  string `json:"phase"`
	Folder string `json:"folder,omitempty"`
	// Done and Total count messages over the whole run: Done are stored
	// (extracted), Fetched came from the source and may wait in the queue.
	Done    int `json:"done"`
	Total   int `json:"total"`
	Fetched int `json:"fetched"`
	// FolderDone and FolderTotal are the same for the current folder.
	FolderDone  int `json:"folder_done"`
	FolderTotal int `json:"folder_total"`
	// Contacts is the number of contacts in the store; NewContacts those
	// this run added.
	Contacts    int `json:"contacts"`
	NewContacts int `json:"new_contacts"`
	Duplicates  int `json:"duplicates"`
	// Skipped counts messages the source could not read.
	Skipped    int     `json:"skipped"`
	Rate       float64 `json:"rate"`        // messages per second
	ETASeconds float64 `json:"eta_seconds"` // 0 when unknown
}

// Summary is how a run ended.
type Summary struct {
	RunID       int64    `json:"run_id"`
	Source      string   `json:"source"`
	Folders     []string `json:"folders"`
	Messages    int      `json:"messages"`
	NewMessages int      `json:"new_messages"`
	Duplicates  int      `json:"duplicates"`
	Skipped     int      `json:"skipped"`
	// Suppressed counts addresses left out because they are on Do Not Mine Me.
	Suppressed  int           `json:"suppressed"`
	NewContacts int           `json:"new_contacts"`
	Contacts    int           `json:"contacts"`
	Duration    time.Duration `json:"duration_ns"`
	Canceled    bool          `json:"canceled"`
}

// Engine mines sources into a store.
type Engine struct {
	Store    *store.Store
	Contacts *contacts.Service
	Log      *slog.Logger
	// BatchSize is the number of messages per transaction.
	BatchSize int
	// ProgressEvery throttles progress events.
	ProgressEvery time.Duration
}

// New returns an engine on a store.
func New(st *store.Store, log *slog.Logger) *Engine {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Engine{Store: st, Contacts: contacts.New(st), Log: log, BatchSize: 5000, ProgressEvery: 200 * time.Millisecond}
}

// ErrUnknownFolder is returned when a requested folder does not exist.
var ErrUnknownFolder = errors.New("unknown folder")

// Kind is a source's kind, from its URI scheme.
func Kind(s source.Source) string {
	uri := s.URI()
	if i := strings.IndexByte(uri, ':'); i > 0 {
		return uri[:i]
	}
	return uri
}

// Run mines a source. A cancelled context stops the run within a batch and
// keeps everything committed; the next run resumes from there.
func (e *Engine) Run(ctx context.Context, req Request, progress func(Progress)) (Summary, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	started := time.Now()
	src := req.Source
	sum := Summary{Source: src.URI()}
	sourceID, err := e.Store.EnsureSource(ctx, src.URI(), Kind(src))
	if err != nil {
		return sum, err
	}
	runID, err := e.Store.StartRun(ctx, sourceID)
	if err != nil {
		return sum, err
	}
	sum.RunID = runID
	r := &run{engine: e, sourceID: sourceID, progress: progress, started: started, sum: &sum}
	runErr := r.mine(ctx, req)

	// Whatever happened, bring the contacts touched so far up to date: the
	// committed batches are real data. A fresh context: cancel must not
	// leave contacts half computed.
	progress(Progress{Phase: PhaseRanking, Done: r.done, Total: r.total, Contacts: r.contactCount(), NewContacts: sum.NewContacts})
	if _, err := e.Contacts.Recompute(context.WithoutCancel(ctx), false); err != nil && runErr == nil {
		runErr = err
	}
	if counts, err := e.Store.Count(context.WithoutCancel(ctx)); err == nil {
		sum.Contacts = counts.Contacts
	}
	sum.Duration = time.Since(started)
	result := store.RunResult{Status: store.RunDone, MessagesSeen: sum.Messages, MessagesNew: sum.NewMessages,
		ContactsNew: sum.NewContacts, Skipped: sum.Skipped}
	switch {
	case runErr != nil && ctx.Err() != nil && errors.Is(runErr, ctx.Err()):
		result.Status = store.RunCanceled
		sum.Canceled = true
		runErr = nil
	case runErr != nil:
		result.Status = store.RunFailed
		result.Error = runErr.Error()
	}
	if err := e.Store.FinishRun(context.WithoutCancel(ctx), runID, result); err != nil && runErr == nil {
		runErr = err
	}
	if runErr == nil && !sum.Canceled { // a cancelled run is not done: it resumes
		progress(Progress{Phase: PhaseDone, Done: r.done, Total: r.total, Contacts: sum.Contacts, NewContacts: sum.NewContacts, Duplicates: sum.Duplicates})
	}
	e.Log.Info("mining run ended", "source", Kind(src), "status", result.Status, "messages", sum.Messages,
		"new_messages", sum.NewMessages, "new_contacts", sum.NewContacts, "duration", sum.Duration)
	return sum, runErr
}

// run holds one run's state.
type run struct {
	engine    *Engine
	sourceID  int64
	progress  func(Progress)
	started   time.Time
	sum       *Summary
	extractor *extract.Extractor
	idx       *store.Index
	// suppressed is the Do Not Mine Me list, read at the start of the run.
	suppressed *privacy.Suppressor
	done       int
	total      int
	fetched    atomic.Int64
	folder     string
	// folderBase is done at the start of the folder; folderTotal its count.
	folderBase  int
	folderTotal int
	lastEvent   time.Time
}

// contactCount is the number of contacts known (0 before the index loads).
func (r *run) contactCount() int {
	if r.idx == nil {
		return 0
	}
	return r.idx.Contacts()
}

type folderPlan struct {
	name  string
	state store.FolderState
	known map[string]struct{}
	count int
}

type checkpoint struct {
	cursor string
	known  map[string]struct{}
}

func (c checkpoint) Cursor() string { return c.cursor }
func (c checkpoint) Known(loc string) bool {
	_, ok := c.known[loc]
	return ok
}

// Remainder is implemented by sources that can count what a checkpoint
// leaves to mine.
type Remainder interface {
	Remaining(ctx context.Context, folder string, cp source.Checkpoint) (int, error)
}

func (r *run) mine(ctx context.Context, req Request) error {
	src := req.Source
	r.progress(Progress{Phase: PhaseListing})
	folders, err := src.Folders(ctx)
	if err != nil {
		return fmt.Errorf("list folders: %w", err)
	}
	names, err := selectFolders(folders, req.Folders)
	if err != nil {
		return err
	}
	r.sum.Folders = names

	me := slices.Clone(req.Me)
	if owned, ok := src.(source.Owned); ok {
		me = append(me, owned.OwnAddresses()...)
	}
	r.extractor = extract.NewExtractor(me)
	var meCanonical []string
	for _, a := range me {
		if email, _, ok := extract.NormalizeAddress(a); ok {
			meCanonical = append(meCanonical, email)
		}
	}
	if err := r.engine.Store.ForgetContacts(ctx, meCanonical); err != nil {
		return err
	}
	if r.idx, err = r.engine.Store.LoadIndex(ctx); err != nil {
		return err
	}
	if r.suppressed, err = privacy.New(r.engine.Store).Suppressor(ctx); err != nil {
		return err
	}

	r.progress(Progress{Phase: PhaseCounting, Contacts: r.contactCount()})
	plans := make([]folderPlan, 0, len(names))
	for _, name := range names {
		p := folderPlan{name: name}
		if p.state, err = r.engine.Store.EnsureFolder(ctx, r.sourceID, name); err != nil {
			return err
		}
		if p.known, err = r.engine.Store.FolderLocations(ctx, p.state.ID); err != nil {
			return err
		}
		p.count = folderCount(folders, name)
		if rem, ok := src.(Remainder); ok {
			if n, err := rem.Remaining(ctx, name, checkpoint{p.state.Cursor, p.known}); err == nil {
				p.count = n
			}
		} else if p.count >= 0 {
			p.count = max(p.count-len(p.known), 0)
		}
		r.total += max(p.count, 0)
		plans = append(plans, p)
	}
	for _, p := range plans {
		if err := r.mineFolder(ctx, src, p); err != nil {
			return err
		}
	}
	return nil
}

func folderCount(folders []source.Folder, name string) int {
	for _, f := range folders {
		if f.Name == name {
			return f.Count
		}
	}
	return -1
}

// selectFolders returns the requested folders (checked) or the default ones.
func selectFolders(folders []source.Folder, requested []string) ([]string, error) {
	if len(requested) == 0 {
		names := source.DefaultFolders(folders)
		if len(names) == 0 {
			return nil, errors.New("this source has no folder to mine")
		}
		return names, nil
	}
	var out []string
	for _, want := range requested {
		found := false
		for _, f := range folders {
			if f.Name == want || strings.EqualFold(f.Name, want) && strings.EqualFold(want, "inbox") {
				if !f.Selectable {
					return nil, fmt.Errorf("folder %q only holds other folders: %w", want, ErrUnknownFolder)
				}
				out = append(out, f.Name)
				found = true
				break
			}
		}
		if !found {
			var avail []string
			for _, f := range folders {
				avail = append(avail, f.Name)
			}
			return nil, fmt.Errorf("folder %q: %w (available: %s)", want, ErrUnknownFolder, strings.Join(avail, ", "))
		}
	}
	return out, nil
}

// parsed is a record with its extraction, computed by a worker.
type parsed struct {
	rec        source.Record
	msg        extract.Message
	headerTags []string // per occurrence
}

type job struct {
	rec    source.Record
	result chan parsed
}

// mineFolder streams one folder: the source emits records, workers parse
// them in parallel, and the writer stores them in the source's order.
func (r *run) mineFolder(ctx context.Context, src source.Source, p folderPlan) error {
	r.folder, r.folderBase, r.folderTotal = p.name, r.done, max(p.count, 0)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	workers := max(runtime.GOMAXPROCS(0), 1)
	jobs := make(chan job, 4*workers)
	ordered := make(chan job, 256)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.result <- r.parse(j.rec)
			}
		}()
	}
	scanErr := make(chan error, 1)
	go func() {
		defer close(ordered)
		defer close(jobs)
		cp := checkpoint{cursor: p.state.Cursor, known: p.known}
		scanErr <- src.Scan(ctx, p.name, cp, func(rec source.Record) error {
			r.fetched.Add(1)
			j := job{rec: rec, result: make(chan parsed, 1)}
			select {
			case ordered <- j:
			case <-ctx.Done():
				return ctx.Err()
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return ctx.Err()
			}
			return nil
		})
	}()

	writeErr := r.write(ctx, p, ordered)
	cancel()
	for range ordered { // let the scanner finish if the writer stopped early
	}
	wg.Wait()
	if err := <-scanErr; writeErr == nil && err != nil {
		return fmt.Errorf("read folder %s: %w", p.name, err)
	}
	return writeErr
}

func (r *run) parse(rec source.Record) parsed {
	if rec.Problem != "" {
		return parsed{rec: rec}
	}
	msg := r.extractor.Extract(rec.Header)
	tags := make([]string, len(msg.Occurrences))
	for i, o := range msg.Occurrences {
		tags[i] = classify.HeaderTag(msg.Header, o.Field)
	}
	msg.Header = extract.Header{} // not needed any more; free it early
	return parsed{rec: rec, msg: msg, headerTags: tags}
}

// write stores parsed messages in batches. A batch commits in the
// background while the next one fills, so fetching never waits for the
// disk; batches still commit in order, each with the folder's cursor. On
// cancel it commits what it holds: every message in a batch is complete.
func (r *run) write(ctx context.Context, p folderPlan, ordered <-chan job) error {
	st := r.engine.Store
	commits := make(chan *store.Writer, 1)
	commitErr := make(chan error, 1)
	var failed atomic.Bool
	go func() {
		var err error
		for w := range commits {
			if err != nil {
				w.Rollback()
				continue
			}
			if err = w.Commit(); err != nil {
				failed.Store(true)
			}
		}
		commitErr <- err
	}()
	var w *store.Writer
	pending := 0
	cursor := ""
	hand := func() {
		if w == nil {
			return
		}
		if cursor != "" {
			w.Cursor(p.state.ID, cursor)
		}
		commits <- w
		w, pending = nil, 0
	}
	// finish hands over the last batch and waits for every commit.
	finish := func(err error) error {
		hand()
		close(commits)
		if cerr := <-commitErr; cerr != nil {
			return cerr
		}
		return err
	}
	for {
		if failed.Load() {
			return finish(nil)
		}
		var j job
		var ok bool
		select {
		case j, ok = <-ordered:
		case <-ctx.Done():
			return finish(ctx.Err())
		}
		if !ok {
			err := finish(nil)
			r.emit(true)
			return err
		}
		var pr parsed
		select {
		case pr = <-j.result:
		case <-ctx.Done():
			return finish(ctx.Err())
		}
		if w == nil {
			var err error
			if w, err = st.BeginBatch(context.WithoutCancel(ctx), r.sourceID, r.idx); err != nil {
				return finish(err)
			}
		}
		if err := r.store(w, p, pr); err != nil {
			w.Rollback()
			w = nil
			return finish(err)
		}
		if pr.rec.Cursor != "" {
			cursor = pr.rec.Cursor
		}
		pending++
		r.done++
		r.sum.Messages++
		if pending >= r.engine.BatchSize {
			hand()
		}
		r.emit(false)
	}
}

func (r *run) store(w *store.Writer, p folderPlan, pr parsed) error {
	if pr.rec.Problem != "" {
		// Nothing to store; the cursor still moves past it, so one bad
		// message never blocks a folder.
		r.sum.Skipped++
		r.engine.Log.Warn("message skipped", "folder", pr.rec.Folder, "location", pr.rec.Location, "reason", pr.rec.Problem)
		return nil
	}
	m := pr.msg
	msgID, isNew, err := w.Message(store.MessageRow{
		Key: m.Key, MessageID: m.MessageID, Date: m.Date, ListID: m.ListID,
		Conversation: m.Conversation, FromMe: m.FromMe, ToMe: m.ToMe, FolderID: p.state.ID,
	})
	if err != nil {
		return err
	}
	if isNew {
		r.sum.NewMessages++
	} else {
		r.sum.Duplicates++
	}
	if err := w.Location(p.state.ID, pr.rec.Location, msgID); err != nil {
		return err
	}
	// A copy of a known message may still show more (a Bcc only the Sent
	// copy has); occurrences are unique, so nothing is counted twice.
	for i, o := range m.Occurrences {
		if r.suppressed.Suppressed(o.Address.Email) {
			// Do Not Mine Me: no contact, no occurrence, no name.
			r.sum.Suppressed++
			continue
		}
		id, known := r.idx.Contact(o.Address.Email)
		if !known {
			var tags []store.Tag
			for _, t := range classify.AddressTags(o.Address.Email, o.Address.Name) {
				tags = append(tags, store.Tag{Name: t, Reachable: int(classify.Reachable(t)), Source: store.TagFromAddress})
			}
			var created bool
			if id, created, err = w.Contact(o.Address.Email, tags); err != nil {
				return err
			}
			if created {
				r.sum.NewContacts++
			}
		}
		if err := w.Occurrence(store.OccurrenceRow{
			MessageID: msgID, ContactID: id, Field: int(o.Field), Name: o.Address.Name,
			Plus: o.Address.Plus, HeaderTag: pr.headerTags[i],
		}); err != nil {
			return err
		}
	}
	return nil
}

// emit sends a progress event, at most every ProgressEvery unless forced.
func (r *run) emit(force bool) {
	now := time.Now()
	if !force && now.Sub(r.lastEvent) < r.engine.ProgressEvery {
		return
	}
	r.lastEvent = now
	elapsed := now.Sub(r.started).Seconds()
	folderDone := r.done - r.folderBase
	ev := Progress{Phase: PhaseMining, Folder: r.folder, Done: r.done, Total: max(r.total, r.done),
		Fetched: int(r.fetched.Load()), FolderDone: folderDone, FolderTotal: max(r.folderTotal, folderDone),
		Contacts: r.contactCount(), NewContacts: r.sum.NewContacts, Duplicates: r.sum.Duplicates, Skipped: r.sum.Skipped}
	if elapsed > 0 {
		ev.Rate = float64(r.done) / elapsed
		if ev.Rate > 0 && ev.Total > r.done {
			ev.ETASeconds = float64(ev.Total-r.done) / ev.Rate
		}
	}
	r.progress(ev)
}
