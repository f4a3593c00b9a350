package client

import (
	"math/rand/v2"
	"time"
)

// Backoff defaults from docs/sync-protocol.md.
const (
	DefaultBackoffBase = 500 * time.Millisecond
	DefaultBackoffMax  = 60 * time.Second
)

// Backoff is capped, jittered exponential backoff: the step starts at base
// and doubles to at most max, and each wait is a random 50–100 % of the
// step, so devices that lost the server together do not return together.
// It is not safe for concurrent use; a Runner owns one.
type Backoff struct {
	base, max time.Duration
	rand      func() float64
	step      time.Duration
}

// NewBackoff returns a Backoff. base or ceiling <= 0 take the defaults;
// rnd returns values in [0, 1) and may be nil for math/rand/v2's Float64
// (tests pass their own to fix the jitter).
func NewBackoff(base, ceiling time.Duration, rnd func() float64) *Backoff {
	if base <= 0 {
		base = DefaultBackoffBase
	}
	if ceiling <= 0 {
		ceiling = DefaultBackoffMax
	}
	if rnd == nil {
		rnd = rand.Float64
	}
	return &Backoff{base: base, max: max(base, ceiling), rand: rnd, step: base}
}

// Next returns how long to wait before the next attempt and doubles the
// step. retryAfter is the server's Retry-After (0 if none); the wait is
// never shorter than it.
func (b *Backoff) Next(retryAfter time.Duration) time.Duration {
	f := b.rand()
	if f < 0 || f >= 1 || f != f { // a faulty source must not stretch the bounds
		f = 0.5
	}
	wait := b.step/2 + time.Duration(f*float64(b.step/2))
	b.step = min(b.step*2, b.max)
	return max(wait, retryAfter)
}

// Reset starts the sequence again, after a success.
func (b *Backoff) Reset() { b.step = b.base }

// Max is the cap of the step.
func (b *Backoff) Max() time.Duration { return b.max }
