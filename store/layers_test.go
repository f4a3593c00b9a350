package store

import (
	"context"
	"os/exec"
	"strings"
	"testing"
)

// The store speaks the practice's rules, and sync speaks the wire: the
// server maps ops to store requests and store rows to the change feed
// (docs/architecture.md). If the store imported the wire package again,
// every protocol change would land in the store once more. Only the
// device's replica, which keeps the outbox and applies pulled changes, may
// hold wire types.
func TestTheStoreKnowsNothingOfTheWire(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the go command is needed to list imports: %v", err)
	}
	ctx := context.Background()
	list := func(args ...string) []string {
		t.Helper()
		out, err := exec.CommandContext(ctx, "go", append([]string{"list"}, args...)...).Output()
		if err != nil {
			t.Fatalf("go list %v: %v", args, err)
		}
		return strings.Fields(string(out))
	}
	var pkgs []string
	for _, p := range list("gpkiosk/store/...") {
		if p != "gpkiosk/store/replica" {
			pkgs = append(pkgs, p)
		}
	}
	if len(pkgs) < 2 {
		t.Fatalf("found only %v", pkgs)
	}
	for _, p := range pkgs {
		for _, dep := range list("-deps", p) {
			if dep == "gpkiosk/sync" || strings.HasPrefix(dep, "gpkiosk/sync/") || strings.HasPrefix(dep, "gpkiosk/ui") {
				t.Errorf("%s imports %s (directly or through another package)", p, dep)
			}
		}
	}
}
