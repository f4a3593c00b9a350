package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// The files --tls DIR holds.
const (
	tlsCertName = "server.crt"
	tlsKeyName  = "server.key"
)

// selfSignedLifetime is how long a certificate the server makes for itself
// is valid. Devices trust it by its pin, not its dates, and replacing it
// means setting up every device again, so it is made to outlast the
// hardware.
const selfSignedLifetime = 20 * 365 * 24 * time.Hour

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
	certPEM, keyPEM, err := newSelfSigned(extraHosts, time.Now())
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

// newSelfSigned makes a PEM certificate and PKCS #8 key.
func newSelfSigned(extraHosts []string, now time.Time) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("new key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, fmt.Errorf("serial number: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "GP Kiosk practice server", Organization: []string{"GP Kiosk"}},
		NotBefore:             now.Add(-time.Hour), // a device clock a little behind still accepts it
		NotAfter:              now.Add(selfSignedLifetime),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	hosts := []string{"127.0.0.1", "::1", "localhost"}
	if h, err := os.Hostname(); err == nil && h != "" {
		hosts = append(hosts, h)
	}
	seen := map[string]bool{}
	for _, h := range append(hosts, extraHosts...) {
		if h == "" || seen[h] {
			continue
		}
		seen[h] = true
		if ip := net.ParseIP(h); ip != nil {
			if !ip.IsUnspecified() {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			}
			continue
		}
		tmpl.DNSNames = append(tmpl.DNSNames, h)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("new certificate: %w", err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("new key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), nil
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
