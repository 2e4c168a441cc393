package tls

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

const (
	selfSignedCert     = "cert.pem"
	selfSignedKey      = "key.pem"
	selfSignedValidity = 365 * 24 * time.Hour
	selfSignedMinLeft  = 30 * 24 * time.Hour // regenerate when less is left
	selfSignedBackdate = time.Hour           // NotBefore slack for clock skew
)

// selfSignedMu serializes SelfSigned within the process: cert.pem and key.pem
// are replaced one after the other, and two interleaved generations could
// leave a certificate next to another generation's key.
var selfSignedMu sync.Mutex

// SelfSigned returns the paths of a self-signed certificate and key (ECDSA
// P-256, PEM) for hosts (default: localhost, 127.0.0.1, ::1), kept in dir
// (created 0700; key file 0600) as cert.pem / key.pem: generated on first
// use, reused while it covers the hosts and stays valid for at least 30 more
// days, regenerated otherwise. Validity: 1 year. The certificate is its
// own CA (IsCA, KeyUsageCertSign|DigitalSignature, ExtKeyUsageServerAuth), so a
// client can trust it by adding cert.pem to its pool. Concurrent callers in one
// process must not corrupt the files (write to a temp file + rename).
//
// Hosts are DNS names or IP addresses ("[::1]" is accepted too); they are
// lowercased. A pair is also regenerated if the key does not match the
// certificate or, on Unix, if the key file is readable by others. On Unix an
// existing dir must be owned by the current user (or root) and not be
// world-writable, otherwise SelfSigned fails rather than trust its contents.
// Files are written and renamed into place, so readers never see a partial
// file; processes racing on one dir at first use are detected (a mismatched
// pair is regenerated) rather than excluded.
func SelfSigned(dir string, hosts ...string) (certFile, keyFile string, err error) {
	if dir == "" {
		return "", "", errors.New("tls: SelfSigned: empty directory")
	}
	if len(hosts) == 0 {
		hosts = []string{"localhost", "127.0.0.1", "::1"}
	}
	dnsNames, ips, err := splitHosts(hosts)
	if err != nil {
		return "", "", err
	}
	certFile = filepath.Join(dir, selfSignedCert)
	keyFile = filepath.Join(dir, selfSignedKey)

	selfSignedMu.Lock()
	defer selfSignedMu.Unlock()

	if err := ensureDir(dir); err != nil {
		return "", "", err
	}
	// A few rounds: another process may be writing the same dir.
	for range 3 {
		if selfSignedUsable(certFile, keyFile, dnsNames, ips, time.Now()) {
			return certFile, keyFile, nil
		}
		now := time.Now()
		if err := writeSelfSigned(dir, dnsNames, ips, now.Add(-selfSignedBackdate), now.Add(selfSignedValidity)); err != nil {
			return "", "", err
		}
	}
	if selfSignedUsable(certFile, keyFile, dnsNames, ips, time.Now()) {
		return certFile, keyFile, nil
	}
	return "", "", fmt.Errorf("tls: SelfSigned: %s keeps changing under us", dir)
}

// DefaultCacheDir is where SelfSigned keeps its files by default:
// os.UserCacheDir()/golws/selfsigned (falling back to os.TempDir()/golws-<uid>/selfsigned).
func DefaultCacheDir() string {
	if d, err := os.UserCacheDir(); err == nil && d != "" {
		return filepath.Join(d, "golws", "selfsigned")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("golws-%d", os.Getuid()), "selfsigned")
}

// splitHosts normalizes hosts into DNS names and IP addresses, deduplicated.
func splitHosts(hosts []string) (dnsNames []string, ips []net.IP, err error) {
	seen := make(map[string]bool, len(hosts))
	for _, h := range hosts {
		h = strings.TrimSpace(h)
		if len(h) > 2 && h[0] == '[' && h[len(h)-1] == ']' {
			h = h[1 : len(h)-1]
		}
		if ip := net.ParseIP(h); ip != nil {
			if ip4 := ip.To4(); ip4 != nil {
				ip = ip4
			}
			if k := ip.String(); !seen[k] {
				seen[k] = true
				ips = append(ips, ip)
			}
			continue
		}
		h = normName(h)
		if h == "" || strings.ContainsAny(h, " /\\:[]") {
			return nil, nil, fmt.Errorf("tls: SelfSigned: invalid host %q", h)
		}
		if !seen[h] {
			seen[h] = true
			dnsNames = append(dnsNames, h)
		}
	}
	return dnsNames, ips, nil
}

// ensureDir creates dir (0700) if needed and, if it exists, checks it is safe
// to trust.
func ensureDir(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("tls: SelfSigned: %w", err)
		}
		// MkdirAll is subject to the umask; make the leaf exactly 0700.
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("tls: SelfSigned: %w", err)
		}
		fi, err = os.Stat(dir)
	}
	if err != nil {
		return fmt.Errorf("tls: SelfSigned: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("tls: SelfSigned: %s is not a directory", dir)
	}
	if err := checkDir(fi); err != nil {
		return fmt.Errorf("tls: SelfSigned: %s: %w", dir, err)
	}
	return nil
}

// selfSignedUsable reports whether the pair on disk can be reused at now.
func selfSignedUsable(certFile, keyFile string, dnsNames []string, ips []net.IP, now time.Time) bool {
	kfi, err := os.Stat(keyFile)
	if err != nil || !kfi.Mode().IsRegular() || !keyFileSecure(kfi) {
		return false
	}
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return false
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return false
	}
	cert, err := parsePair(certPEM, keyPEM)
	if err != nil {
		return false
	}
	leaf := cert.Leaf
	if !leaf.IsCA || now.Before(leaf.NotBefore) || leaf.NotAfter.Sub(now) < selfSignedMinLeft {
		return false
	}
	have := make(map[string]bool, len(leaf.DNSNames))
	for _, n := range leaf.DNSNames {
		have[normName(n)] = true
	}
	for _, n := range dnsNames {
		if !have[n] {
			return false
		}
	}
	for _, ip := range ips {
		found := false
		for _, lip := range leaf.IPAddresses {
			if lip.Equal(ip) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// writeSelfSigned generates a key and a self-signed CA certificate for the
// given names, valid from notBefore to notAfter, and renames them into
// dir/key.pem and dir/cert.pem.
func writeSelfSigned(dir string, dnsNames []string, ips []net.IP, notBefore, notAfter time.Time) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("tls: SelfSigned: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return fmt.Errorf("tls: SelfSigned: %w", err)
	}
	cn := "golws self-signed"
	if len(dnsNames) > 0 && len(dnsNames[0]) <= 64 {
		cn = dnsNames[0]
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"golws development"}, CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:              dnsNames,
		IPAddresses:           ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return fmt.Errorf("tls: SelfSigned: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return fmt.Errorf("tls: SelfSigned: %w", err)
	}
	// Key first: a reader that sees the new certificate also sees its key.
	if err := writeFileAtomic(dir, selfSignedKey, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return err
	}
	return writeFileAtomic(dir, selfSignedCert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

// writeFileAtomic writes data to a temporary file in dir and renames it to
// dir/name, so dir/name is always either the old or the new file, complete.
func writeFileAtomic(dir, name string, data []byte, perm os.FileMode) (err error) {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp") // created 0600
	if err != nil {
		return fmt.Errorf("tls: SelfSigned: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
			err = fmt.Errorf("tls: SelfSigned: %w", err)
		}
	}()
	if _, err = f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err = f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, name))
}
