package store

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// commitSignal wakes everyone waiting for a change when a write
// transaction commits: waiters hold the current channel, and a commit
// closes it and puts a fresh one in its place.
type commitSignal struct {
	mu sync.Mutex
	ch chan struct{}
}

// next is the channel closed by the next commit.
func (c *commitSignal) next() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ch == nil {
		c.ch = make(chan struct{})
	}
	return c.ch
}

func (c *commitSignal) broadcast() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ch != nil {
		close(c.ch)
		c.ch = nil
	}
}

// headRecheck is how often a wait looks at the change log without being
// woken, for writes made by another process on the same file (the
// practice-server admin commands).
const headRecheck = 2 * time.Second

// ChangesHead is the newest change's sequence number (0 when none).
func (s *Store) ChangesHead(ctx context.Context) (int64, error) {
	var head int64
	if err := s.read.QueryRowContext(ctx, "SELECT coalesce(max(seq), 0) FROM changes").Scan(&head); err != nil {
		return 0, fmt.Errorf("store.ChangesHead: %w", err)
	}
	return head, nil
}

// WaitForChange returns as soon as the change log's head is not after
// (a change after it exists, or the cursor is ahead and Changes will
// say so), or when wait has passed or ctx ends. It says whether there is
// something to read. A commit in this process wakes it at once.
func (s *Store) WaitForChange(ctx context.Context, after int64, wait time.Duration) (bool, error) {
	timeout := time.NewTimer(wait)
	defer timeout.Stop()
	recheck := time.NewTicker(headRecheck)
	defer recheck.Stop()
	for {
		// Take the channel before reading the head, so a commit between
		// the two still wakes us.
		woken := s.commits.next()
		head, err := s.ChangesHead(ctx)
		if err != nil {
			return false, fmt.Errorf("store.WaitForChange: %w", err)
		}
		if head != after {
			return true, nil
		}
		select {
		case <-woken:
		case <-recheck.C:
		case <-timeout.C:
			return false, nil
		case <-ctx.Done():
			return false, fmt.Errorf("store.WaitForChange: %w", ctx.Err())
		}
	}
}
