// Package tls is golws's TLS support, built on the stock crypto/tls.
//
// It has two parts:
//
//   - certificates (this part): CertFiles keeps a certificate and key loaded
//     from PEM files current (Reload, ReloadIfChanged) and hands the pair to
//     every handshake without locking; SelfSigned generates and caches a
//     self-signed development certificate; ServerNameMatch matches a TLS
//     server name (SNI) against a certificate name, wildcards included.
//   - the loop integration: Server runs each handshake in a bounded pool of
//     goroutines, off the event loop, fed by the loop; once it is done the
//     connection returns to its loop, where a loop.Codec reads and writes
//     the records with the stock crypto/tls (a crypto/tls Conn keeps a
//     partial record and stays usable after a read error whose Temporary()
//     is true, which is what an exhausted input returns).
//
// Inside this package the standard library's crypto/tls is imported as ctls.
package tls
