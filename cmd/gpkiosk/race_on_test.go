//go:build race

package main

// raceEnabled tells the smoke test to build the binaries with -race too, so
// they reuse the race-instrumented cgo build already in the cache.
const raceEnabled = true
