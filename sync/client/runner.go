package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	gpsync "gpkiosk/sync"
)

// Replica is the device's local copy of the server's data plus its outbox
// (store/replica implements it). Each method is one local transaction.
type Replica interface {
	// Cursor is the feed position the replica has applied up to.
	Cursor(ctx context.Context) (int64, error)
	// ApplyChanges applies a page and stores page.Cursor in one transaction.
	ApplyChanges(ctx context.Context, page gpsync.ChangesResponse) error
	// PendingOps returns up to limit unsent ops, oldest first, leaving out
	// (and keeping queued) ops of the skip kinds: kinds the server holds to
	// a quota for now. Nothing may wait for an op of a skipped kind.
	PendingOps(ctx context.Context, limit int, skip ...string) ([]gpsync.Op, error)
	// RecordResults takes ops out of the outbox; rejected ones become
	// items needing attention.
	RecordResults(ctx context.Context, results []gpsync.OpResult) error
	// ResetForResync discards the replicated data and the cursor but keeps
	// the outbox (the server was restored from a backup).
	ResetForResync(ctx context.Context) error
	PendingCount(ctx context.Context) (int, error)
	AttentionCount(ctx context.Context) (int, error)
}

// Status is what the device shows about syncing.
type Status struct {
	// Online is true when the last sync completed: everything queued was
	// sent and the replica is as new as the server's feed. Ops of a kind
	// the server holds to its quota do not count against it: the server
	// answered, and they wait in Pending until the hold ends.
	Online         bool
	LastSync       time.Time // last completed sync; zero if none yet
	Pending        int       // ops waiting to be sent, held ones too
	NeedsAttention int       // ops the server rejected
	// Revoked means the practice switched this device off (or no longer
	// knows its token); the runner has stopped and it must be enrolled again.
	Revoked   bool
	LastError string // plain English for people; "" after a success
}

// DefaultInterval is the wait between syncs when all is well. A nudge after
// a local action sends it sooner.
const DefaultInterval = 15 * time.Second

// RunnerOptions configures a Runner; zero values take the defaults.
type RunnerOptions struct {
	Interval  time.Duration    // between syncs when idle (DefaultInterval)
	PageSize  int              // changes per page (gpsync.DefaultPage, at most gpsync.MaxPageSize)
	PushBatch int              // ops per push (gpsync.MaxOpsPerPush, at most that)
	Backoff   *Backoff         // after failures (NewBackoff(0, 0, nil)); owned by the Runner from now on
	Clock     func() time.Time // stamps LastSync and times quota holds (time.Now)
	Logger    *slog.Logger     // the Client's logger; op kinds, counts and codes only
	// Wait is how long an idle device's feed request asks the server to
	// hold on for a change (the wait= of GET /v1/changes): 0 is
	// gpsync.IdleWaitSeconds; negative switches the long-poll off, so an
	// idle device pulls every Interval instead.
	Wait time.Duration
}

// Runner keeps a replica in step with the server: it pushes the outbox in
// order, then pulls the feed, on a timer, when nudged, and with backoff
// after failures.
type Runner struct {
	c         *Client
	replica   Replica
	interval  time.Duration
	pageSize  int
	pushBatch int
	backoff   *Backoff
	now       func() time.Time
	log       *slog.Logger
	idleWait  time.Duration // 0: no long-poll

	// sem lets one sync (or status refresh) run at a time, so two syncs
	// never send the same op and subscribers see statuses in order.
	sem     chan struct{}
	nudge   chan struct{} // buffered 1: a nudge during a sync is kept
	running atomic.Bool

	// held is when each op kind the server holds to its quota may be sent
	// again. Only push uses it, under sem.
	held map[string]time.Time

	mu      sync.Mutex // guards the fields below; never held while calling out
	status  Status
	subs    map[int]func(Status)
	nextSub int
	revoked error // the 401 that stopped syncing, for good
}

// NewRunner returns a Runner; it does nothing until Run or SyncNow.
func NewRunner(c *Client, r Replica, opts RunnerOptions) *Runner {
	if c == nil || r == nil {
		panic("client.NewRunner: nil Client or Replica")
	}
	rn := &Runner{
		c: c, replica: r,
		interval: opts.Interval, pageSize: opts.PageSize, pushBatch: opts.PushBatch,
		backoff: opts.Backoff, now: opts.Clock, log: opts.Logger,
		sem: make(chan struct{}, 1), nudge: make(chan struct{}, 1),
		held: map[string]time.Time{},
		subs: map[int]func(Status){},
	}
	if rn.interval <= 0 {
		rn.interval = DefaultInterval
	}
	if rn.pageSize <= 0 {
		rn.pageSize = gpsync.DefaultPage
	}
	rn.pageSize = min(rn.pageSize, gpsync.MaxPageSize)
	if rn.pushBatch <= 0 {
		rn.pushBatch = gpsync.MaxOpsPerPush
	}
	rn.pushBatch = min(rn.pushBatch, gpsync.MaxOpsPerPush)
	if rn.backoff == nil {
		rn.backoff = NewBackoff(0, 0, nil)
	}
	if rn.now == nil {
		rn.now = time.Now
	}
	if rn.log == nil {
		rn.log = c.log
	}
	switch {
	case opts.Wait == 0:
		rn.idleWait = gpsync.IdleWaitSeconds * time.Second
	case opts.Wait > 0:
		rn.idleWait = min(opts.Wait, gpsync.MaxWaitSeconds*time.Second)
	}
	return rn
}

// Status returns the latest status.
func (r *Runner) Status() Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

// Subscribe calls fn with each new status until unsubscribe is called. fn
// runs on the goroutine doing the sync (Run's, or SyncNow's caller), one
// call at a time and in order, with no runner lock held, so it may call
// Status; it must return quickly and must not call SyncNow. It is not
// called with the current status: read Status() for that. UI subscribers
// must wrap widget updates in fyne.Do.
func (r *Runner) Subscribe(fn func(Status)) (unsubscribe func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	id := r.nextSub
	r.nextSub++
	r.subs[id] = fn
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		delete(r.subs, id)
	}
}

// Nudge asks Run to sync now rather than at the end of its idle wait, for
// example just after a local action was queued. While backing off after a
// failure it only refreshes the pending count: the server asked for quiet.
// It never blocks.
func (r *Runner) Nudge() {
	select {
	case r.nudge <- struct{}{}:
	default:
	}
}

// Run syncs until ctx is done (returning ctx's error) or the server
// revokes the device (returning an error for which IsRevoked is true).
// Only one Run may be active at a time.
func (r *Runner) Run(ctx context.Context) error {
	const op = "client.Runner.Run"
	if !r.running.CompareAndSwap(false, true) {
		return fmt.Errorf("%s: already running", op)
	}
	defer r.running.Store(false)
	r.backoff.Reset()
	for {
		err := r.SyncNow(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var wait time.Duration
		switch {
		case err == nil:
			r.backoff.Reset()
			if err := r.idle(ctx); err != nil {
				return err
			}
			continue
		case IsRevoked(err):
			r.log.ErrorContext(ctx, "sync stopped: device no longer accepted", "code", errCode(err))
			return fmt.Errorf("%s: %w", op, err)
		case IsRetryable(err):
			wait = r.backoff.Next(RetryAfter(err))
			r.log.WarnContext(ctx, "sync failed, will retry", "err", err, "wait", wait)
		default:
			// Trying the same thing again soon would fail the same way;
			// try slowly, in case the server or the replica was fixed.
			wait = max(r.backoff.Max(), r.interval)
			r.log.ErrorContext(ctx, "sync failed", "err", err, "wait", wait)
		}
		if err := r.wait(ctx, wait, false); err != nil {
			return err
		}
	}
}

// idle waits, after a sync that left everything sent and the replica up
// to date, until it is time to sync again: a nudge (a new local op), a
// change on the server, or the end of the interval. With the long-poll on
// it keeps one feed request open at a time, so a change reaches this
// device as soon as the server has it, at one request per wait while
// nothing happens. It returns only ctx's error.
func (r *Runner) idle(ctx context.Context) error {
	for {
		if r.idleWait == 0 {
			return r.wait(ctx, r.interval, true)
		}
		if r.midSnapshot(ctx) {
			// A long-poll page is of the log; a snapshot cut off must be
			// resumed by a sync first.
			return r.wait(ctx, r.interval, true)
		}
		if n, err := r.replica.PendingCount(ctx); err != nil || n > 0 {
			// Something is queued that the last sync could not send (or
			// the outbox cannot be read): sync again after the interval,
			// as without the long-poll.
			return r.wait(ctx, r.interval, true)
		}
		started := time.Now()
		next, err := r.listen(ctx)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			// The sync that follows says what is wrong and backs off; the
			// interval first keeps a server that fails only long-polls from
			// being asked in a tight loop.
			r.log.WarnContext(ctx, "waiting for changes failed", "err", err)
			return r.wait(ctx, r.interval, true)
		case next:
			return nil
		case time.Since(started) < r.idleWait/2:
			// An empty answer well before the wait was up: a server that
			// does not know wait=. Ask again only after the interval.
			if err := r.wait(ctx, r.interval, true); err != nil {
				return err
			}
			return nil
		}
		// The wait ended with nothing new: ask again at once.
	}
}

// midSnapshot reports whether the replica is part way through a snapshot
// (or cannot say).
func (r *Runner) midSnapshot(ctx context.Context) bool {
	sr, ok := r.replica.(SnapshotReplica)
	if !ok {
		return false
	}
	_, token, err := sr.FeedPosition(ctx)
	return err != nil || token != ""
}

// listen holds one long-poll open. next is true when the caller should
// sync now: a nudge ended the wait early, or the answer carried changes
// (applied here) or promised more, or a sync ran meanwhile.
func (r *Runner) listen(ctx context.Context) (next bool, err error) {
	const op = "client.Runner.listen"
	cursor, err := r.replica.Cursor(ctx)
	if err != nil {
		return false, fmt.Errorf("%s: read cursor: %w: %w", op, errLocal, err)
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type answer struct {
		page gpsync.ChangesResponse
		err  error
	}
	answers := make(chan answer, 1)
	go func() {
		page, err := r.c.WaitForChanges(lctx, cursor, r.pageSize, r.idleWait)
		answers <- answer{page, err}
	}()
	var a answer
	select {
	case <-r.nudge:
		cancel()
		<-answers
		return true, nil
	case a = <-answers:
	}
	if a.err != nil {
		if HasCode(a.err, CodeCursorAhead) {
			return true, nil // the sync resets and pulls again
		}
		return false, fmt.Errorf("%s: after %d: %w", op, cursor, a.err)
	}
	// The page is applied under sem like any pull, and only if no sync
	// moved the cursor while the request was open (that sync has pulled
	// at least as far).
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-r.sem }()
	now, err := r.replica.Cursor(ctx)
	if err != nil {
		return false, fmt.Errorf("%s: read cursor: %w: %w", op, errLocal, err)
	}
	if now != cursor {
		return true, nil
	}
	if err := r.replica.ApplyChanges(ctx, a.page); err != nil {
		return false, fmt.Errorf("%s: apply page after %d: %w: %w", op, cursor, errLocal, err)
	}
	if len(a.page.Changes) > 0 {
		r.log.InfoContext(ctx, "pulled changes", "pages", 1, "changes", len(a.page.Changes), "cursor", a.page.Cursor, "waited", true)
	}
	r.publish(ctx, func(s *Status) { s.Online, s.LastSync, s.LastError = true, r.now(), "" })
	return len(a.page.Changes) > 0 || a.page.More, nil
}

// SyncNow runs one sync — push everything queued, then pull until the feed
// is drained — and publishes the resulting status. It waits for a sync
// already in progress to finish first.
func (r *Runner) SyncNow(ctx context.Context) error {
	const op = "client.Runner.SyncNow"
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("%s: %w", op, ctx.Err())
	}
	defer func() { <-r.sem }()

	r.mu.Lock()
	revoked := r.revoked
	r.mu.Unlock()
	if revoked != nil {
		return fmt.Errorf("%s: %w", op, revoked)
	}

	err := r.syncOnce(ctx)
	if err != nil && ctx.Err() != nil {
		// Shutting down or the caller gave up: not news for the screen.
		return fmt.Errorf("%s: %w", op, err)
	}
	if IsRevoked(err) {
		r.mu.Lock()
		r.revoked = err
		r.mu.Unlock()
	}
	r.publish(ctx, func(s *Status) {
		if err == nil {
			s.Online, s.LastSync, s.LastError = true, r.now(), ""
			return
		}
		s.Online, s.LastError = false, describe(err)
		s.Revoked = s.Revoked || IsRevoked(err)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// wait sleeps for d or until ctx is done. A nudge ends an idle wait early;
// during a backoff it refreshes the counts only.
func (r *Runner) wait(ctx context.Context, d time.Duration, idle bool) error {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			return nil
		case <-r.nudge:
			if idle {
				return nil
			}
			select {
			case r.sem <- struct{}{}:
				r.publish(ctx, func(*Status) {})
				<-r.sem
			default: // a SyncNow is running and will publish
			}
		}
	}
}

// publish refreshes the counts, applies change, and tells subscribers if
// anything changed. The caller holds sem.
func (r *Runner) publish(ctx context.Context, change func(*Status)) {
	pending, perr := r.replica.PendingCount(ctx)
	attention, aerr := r.replica.AttentionCount(ctx)
	if err := errors.Join(perr, aerr); err != nil {
		r.log.WarnContext(ctx, "could not count queued ops", "err", err)
	}
	r.mu.Lock()
	old := r.status
	if perr == nil {
		r.status.Pending = pending
	}
	if aerr == nil {
		r.status.NeedsAttention = attention
	}
	change(&r.status)
	cur := r.status
	subs := make([]func(Status), 0, len(r.subs))
	if cur != old {
		for _, fn := range r.subs {
			subs = append(subs, fn)
		}
	}
	r.mu.Unlock()
	for _, fn := range subs {
		fn(cur)
	}
}

// errLocal marks failures of the device's own database, so the status can
// say so rather than blame the server.
var errLocal = errors.New("local replica")

// syncOnce pushes then pulls. A push the server refuses outright (a 4xx
// other than 401/429, or a garbled answer) does not stop the pull, so the
// screen still shows fresh slots; the refused ops stay queued and the
// error is returned.
func (r *Runner) syncOnce(ctx context.Context) error {
	pushErr := r.push(ctx)
	if pushErr != nil && (ctx.Err() != nil || IsRetryable(pushErr) || IsRevoked(pushErr) ||
		errors.Is(pushErr, ErrCertMismatch) || errors.Is(pushErr, ErrUntrustedCert)) {
		return pushErr
	}
	if err := r.pull(ctx); err != nil {
		return err
	}
	return pushErr
}

// push sends the outbox in order, a batch at a time, and records each
// batch's results before asking for the next. It stops at the first
// failure so nothing is sent out of order; the next sync starts again at
// the first op without a recorded result (the server answers a replay with
// the stored result).
//
// A kind the server holds to its quota (429 quota_exceeded) is the one
// exception: the results before the held op are recorded, its kind is
// left in the outbox until Retry-After, and the rest are sent now. Those
// kinds are leaves (nothing waits for them), so this reorders nothing
// that depends on order, and a booking never waits behind a flood of
// help requests.
func (r *Runner) push(ctx context.Context) error {
	const op = "client.Runner.push"
	sent := map[string]bool{}
	var batches, applied, rejected int
	skip := r.heldKinds()
	for {
		ops, err := r.replica.PendingOps(ctx, r.pushBatch, skip...)
		if err != nil {
			return fmt.Errorf("%s: read outbox: %w: %w", op, errLocal, err)
		}
		if len(ops) == 0 {
			break
		}
		ops = ops[:min(len(ops), r.pushBatch)]
		for _, o := range ops {
			// Without this a replica that fails to take recorded ops out of
			// its outbox would make us push them for ever.
			if sent[o.ID] {
				return fmt.Errorf("%s: %w: op %s still queued after its result was recorded", op, errLocal, o.ID)
			}
			if slices.Contains(skip, o.Kind) {
				return fmt.Errorf("%s: %w: a held %s op was read to send", op, errLocal, o.Kind)
			}
		}
		resp, err := r.c.Push(ctx, ops)
		var se *ServerError
		hold := errors.As(err, &se) && se.Code == CodeQuotaExceeded
		if err != nil && !hold {
			return fmt.Errorf("%s: batch of %d: %w", op, len(ops), err)
		}
		if err := r.replica.RecordResults(ctx, resp.Results); err != nil {
			return fmt.Errorf("%s: record results: %w: %w", op, errLocal, err)
		}
		batches++
		for i, res := range resp.Results {
			sent[res.ID] = true
			if res.Status == gpsync.OpRejected {
				rejected++
				r.log.InfoContext(ctx, "op rejected by server", "kind", ops[i].Kind, "reason", res.Reason)
			} else {
				applied++
			}
		}
		if hold {
			wait := se.RetryAfter
			if wait <= 0 {
				wait = defaultQuotaHold
			}
			r.held[se.Kind] = r.now().Add(wait)
			skip = append(skip, se.Kind)
			r.log.InfoContext(ctx, "op kind held to the server's quota; sending the rest", "kind", se.Kind, "wait", wait,
				"held_in_batch", countKind(ops[len(resp.Results):], se.Kind))
		}
	}
	if batches > 0 {
		r.log.InfoContext(ctx, "pushed ops", "batches", batches, "applied", applied, "rejected", rejected, "held_kinds", len(skip))
	}
	return nil
}

// defaultQuotaHold is how long a kind is held when the server's quota
// answer gave no Retry-After.
const defaultQuotaHold = time.Minute

// heldKinds are the kinds still held, in a fixed order; holds that have
// ended are forgotten, so their ops go in this sync.
func (r *Runner) heldKinds() []string {
	if len(r.held) == 0 {
		return nil // the clock is read only when there is a hold to time
	}
	now := r.now()
	var kinds []string
	for kind, until := range r.held {
		if !now.Before(until) {
			delete(r.held, kind)
			continue
		}
		kinds = append(kinds, kind)
	}
	slices.Sort(kinds)
	return kinds
}

func countKind(ops []gpsync.Op, kind string) int {
	n := 0
	for _, o := range ops {
		if o.Kind == kind {
			n++
		}
	}
	return n
}

// SnapshotReplica is a Replica that can take a first sync as a snapshot
// (store/replica does): it stores the snapshot token with the cursor.
type SnapshotReplica interface {
	Replica
	// FeedPosition is the cursor and the token of a snapshot under way
	// ("" when none), both as ApplyChanges last stored them.
	FeedPosition(ctx context.Context) (cursor int64, snapshot string, err error)
}

// pull applies feed pages until the server says there are no more. From
// 0 a replica that can take one pulls a snapshot (only the rows it may
// hold now), then the log from the snapshot's cursor; a snapshot cut off
// resumes from its token. If the server is behind the replica (restored
// from a backup), or the replica was away longer than the server keeps
// its log, or the server will not take the snapshot token, the replica
// is discarded, once, and pulled again from 0.
func (r *Runner) pull(ctx context.Context) error {
	const op = "client.Runner.pull"
	sr, snapshots := r.replica.(SnapshotReplica)
	var cursor int64
	var token string
	var err error
	if snapshots {
		cursor, token, err = sr.FeedPosition(ctx)
	} else {
		cursor, err = r.replica.Cursor(ctx)
	}
	if err != nil {
		return fmt.Errorf("%s: read cursor: %w: %w", op, errLocal, err)
	}
	resynced := false
	var pages, changes int
	// While a page is applied, the next is already on its way (a device
	// that takes snapshots only: the same version marks later pages
	// continued=1); the server reads and this device writes at once.
	ahead := newPrefetch(ctx, r.c)
	defer ahead.stop()
	req := FeedRequest{After: cursor, Limit: r.pageSize, Snapshots: snapshots, Snapshot: token}
	for {
		page, err := ahead.get(req)
		restart := HasCode(err, CodeCursorAhead) || HasCode(err, CodeCursorExpired) || (req.Snapshot != "" && HasCode(err, CodeBadCursor))
		if restart && !resynced {
			r.log.WarnContext(ctx, "server cannot carry on from this device's position; pulling everything again", "cursor", req.After, "code", errCode(err))
			if err := r.replica.ResetForResync(ctx); err != nil {
				return fmt.Errorf("%s: reset for resync: %w: %w", op, errLocal, err)
			}
			resynced = true
			req = FeedRequest{Limit: r.pageSize, Snapshots: snapshots}
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: after %d: %w", op, req.After, err)
		}
		done := !page.More && page.Snapshot == ""
		next := FeedRequest{After: page.Cursor, Limit: r.pageSize, Snapshots: snapshots, Snapshot: page.Snapshot, Continued: snapshots}
		if !done && snapshots {
			ahead.start(next)
		}
		if err := r.replica.ApplyChanges(ctx, page); err != nil {
			return fmt.Errorf("%s: apply page after %d: %w: %w", op, req.After, errLocal, err)
		}
		pages++
		changes += len(page.Changes)
		cursor, req = page.Cursor, next
		if done {
			break
		}
	}
	if changes > 0 || resynced {
		r.log.InfoContext(ctx, "pulled changes", "pages", pages, "changes", changes, "cursor", cursor, "resynced", resynced)
	}
	return nil
}

// prefetch fetches at most one feed page ahead of the one being applied.
type prefetch struct {
	ctx    context.Context
	cancel context.CancelFunc
	c      *Client
	req    FeedRequest
	busy   bool
	done   chan prefetched
}

type prefetched struct {
	page gpsync.ChangesResponse
	err  error
}

func newPrefetch(ctx context.Context, c *Client) *prefetch {
	ctx, cancel := context.WithCancel(ctx)
	return &prefetch{ctx: ctx, cancel: cancel, c: c, done: make(chan prefetched, 1)}
}

// start asks for req in the background.
func (p *prefetch) start(req FeedRequest) {
	p.req, p.busy = req, true
	go func() {
		page, err := p.c.Feed(p.ctx, req)
		p.done <- prefetched{page, err}
	}()
}

// get is the page for req: the one fetched ahead if it was that request,
// else fetched now.
func (p *prefetch) get(req FeedRequest) (gpsync.ChangesResponse, error) {
	if p.busy {
		p.busy = false
		got := <-p.done
		if p.req == req {
			return got.page, got.err
		}
	}
	return p.c.Feed(p.ctx, req)
}

// stop abandons a page fetched ahead and not used.
func (p *prefetch) stop() {
	p.cancel()
	if p.busy {
		<-p.done
		p.busy = false
	}
}

// describe says what went wrong in words for the screen; Go error text
// never reaches people.
func describe(err error) string {
	var se *ServerError
	isSE := errors.As(err, &se)
	switch {
	case IsRevoked(err):
		if se.Code != "" && se.Message != "" {
			return se.Message // the server's own plain-English words
		}
		return "This device is no longer allowed to use the practice server. Please ask the practice manager."
	case errors.Is(err, ErrCertMismatch):
		return "The practice server is not the one this device was set up with, so it will not connect. Please ask the practice manager."
	case errors.Is(err, ErrUntrustedCert):
		return "The practice server's security certificate is not trusted, so this device will not connect. Please ask the practice manager."
	case errors.Is(err, ErrUnreachable):
		return "Cannot reach the practice server. Changes are kept on this device and will be sent when it is back."
	case isSE && se.Code == CodeQuotaExceeded:
		// push keeps a quota hold from being a failure; should one reach
		// the screen, it is a wait, not a broken server.
		return "This device has sent a lot of requests recently. They are kept here and will be sent later."
	case isSE && se.StatusCode == http.StatusTooManyRequests:
		return "The practice server is busy. This device will try again shortly."
	case isSE && se.StatusCode >= 500:
		return "The practice server has a problem. This device will try again shortly."
	case errors.Is(err, errLocal):
		return "This device could not read or save its own records. Please ask the practice manager."
	case errors.Is(err, ErrBadResponse):
		return "The practice server sent an answer this device does not understand. Please ask the practice manager."
	case isSE:
		return "The practice server refused a request from this device. Please ask the practice manager."
	default:
		return "Syncing with the practice server did not work. This device will try again."
	}
}

// errCode is the protocol code in err, for logs.
func errCode(err error) string {
	var se *ServerError
	if errors.As(err, &se) {
		return se.Code
	}
	return ""
}
