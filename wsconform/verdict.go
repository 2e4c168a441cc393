// Package wsconform is an Autobahn-style WebSocket conformance suite: a
// fuzzing client that runs numbered cases ("1.1.1", "6.4.2", ...)
// against a WebSocket echo endpoint and gives each an Autobahn verdict.
//
// Cases are peer-agnostic: each one is a function over a [Driver] that
// sends raw frames (any FIN, RSV, opcode, payload, masking, written in
// chops with delays) and states what it expects back (messages, pongs, a
// Close frame with one of a set of codes, the TCP close). The driver
// runs over a [Stream], the byte stream left once an opening handshake
// is done: [DialH1] makes one from a net.Conn and an HTTP/1.1 Upgrade; an
// HTTP/2 extended CONNECT stream (RFC 8441) or the accepted side of a
// connection from a WebSocket client under test can be plugged in the
// same way ([RunCases] with [Options.Role]).
//
// The families follow the Autobahn testsuite: 1 framing, 2 ping/pong,
// 3 reserved bits, 4 opcodes, 5 fragmentation, 6 UTF-8, 7 close
// handling, 9 limits (scaled down), 10 auto-fragmentation, 12
// permessage-deflate echoes (RFC 7692; scaled down to 10 messages a
// case) and 13 permessage-deflate parameter negotiation. A case may make
// its own Sec-WebSocket-Extensions offer ([Case.Extensions]); the answer
// is checked against it before the case runs, and with permessage-deflate
// agreed the driver inflates the peer's compressed messages and sends
// compressed ones ([Driver.SendCompressed]).
package wsconform

// Verdict is a case's outcome, as Autobahn names them.
type Verdict string

const (
	OK            Verdict = "OK"            // the peer behaved as the spec requires
	NonStrict     Verdict = "NON-STRICT"    // acceptable but not what the spec prefers (e.g. a TCP drop instead of a Close frame, a late UTF-8 failure)
	Informational Verdict = "INFORMATIONAL" // the spec leaves it open: what happened is reported
	Unimplemented Verdict = "UNIMPLEMENTED" // the peer (or the transport) lacks what the case needs
	Failed        Verdict = "FAILED"        // the peer violated the spec
)

// Verdicts lists the verdicts from best to worst.
var Verdicts = []Verdict{OK, NonStrict, Informational, Unimplemented, Failed}

func (v Verdict) rank() int {
	for i, w := range Verdicts {
		if v == w {
			return i
		}
	}
	return len(Verdicts)
}
