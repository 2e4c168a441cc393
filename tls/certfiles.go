package tls

import (
	"bytes"
	ctls "crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// CertFiles is a certificate and key loaded from PEM files, kept current:
// Reload re-reads them (keeping the old pair if the new one fails to load
// or does not match), ReloadIfChanged does so only when either file's size or
// modification time changed since the last load. Safe for concurrent use;
// Certificate is lock-free (atomic pointer) because it runs in every handshake.
//
// Typical use:
//
//	cf, err := tls.LoadCertFiles("cert.pem", "key.pem")
//	...
//	cfg := &ctls.Config{GetCertificate: func(*ctls.ClientHelloInfo) (*ctls.Certificate, error) {
//		return cf.Certificate(), nil
//	}}
//
// and call ReloadIfChanged now and then (a timer, SIGHUP, ...).
type CertFiles struct {
	certFile, keyFile string

	mu  sync.Mutex                // serializes loads
	cur atomic.Pointer[certState] // the pair being served; nil only before the first load
}

// certState is one successfully loaded pair. It is immutable once published.
type certState struct {
	cert      *ctls.Certificate
	names     []string
	certStamp fileStamp
	keyStamp  fileStamp
	certPEM   []byte // file contents, to tell a real change from a touch
	keyPEM    []byte
}

// fileStamp is what ReloadIfChanged compares: size and modification time.
type fileStamp struct {
	size  int64
	mod   time.Time
	valid bool // false: unknown or too recent to trust (see racyWindow)
}

// racyWindow: a file whose modification time is this close to the moment it
// was read may be rewritten again within the same timestamp tick (1-2 s on
// some file systems) without its stamp changing. Such a stamp is recorded as
// not valid, so the next ReloadIfChanged reads the files again ("racy git").
const racyWindow = 2 * time.Second

func stampOf(fi os.FileInfo, readAt time.Time) fileStamp {
	mod := fi.ModTime()
	return fileStamp{size: fi.Size(), mod: mod, valid: readAt.Sub(mod) >= racyWindow}
}

func (s fileStamp) same(fi os.FileInfo) bool {
	return s.valid && s.size == fi.Size() && s.mod.Equal(fi.ModTime())
}

// LoadCertFiles loads the PEM certificate chain in certFile and the matching
// private key in keyFile.
func LoadCertFiles(certFile, keyFile string) (*CertFiles, error) {
	c := &CertFiles{certFile: certFile, keyFile: keyFile}
	if err := c.Reload(); err != nil {
		return nil, err
	}
	return c, nil
}

// Certificate returns the pair being served, with Leaf parsed. It is never
// nil after a successful LoadCertFiles. The result is shared: do not modify it.
func (c *CertFiles) Certificate() *ctls.Certificate {
	if s := c.cur.Load(); s != nil {
		return s.cert
	}
	return nil
}

// Reload re-reads both files. If the new pair fails to load, or the key does
// not match the certificate, the old pair stays in service and the error is
// returned.
func (c *CertFiles) Reload() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := c.loadLocked()
	return err
}

// ReloadIfChanged reloads (as Reload) only if either file's size or
// modification time changed since the last successful load. changed reports
// whether a different pair is now being served: a file that was only touched
// is re-read but reports false. After a failed load the files are tried again
// on every call until a load succeeds.
func (c *CertFiles) ReloadIfChanged() (changed bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.cur.Load(); s != nil {
		cfi, cerr := os.Stat(c.certFile)
		kfi, kerr := os.Stat(c.keyFile)
		if cerr == nil && kerr == nil && s.certStamp.same(cfi) && s.keyStamp.same(kfi) {
			return false, nil
		}
	}
	return c.loadLocked()
}

// Names returns the DNS names and IP addresses the leaf certificate covers,
// lowercased: its subject alternative names, or its subject common name if it
// has none. The slice is the caller's.
func (c *CertFiles) Names() []string {
	s := c.cur.Load()
	if s == nil {
		return nil
	}
	return append([]string(nil), s.names...)
}

// loadLocked reads, checks and publishes the pair. changed reports whether
// the published pair differs from the previous one. c.mu must be held.
func (c *CertFiles) loadLocked() (changed bool, err error) {
	// Stat before reading: a write after the stat changes the stamp, so the
	// next ReloadIfChanged sees it even if this read already got the new data.
	readAt := time.Now()
	cfi, err := os.Stat(c.certFile)
	if err != nil {
		return false, fmt.Errorf("tls: certificate: %w", err)
	}
	kfi, err := os.Stat(c.keyFile)
	if err != nil {
		return false, fmt.Errorf("tls: key: %w", err)
	}
	certPEM, err := os.ReadFile(c.certFile)
	if err != nil {
		return false, fmt.Errorf("tls: certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(c.keyFile)
	if err != nil {
		return false, fmt.Errorf("tls: key: %w", err)
	}
	old := c.cur.Load()
	next := &certState{
		certStamp: stampOf(cfi, readAt),
		keyStamp:  stampOf(kfi, readAt),
		certPEM:   certPEM,
		keyPEM:    keyPEM,
	}
	if old != nil && bytes.Equal(old.certPEM, certPEM) && bytes.Equal(old.keyPEM, keyPEM) {
		// Same contents (touched, or a racy stamp re-checked): keep the
		// parsed pair, refresh the stamps.
		next.cert, next.names = old.cert, old.names
		c.cur.Store(next)
		return false, nil
	}
	cert, err := parsePair(certPEM, keyPEM)
	if err != nil {
		return false, fmt.Errorf("tls: loading %s and %s: %w", c.certFile, c.keyFile, err)
	}
	next.cert, next.names = cert, leafNames(cert.Leaf)
	c.cur.Store(next)
	return true, nil
}

// parsePair parses a PEM certificate chain and key, checks that they match,
// and makes sure Leaf is set.
func parsePair(certPEM, keyPEM []byte) (*ctls.Certificate, error) {
	cert, err := ctls.X509KeyPair(certPEM, keyPEM) // checks the key matches
	if err != nil {
		return nil, err
	}
	if cert.Leaf == nil { // GODEBUG=x509keypairleaf=0
		leaf, err := x509.ParseCertificate(cert.Certificate[0])
		if err != nil {
			return nil, err
		}
		cert.Leaf = leaf
	}
	if cert.Leaf == nil {
		return nil, errors.New("no leaf certificate")
	}
	return &cert, nil
}

// leafNames lists the DNS and IP subject alternative names of leaf, or its
// common name if it has none, lowercased and without a trailing dot.
func leafNames(leaf *x509.Certificate) []string {
	var names []string
	for _, n := range leaf.DNSNames {
		names = append(names, normName(n))
	}
	for _, ip := range leaf.IPAddresses {
		names = append(names, ip.String())
	}
	if len(leaf.DNSNames) == 0 && len(leaf.IPAddresses) == 0 && leaf.Subject.CommonName != "" {
		names = append(names, normName(leaf.Subject.CommonName))
	}
	return names
}

func normName(n string) string {
	return strings.TrimSuffix(strings.ToLower(n), ".")
}
