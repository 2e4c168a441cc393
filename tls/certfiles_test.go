package tls

import (
	"crypto"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLoadCertFiles(t *testing.T) {
	dir := t.TempDir()
	p := newPair(t, "example.com", "Example.COM", "www.example.com", "127.0.0.1", "::1")
	cf, kf := pairFiles(t, dir, p, time.Now().Add(-time.Hour))
	c, err := LoadCertFiles(cf, kf)
	if err != nil {
		t.Fatal(err)
	}
	cert := c.Certificate()
	if cert == nil || cert.Leaf == nil {
		t.Fatal("no certificate or no leaf")
	}
	if !serving(c, p) {
		t.Fatal("wrong certificate")
	}
	if !cert.Leaf.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(cert.PrivateKey.(crypto.Signer).Public()) {
		t.Fatal("key does not match")
	}
	want := []string{"example.com", "www.example.com", "127.0.0.1", "::1"}
	if got := c.Names(); !slices.Equal(got, want) {
		t.Fatalf("Names = %q, want %q", got, want)
	}
	// Names is the caller's copy.
	c.Names()[0] = "mutated"
	if got := c.Names(); got[0] != "example.com" {
		t.Fatalf("Names shares its slice: %q", got)
	}
}

func TestNamesCommonNameFallback(t *testing.T) {
	dir := t.TempDir()
	p := newPair(t, "Legacy.Example.ORG.") // no SANs
	c, err := LoadCertFiles(pairFiles(t, dir, p, time.Now().Add(-time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Names(), []string{"legacy.example.org"}; !slices.Equal(got, want) {
		t.Fatalf("Names = %q, want %q", got, want)
	}
	// SANs present: the CN is not listed.
	p2 := newPair(t, "cn.example.org", "san.example.org")
	c2, err := LoadCertFiles(pairFiles(t, t.TempDir(), p2, time.Now().Add(-time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c2.Names(), []string{"san.example.org"}; !slices.Equal(got, want) {
		t.Fatalf("Names = %q, want %q", got, want)
	}
}

func TestLoadCertFilesErrors(t *testing.T) {
	dir := t.TempDir()
	a, b := newPair(t, "a", "a.test"), newPair(t, "b", "b.test")
	old := time.Now().Add(-time.Hour)
	certA := filepath.Join(dir, "a.crt")
	keyB := filepath.Join(dir, "b.key")
	broken := filepath.Join(dir, "broken.pem")
	writeAt(t, certA, a.cert, old)
	writeAt(t, keyB, b.key, old)
	writeAt(t, broken, []byte("-----BEGIN CERTIFICATE-----\nnot base64\n"), old)
	for _, tc := range []struct{ name, cert, key string }{
		{"missing cert", filepath.Join(dir, "nope.crt"), keyB},
		{"missing key", certA, filepath.Join(dir, "nope.key")},
		{"mismatched key", certA, keyB},
		{"broken cert", broken, keyB},
		{"broken key", certA, broken},
	} {
		c, err := LoadCertFiles(tc.cert, tc.key)
		if err == nil || c != nil {
			t.Errorf("%s: got %v, %v; want an error", tc.name, c, err)
		}
	}
	var zero CertFiles
	if zero.Certificate() != nil || zero.Names() != nil {
		t.Error("zero CertFiles should have no certificate")
	}
}

func TestReloadIfChanged(t *testing.T) {
	dir := t.TempDir()
	base := time.Now().Add(-time.Hour)
	a := newPair(t, "a", "a.test")
	cf, kf := pairFiles(t, dir, a, base)
	c, err := LoadCertFiles(cf, kf)
	if err != nil {
		t.Fatal(err)
	}
	check := func(step string, wantChanged, wantErr bool, want pemPair) {
		t.Helper()
		changed, err := c.ReloadIfChanged()
		if changed != wantChanged || (err != nil) != wantErr {
			t.Fatalf("%s: ReloadIfChanged = %v, %v; want changed=%v err=%v", step, changed, err, wantChanged, wantErr)
		}
		if !serving(c, want) {
			t.Fatalf("%s: serving %v, want %v", step, c.Certificate().Leaf.DNSNames, want.leaf.DNSNames)
		}
	}
	check("unchanged", false, false, a)

	b := newPair(t, "b", "b.test")
	pairFiles(t, dir, b, base.Add(time.Minute))
	check("new pair", true, false, b)
	check("unchanged after reload", false, false, b)
	if got := c.Names(); !slices.Equal(got, []string{"b.test"}) {
		t.Fatalf("Names after reload = %q", got)
	}

	// Touched, same contents: re-read, but nothing changed.
	if err := os.Chtimes(cf, base.Add(2*time.Minute), base.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	check("touched", false, false, b)

	// A broken certificate file keeps the old pair, and keeps failing until fixed.
	writeAt(t, cf, []byte("garbage"), base.Add(3*time.Minute))
	check("broken cert", false, true, b)
	check("still broken", false, true, b)
	if err := c.Reload(); err == nil || !serving(c, b) {
		t.Fatalf("Reload of broken cert: %v", err)
	}

	// A certificate that does not match the key keeps the old pair.
	d := newPair(t, "d", "d.test")
	writeAt(t, cf, d.cert, base.Add(4*time.Minute))
	check("mismatched key", false, true, b)

	// The matching key arrives: picked up.
	writeAt(t, kf, d.key, base.Add(5*time.Minute))
	check("key fixed", true, false, d)

	// A vanished file keeps the old pair.
	if err := os.Remove(kf); err != nil {
		t.Fatal(err)
	}
	check("key removed", false, true, d)
	writeAt(t, kf, d.key, base.Add(6*time.Minute))
	check("key back", false, false, d) // same contents as served
}

// A file rewritten within its timestamp tick, with the same size, must not
// be missed: a load of a recently modified file does not trust its stamp.
func TestReloadIfChangedRacyStamp(t *testing.T) {
	dir := t.TempDir()
	now := time.Now().Truncate(time.Second)
	a := newPair(t, "racy", "racy.test")
	cf, kf := pairFiles(t, dir, a, now)
	c, err := LoadCertFiles(cf, kf)
	if err != nil {
		t.Fatal(err)
	}
	var b pemPair
	for i := 0; ; i++ {
		b = newPair(t, "racy", "racy.test")
		if len(b.cert) == len(a.cert) && len(b.key) == len(a.key) {
			break
		}
		if i == 200 {
			t.Skip("could not make a same-size pair")
		}
	}
	pairFiles(t, dir, b, now) // same sizes, same modification times
	changed, err := c.ReloadIfChanged()
	if err != nil || !changed || !serving(c, b) {
		t.Fatalf("ReloadIfChanged = %v, %v; serving new: %v", changed, err, serving(c, b))
	}
}

// Certificate runs in every handshake while Reload swaps pairs: readers must
// always see a complete, matching pair. Run with -race.
func TestCertFilesConcurrentReload(t *testing.T) {
	dir := t.TempDir()
	pairs := []pemPair{newPair(t, "p0", "p0.test"), newPair(t, "p1", "p1.test")}
	cf, kf := pairFiles(t, dir, pairs[0], time.Now().Add(-time.Hour))
	c, err := LoadCertFiles(cf, kf)
	if err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var reads atomic.Int64
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				cert := c.Certificate()
				if cert == nil || cert.Leaf == nil {
					t.Error("nil certificate or leaf")
					return
				}
				pub := cert.PrivateKey.(crypto.Signer).Public()
				if !cert.Leaf.PublicKey.(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
					t.Error("certificate and key do not match")
					return
				}
				if n := c.Names(); len(n) != 1 {
					t.Errorf("Names = %q", n)
					return
				}
				reads.Add(1)
			}
		})
	}
	// Files are replaced by rename, one after the other, so Reload sees
	// every combination, mismatched ones included.
	var okReloads int
	for i := range 200 {
		p := pairs[i%2]
		for _, f := range []struct {
			path string
			data []byte
		}{{cf, p.cert}, {kf, p.key}} {
			tmp := f.path + ".tmp"
			if err := os.WriteFile(tmp, f.data, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, f.path); err != nil {
				t.Fatal(err)
			}
			if err := c.Reload(); err == nil {
				okReloads++
			}
			if _, err := c.ReloadIfChanged(); err == nil {
				okReloads++
			}
		}
	}
	stop.Store(true)
	wg.Wait()
	if okReloads == 0 || reads.Load() == 0 {
		t.Fatalf("reloads ok %d, reads %d", okReloads, reads.Load())
	}
	if !serving(c, pairs[1]) {
		t.Fatal("not serving the last pair")
	}
}
