package tls

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func readPair(t *testing.T, certFile, keyFile string) (cert, key []byte) {
	t.Helper()
	cert, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	key, err = os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return cert, key
}

func loadLeaf(t *testing.T, certFile, keyFile string) *x509.Certificate {
	t.Helper()
	c, err := LoadCertFiles(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return c.Certificate().Leaf
}

func TestSelfSignedGenerateAndReuse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "selfsigned")
	cf, kf, err := SelfSigned(dir)
	if err != nil {
		t.Fatal(err)
	}
	if cf != filepath.Join(dir, "cert.pem") || kf != filepath.Join(dir, "key.pem") {
		t.Fatalf("paths %s %s", cf, kf)
	}
	leaf := loadLeaf(t, cf, kf)
	if !slices.Equal(leaf.DNSNames, []string{"localhost"}) || len(leaf.IPAddresses) != 2 ||
		!leaf.IPAddresses[0].Equal(net.IPv4(127, 0, 0, 1)) || !leaf.IPAddresses[1].Equal(net.IPv6loopback) {
		t.Fatalf("names %q %v", leaf.DNSNames, leaf.IPAddresses)
	}
	if !leaf.IsCA || !leaf.BasicConstraintsValid {
		t.Fatal("not a CA")
	}
	if leaf.KeyUsage != x509.KeyUsageCertSign|x509.KeyUsageDigitalSignature {
		t.Fatalf("KeyUsage %v", leaf.KeyUsage)
	}
	if !slices.Equal(leaf.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}) {
		t.Fatalf("ExtKeyUsage %v", leaf.ExtKeyUsage)
	}
	pub, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		t.Fatalf("key %T", leaf.PublicKey)
	}
	if d := time.Until(leaf.NotAfter); d < 364*24*time.Hour || d > 366*24*time.Hour {
		t.Fatalf("validity left %v", d)
	}
	if err := leaf.CheckSignatureFrom(leaf); err != nil {
		t.Fatalf("not self-signed: %v", err)
	}
	c1, k1 := readPair(t, cf, kf)

	// Second call (default hosts, or a subset of them, in any form): reused.
	for _, hosts := range [][]string{nil, {"LOCALHOST."}, {"[::1]", "127.0.0.1"}} {
		cf2, kf2, err := SelfSigned(dir, hosts...)
		if err != nil {
			t.Fatal(err)
		}
		if cf2 != cf || kf2 != kf {
			t.Fatalf("paths changed: %s %s", cf2, kf2)
		}
		c2, k2 := readPair(t, cf2, kf2)
		if !bytes.Equal(c1, c2) || !bytes.Equal(k1, k2) {
			t.Fatalf("hosts %q: regenerated, want reused", hosts)
		}
	}

	// A host not covered: regenerated, for exactly the new set.
	cf3, kf3, err := SelfSigned(dir, "example.test", "10.1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	c3, k3 := readPair(t, cf3, kf3)
	if bytes.Equal(c1, c3) || bytes.Equal(k1, k3) {
		t.Fatal("not regenerated for a new host set")
	}
	leaf = loadLeaf(t, cf3, kf3)
	if !slices.Equal(leaf.DNSNames, []string{"example.test"}) || len(leaf.IPAddresses) != 1 || !leaf.IPAddresses[0].Equal(net.ParseIP("10.1.2.3")) {
		t.Fatalf("names %q %v", leaf.DNSNames, leaf.IPAddresses)
	}
	if _, _, err := SelfSigned(dir, "example.test"); err != nil {
		t.Fatal(err)
	}
	if c4, _ := readPair(t, cf3, kf3); !bytes.Equal(c3, c4) {
		t.Fatal("subset regenerated")
	}
}

// writeExpiringSoon crafts a pair in dir, for the default hosts, that expires
// in left.
func writeExpiringSoon(t *testing.T, dir string, left time.Duration) {
	t.Helper()
	dns, ips, err := splitHosts([]string{"localhost", "127.0.0.1", "::1"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := writeSelfSigned(dir, dns, ips, now.Add(-300*24*time.Hour), now.Add(left)); err != nil {
		t.Fatal(err)
	}
}

func TestSelfSignedRegeneratesExpiringSoon(t *testing.T) {
	for _, tc := range []struct {
		left  time.Duration
		regen bool
	}{
		{-time.Hour, true},           // expired
		{10 * 24 * time.Hour, true},  // expires soon
		{29 * 24 * time.Hour, true},  // just under 30 days
		{31 * 24 * time.Hour, false}, // still good
	} {
		dir := t.TempDir()
		writeExpiringSoon(t, dir, tc.left)
		c1, k1 := readPair(t, filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"))
		cf, kf, err := SelfSigned(dir)
		if err != nil {
			t.Fatal(err)
		}
		c2, k2 := readPair(t, cf, kf)
		if regen := !bytes.Equal(c1, c2); regen != tc.regen || regen == bytes.Equal(k1, k2) {
			t.Fatalf("left %v: regenerated %v, want %v", tc.left, regen, tc.regen)
		}
		if left := time.Until(loadLeaf(t, cf, kf).NotAfter); left < 30*24*time.Hour {
			t.Fatalf("left %v: now valid for only %v", tc.left, left)
		}
	}
}

func TestSelfSignedRegeneratesBrokenPair(t *testing.T) {
	dir := t.TempDir()
	cf, kf, err := SelfSigned(dir)
	if err != nil {
		t.Fatal(err)
	}
	other := newPair(t, "x", "localhost", "127.0.0.1", "::1")
	for _, tc := range []struct {
		name      string
		cert, key []byte
	}{
		{"mismatched key", nil, other.key},
		{"garbage cert", []byte("garbage"), nil},
		{"empty key", nil, []byte{}},
	} {
		c0, k0 := readPair(t, cf, kf)
		if tc.cert != nil {
			writeAt(t, cf, tc.cert, time.Now())
		}
		if tc.key != nil {
			writeAt(t, kf, tc.key, time.Now())
		}
		if _, _, err := SelfSigned(dir); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		c1, k1 := readPair(t, cf, kf)
		if bytes.Equal(c0, c1) || bytes.Equal(k0, k1) {
			t.Fatalf("%s: not regenerated", tc.name)
		}
		if _, err := LoadCertFiles(cf, kf); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
}

func TestSelfSignedPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "new")
	cf, kf, err := SelfSigned(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		path string
		perm os.FileMode
	}{{dir, 0o700}, {kf, 0o600}} {
		fi, err := os.Stat(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != f.perm {
			t.Errorf("%s: mode %o, want %o", f.path, got, f.perm)
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 2 {
		t.Errorf("leftover files: %v", ents)
	}

	// A key readable by others is not reused.
	c0, _ := readPair(t, cf, kf)
	if err := os.Chmod(kf, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := SelfSigned(dir); err != nil {
		t.Fatal(err)
	}
	if c1, _ := readPair(t, cf, kf); bytes.Equal(c0, c1) {
		t.Error("key readable by others was reused")
	}
	if fi, err := os.Stat(kf); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key mode after regeneration: %v %v", fi.Mode(), err)
	}

	// A world-writable directory is refused.
	open := filepath.Join(t.TempDir(), "open")
	if err := os.Mkdir(open, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if _, _, err := SelfSigned(open); err == nil || !strings.Contains(err.Error(), "world-writable") {
		t.Errorf("world-writable dir: err = %v", err)
	}
}

func TestSelfSignedErrors(t *testing.T) {
	if _, _, err := SelfSigned(""); err == nil {
		t.Error("empty dir accepted")
	}
	for _, h := range []string{"", "a b", "host:80", "a/b"} {
		if _, _, err := SelfSigned(t.TempDir(), h); err == nil {
			t.Errorf("host %q accepted", h)
		}
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := SelfSigned(file); err == nil {
		t.Error("a file accepted as dir")
	}
}

// Concurrent callers never leave a mismatched or partial pair behind.
// (Callers asking for different hosts rewrite the files under each other:
// the paths one got may hold another's pair by the time it reads them, so
// they all ask for the same hosts here.)
func TestSelfSignedConcurrent(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			hosts := []string{"localhost"}
			for range 3 {
				cf, kf, err := SelfSigned(dir, hosts...)
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := LoadCertFiles(cf, kf); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 2 {
		t.Errorf("leftover files: %v", ents)
	}
}

func TestDefaultCacheDir(t *testing.T) {
	d := DefaultCacheDir()
	if !filepath.IsAbs(d) || filepath.Base(d) != "selfsigned" {
		t.Fatalf("DefaultCacheDir = %q", d)
	}
	if cache, err := os.UserCacheDir(); err == nil && d != filepath.Join(cache, "golws", "selfsigned") {
		t.Fatalf("DefaultCacheDir = %q, cache dir %q", d, cache)
	}
	if runtime.GOOS != "linux" {
		return
	}
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	want := filepath.Join(os.TempDir(), "golws-"+strconv.Itoa(os.Getuid()), "selfsigned")
	if got := DefaultCacheDir(); got != want {
		t.Fatalf("fallback DefaultCacheDir = %q, want %q", got, want)
	}
}
