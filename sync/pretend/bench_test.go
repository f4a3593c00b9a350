package pretend

import (
	"context"
	"path/filepath"
	"testing"

	"gpkiosk/store/replica"
)

// BenchmarkStart makes the pretend practice and its synced kiosk replica
// (what practice mode does before its first screen), against opening an
// existing replica file in the same run. Target: under 300 ms.
func BenchmarkStart(b *testing.B) {
	ctx := context.Background()
	b.Run("baseline-open-replica", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "device.db")
		r, err := replica.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		r.Close()
		for b.Loop() {
			r, err := replica.Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			r.Close()
		}
	})
	b.Run("make-pretend-practice", func(b *testing.B) {
		dir := b.TempDir()
		for b.Loop() {
			p, err := Open(ctx, dir, nil)
			if err != nil {
				b.Fatal(err)
			}
			p.Close()
		}
	})
	b.Run("reset", func(b *testing.B) {
		p, err := Open(ctx, b.TempDir(), nil)
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		for b.Loop() {
			if err := p.Reset(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
