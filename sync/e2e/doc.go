// Package e2e holds the end-to-end sync tests: the real practice server,
// real device replicas and the real client, joined through a fault proxy.
package e2e
