package tls

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// pemPair is a generated certificate and key in PEM.
type pemPair struct {
	cert, key []byte
	leaf      *x509.Certificate
}

// genPair makes a self-signed pair for names (DNS or IP) valid from
// notBefore to notAfter; cn is the subject common name.
func genPair(t testing.TB, cn string, names []string, notBefore, notAfter time.Time) pemPair {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		BasicConstraintsValid: true,
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pemPair{
		cert: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		key:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
		leaf: leaf,
	}
}

func newPair(t testing.TB, cn string, names ...string) pemPair {
	now := time.Now()
	return genPair(t, cn, names, now.Add(-time.Hour), now.Add(24*time.Hour))
}

// writeAt writes data to path and sets its modification time to mod, so
// stamp changes do not depend on the file system's timestamp granularity.
func writeAt(t testing.TB, path string, data []byte, mod time.Time) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}
}

// pairFiles writes p into dir as cert.pem / key.pem, dated mod.
func pairFiles(t testing.TB, dir string, p pemPair, mod time.Time) (certFile, keyFile string) {
	t.Helper()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeAt(t, certFile, p.cert, mod)
	writeAt(t, keyFile, p.key, mod)
	return certFile, keyFile
}

// serving reports whether c serves p's certificate.
func serving(c *CertFiles, p pemPair) bool {
	got := c.Certificate()
	return got != nil && got.Leaf != nil && got.Leaf.Equal(p.leaf)
}
