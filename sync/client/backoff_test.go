package client_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"gpkiosk/sync/client"
)

// The protocol's backoff: steps 0.5 s doubling to a 60 s cap, each wait a
// random 50–100 % of its step, whatever the random source says.
func TestBackoffSequenceBounds(t *testing.T) {
	steps := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second,
		8 * time.Second, 16 * time.Second, 32 * time.Second, 60 * time.Second, 60 * time.Second, 60 * time.Second}
	sources := map[string]func() float64{
		"lowest":  func() float64 { return 0 },
		"highest": func() float64 { return 0.9999999 },
		"random":  rand.New(rand.NewPCG(1, 2)).Float64,
		"faulty":  func() float64 { return 7 },
	}
	for name, src := range sources {
		t.Run(name, func(t *testing.T) {
			b := client.NewBackoff(0, 0, src) // defaults
			for i, step := range steps {
				got := b.Next(0)
				if got < step/2 || got > step {
					t.Errorf("wait %d = %v, want within [%v, %v]", i, got, step/2, step)
				}
			}
			b.Reset()
			if got := b.Next(0); got < 250*time.Millisecond || got > 500*time.Millisecond {
				t.Errorf("after Reset wait = %v, want within [250ms, 500ms]", got)
			}
		})
	}
}

func TestBackoffJitterFollowsSource(t *testing.T) {
	b := client.NewBackoff(time.Second, 8*time.Second, func() float64 { return 0.5 })
	for i, want := range []time.Duration{750 * time.Millisecond, 1500 * time.Millisecond, 3 * time.Second, 6 * time.Second, 6 * time.Second} {
		if got := b.Next(0); got != want {
			t.Errorf("wait %d = %v, want %v", i, got, want)
		}
	}
	if b.Max() != 8*time.Second {
		t.Errorf("Max = %v", b.Max())
	}
}

// A server's Retry-After wins when it is longer than the backoff, and does
// not shorten a longer backoff.
func TestBackoffRetryAfter(t *testing.T) {
	b := client.NewBackoff(time.Second, time.Minute, func() float64 { return 0 })
	if got := b.Next(10 * time.Second); got != 10*time.Second {
		t.Errorf("Next(Retry-After 10s) = %v, want 10s", got)
	}
	for range 5 {
		b.Next(0) // step now at the 60 s cap
	}
	if got := b.Next(2 * time.Second); got != 30*time.Second {
		t.Errorf("Next(Retry-After 2s) at the cap = %v, want the 30s backoff", got)
	}
}
