package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"gpkiosk/sync/server"
)

// The files --tls DIR holds.
const (
	tlsCertName = "server.crt"
	tlsKeyName  = "server.key"
)

// tlsFiles are the certificate and key in a --tls folder.
func tlsFiles(dir string) (certFile, keyFile string) {
	return filepath.Join(dir, tlsCertName), filepath.Join(dir, tlsKeyName)
}

// ensureSelfSigned returns the certificate and key in dir, making a
// self-signed ECDSA P-256 pair on first use: the key readable by this user
// only, the certificate naming 127.0.0.1, ::1, localhost, this machine's
// host name and any extra hosts (the --listen address). Later calls reuse
// the pair, because enrolled devices pin that certificate. Half a pair is
// refused rather than replaced.
func ensureSelfSigned(dir string, extraHosts []string, log *slog.Logger) (certFile, keyFile string, err error) {
	const op = "make the server certificate"
	certFile, keyFile = tlsFiles(dir)
	certErr, keyErr := statFile(certFile), statFile(keyFile)
	switch {
	case certErr == nil && keyErr == nil:
		if info, err := os.Stat(keyFile); err == nil && info.Mode().Perm()&0o077 != 0 {
			log.Warn("the server's private key can be read by other users; chmod 600 it", "file", keyFile)
		}
		return certFile, keyFile, nil
	case errors.Is(certErr, fs.ErrNotExist) && errors.Is(keyErr, fs.ErrNotExist):
		// First start: make them below.
	case certErr != nil && !errors.Is(certErr, fs.ErrNotExist):
		return "", "", fmt.Errorf("%s: %w", op, certErr)
	case keyErr != nil && !errors.Is(keyErr, fs.ErrNotExist):
		return "", "", fmt.Errorf("%s: %w", op, keyErr)
	default:
		return "", "", fmt.Errorf("%s: %s holds only one of %s and %s; put the missing one back, or move both away to make a new pair (every device must then be set up again)",
			op, dir, tlsCertName, tlsKeyName)
	}

	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("%s: %w", op, err)
	}
	certPEM, keyPEM, err := server.NewSelfSignedCert(extraHosts, time.Now())
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", op, err)
	}
	// The key first: a certificate on disk always has its key.
	if err := writeNew(keyFile, keyPEM, 0o600); err != nil {
		return "", "", fmt.Errorf("%s: %w", op, err)
	}
	if err := writeNew(certFile, certPEM, 0o644); err != nil {
		return "", "", fmt.Errorf("%s: %w", op, err)
	}
	pin, err := certPin(certFile)
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", op, err)
	}
	log.Info("made a self-signed certificate for this server; devices pin it when they enrol", "cert", certFile, "pin", pin)
	return certFile, keyFile, nil
}

// statFile is os.Stat's error, or an error when path is not a regular file.
func statFile(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a file", path)
	}
	return nil
}

// writeNew writes data to a new file at path with mode perm, through a
// temporary file in the same folder, so a crash never leaves half a file
// and an existing file is never overwritten.
func writeNew(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once linked into place
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// A hard link fails if path exists, unlike a rename.
	if err := os.Link(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
