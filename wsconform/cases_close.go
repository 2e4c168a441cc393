package wsconform

import (
	"bytes"
	"fmt"
	"strings"
)

// 7.x: the closing handshake.
func closeCases(opts Options) []Case {
	payload := []byte("Hello World!")
	cs := []Case{
		{ID: "7.1.1", Description: "Send a message followed by a close frame: echo, then a clean close.", Run: func(d *Driver) {
			d.Send(Text(payload))
			d.ExpectMessage(OpText, payload)
			d.CloseNormally()
		}},
		{ID: "7.1.2", Description: "Send two close frames: the second is ignored.", Run: func(d *Driver) {
			d.SendClose(1000, "")
			d.SendClose(1000, "")
			d.ExpectClose(1000, 1005)
		}},
		{ID: "7.1.3", Description: "Send a ping after the close frame: no pong.", Run: func(d *Driver) {
			d.SendClose(1000, "")
			d.Send(Ping(payload))
			d.ExpectClose(1000, 1005)
		}},
		{ID: "7.1.4", Description: "Send a text message after the close frame: no echo.", Run: func(d *Driver) {
			d.SendClose(1000, "")
			d.Send(Text(payload))
			d.ExpectClose(1000, 1005)
		}},
		{ID: "7.1.5", Description: "Send message fragment 1, a close frame, then fragment 2: no echo.", Run: func(d *Driver) {
			d.Send(Frame{Opcode: OpText, Payload: []byte("fragment1")})
			d.SendClose(1000, "")
			d.Send(Frame{Fin: true, Opcode: OpContinuation, Payload: []byte("fragment2")})
			d.ExpectClose(1000, 1005)
		}},
		{ID: "7.1.6", Description: "Send a 256 KiB message, a close frame, then a ping (implementation-defined: the message may be echoed, no pong may follow the close).",
			Run: func(d *Driver) {
				big := bytes.Repeat([]byte("BAsd7&jh23"), 256<<10/10)
				d.Send(Text(big))
				d.SendClose(1000, "")
				d.Send(Ping(payload))
				var got []string
				for {
					e := d.Next("the close")
					got = append(got, e.String())
					if e.Kind == EvPong {
						d.Fail("pong after the close frame: %s", strings.Join(got, ", "))
					}
					if e.Kind == EvClose || e.Kind == EvTCPClose {
						break
					}
				}
				d.Verdict(Informational, "got %s", strings.Join(got, ", "))
			}},
		{ID: "7.3.1", Description: "Send a close frame with payload length 0 (no code, no reason).", Run: func(d *Driver) {
			d.SendClose(0, "")
			d.ExpectClose(1000, 1005)
		}},
		{ID: "7.3.2", Description: "Send a close frame with payload length 1.", Run: func(d *Driver) {
			d.Send(Frame{Fin: true, Opcode: OpClose, Payload: []byte{0x03}})
			d.ExpectFailure(1002)
		}},
		{ID: "7.3.3", Description: "Send a close frame with payload length 2 (code 1000, no reason).", Run: func(d *Driver) {
			d.SendClose(1000, "")
			d.ExpectClose(1000)
		}},
		{ID: "7.3.4", Description: "Send a close frame with code 1000 and a reason.", Run: func(d *Driver) {
			d.SendClose(1000, "Hello World!")
			d.ExpectClose(1000)
		}},
		{ID: "7.3.5", Description: "Send a close frame with code 1000 and a reason of the maximum length (123).", Run: func(d *Driver) {
			d.SendClose(1000, strings.Repeat("*", 123))
			d.ExpectClose(1000)
		}},
		{ID: "7.3.6", Description: "Send a close frame with code 1000 and a reason of 124 octets (payload 126: too long).", Run: func(d *Driver) {
			d.SendClose(1000, strings.Repeat("*", 124))
			d.ExpectFailure(1002)
		}},
		{ID: "7.5.1", Description: "Send a close frame with a reason that is not UTF-8.", Run: func(d *Driver) {
			d.SendClose(1000, string(kosmeBad))
			d.ExpectFailure(1007)
		}},
	}
	valid := []uint16{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}
	for i, code := range valid {
		cs = append(cs, Case{ID: id(7, 7, i+1), Description: fmt.Sprintf("Send close with valid close code %d: a clean close, echoing it or with 1000.", code),
			Run: func(d *Driver) {
				d.SendClose(code, "")
				d.ExpectClose(code, 1000)
			}})
	}
	invalid := []uint16{0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999}
	for i, code := range invalid {
		cs = append(cs, Case{ID: id(7, 9, i+1), Description: fmt.Sprintf("Send close with invalid close code %d.", code),
			Run: func(d *Driver) {
				d.Send(Frame{Fin: true, Opcode: OpClose, Payload: []byte{byte(code >> 8), byte(code)}})
				d.ExpectFailure(1002)
			}})
	}
	// Beyond Autobahn's list: 1015 must never be sent; 1012–1014 were
	// registered with IANA after RFC 6455, so either answer stands.
	cs = append(cs, Case{ID: "7.9.10", Description: "Send close with invalid close code 1015 (TLS handshake: never sent).", Run: func(d *Driver) {
		d.Send(Frame{Fin: true, Opcode: OpClose, Payload: []byte{1015 >> 8, 1015 & 0xff}})
		d.ExpectFailure(1002)
	}})
	for i, code := range []uint16{1012, 1013, 1014} {
		cs = append(cs, Case{ID: id(7, 9, 11+i), Description: fmt.Sprintf("Send close with close code %d (IANA-registered after RFC 6455: echo or 1002).", code),
			Run: func(d *Driver) {
				d.SendClose(code, "")
				e := d.Next("a close")
				if e.Kind != EvClose || !hasCode([]uint16{code, 1000, 1002}, e.Code) {
					d.Fail("want close %d, 1000 or 1002, got %v", code, e)
				}
				d.Verdict(Informational, "answered close %d", e.Code)
				if e.Code == 1002 {
					d.SendClose(1002, "")
				}
				d.ExpectTCPClose()
			}})
	}
	for i, code := range []uint16{5000, 65535} {
		cs = append(cs, Case{ID: id(7, 13, i+1), Description: fmt.Sprintf("Send close with close code %d (outside the ranges: undefined by the spec).", code),
			Run: func(d *Driver) {
				d.SendClose(code, "")
				e := d.Next("a close")
				d.Verdict(Informational, "got %v", e)
			}})
	}
	return cs
}
