package wsconform

import (
	"bytes"
	"fmt"
	"time"
)

// Cases is the whole suite, in order. opts.Wait sets the pauses of the
// timing cases.
func Cases(opts Options) []Case {
	opts = opts.withDefaults()
	var cs []Case
	for _, f := range []func(Options) []Case{framingCases, pingCases, reservedCases, opcodeCases,
		fragmentationCases, utf8Cases, closeCases, limitCases, autoFragmentCases, compressionCases, deflateParamCases} {
		cs = append(cs, f(opts)...)
	}
	return cs
}

// echoed expects the peer to echo op/payload (a message sent before a
// violation): if the peer fails the connection instead, the case is
// NON-STRICT, as in Autobahn (it must process frames in order but may
// fail at once).
func (d *Driver) echoed(op byte, payload []byte) {
	e := d.Next("the echo of the valid message")
	if e.Kind == EvClose || e.Kind == EvTCPClose {
		d.Verdict(NonStrict, "failed the connection without echoing the valid message before the violation")
		d.Unread(e)
		return
	}
	d.Unread(e)
	d.ExpectMessage(op, payload)
}

var (
	helloWorld = []byte("Hello, world!")
	someBinary = []byte{0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff}
)

// 1.x: framing — text and binary messages around the length encodings.
func framingCases(Options) []Case {
	var cs []Case
	sizes := []int{0, 125, 126, 127, 128, 65535, 65536}
	for sub, op := range []byte{OpText, OpBinary} {
		kind, fill := "text", byte('*')
		if op == OpBinary {
			kind, fill = "binary", 0xfe
		}
		for i, n := range sizes {
			payload := bytes.Repeat([]byte{fill}, n)
			cs = append(cs, Case{ID: id(1, sub+1, i+1),
				Description: fmt.Sprintf("Send %s message with payload of length %d.", kind, n),
				Run: func(d *Driver) {
					d.SendMessage(op, payload, 0)
					d.ExpectMessage(op, payload)
					d.CloseNormally()
				}})
		}
		payload := bytes.Repeat([]byte{fill}, 65536)
		cs = append(cs, Case{ID: id(1, sub+1, 8),
			Description: fmt.Sprintf("Send %s message with payload of length 65536, sent out in chops of 997 octets.", kind),
			Run: func(d *Driver) {
				d.SendChopped(Chop{Size: 997}, Frame{Fin: true, Opcode: op, Payload: payload})
				d.ExpectMessage(op, payload)
				d.CloseNormally()
			}})
	}
	return cs
}

// 2.x: pings and pongs.
func pingCases(Options) []Case {
	pingPong := func(n int, desc string, payload []byte, c Chop) Case {
		return Case{ID: id(2, n), Description: desc, Run: func(d *Driver) {
			d.SendChopped(c, Ping(payload))
			d.ExpectPong(payload)
			d.CloseNormally()
		}}
	}
	bin125 := bytes.Repeat([]byte{0xfe}, 125)
	cs := []Case{
		pingPong(1, "Send ping without payload.", nil, Chop{}),
		pingPong(2, "Send ping with small text payload.", helloWorld, Chop{}),
		pingPong(3, "Send ping with small binary (non UTF-8) payload.", someBinary, Chop{}),
		pingPong(4, "Send ping with binary payload of 125 octets.", bin125, Chop{}),
		{ID: "2.5", Description: "Send ping with binary payload of 126 octets (control frames carry at most 125).", Run: func(d *Driver) {
			d.Send(Ping(bytes.Repeat([]byte{0xfe}, 126)))
			d.ExpectFailure(1002)
		}},
		pingPong(6, "Send ping with binary payload of 125 octets, sent in octet-wise chops.", bin125, Octetwise),
		{ID: "2.7", Description: "Send unsolicited pong without payload: nothing comes back, then a normal close.", Run: func(d *Driver) {
			d.Send(Pong(nil))
			d.CloseNormally()
		}},
		{ID: "2.8", Description: "Send unsolicited pong with payload: nothing comes back, then a normal close.", Run: func(d *Driver) {
			d.Send(Pong([]byte("unsolicited pong payload")))
			d.CloseNormally()
		}},
		{ID: "2.9", Description: "Send unsolicited pong with payload, then ping with payload: only the ping is answered.", Run: func(d *Driver) {
			d.Send(Pong([]byte("unsolicited pong payload")), Ping([]byte("ping payload")))
			d.ExpectPong([]byte("ping payload"))
			d.CloseNormally()
		}},
	}
	for n, c := range []Chop{{}, Octetwise} {
		desc := "Send 10 pings with payload: 10 pongs, in order."
		if n == 1 {
			desc = "Send 10 pings with payload, sent in octet-wise chops: 10 pongs, in order."
		}
		cs = append(cs, Case{ID: id(2, 10+n), Description: desc, Run: func(d *Driver) {
			var fs []Frame
			for i := range 10 {
				fs = append(fs, Ping([]byte(fmt.Sprintf("payload-%d", i))))
			}
			d.SendChopped(c, fs...)
			for i := range 10 {
				d.ExpectPong([]byte(fmt.Sprintf("payload-%d", i)))
			}
			d.CloseNormally()
		}})
	}
	return cs
}

// 3.x: RSV bits with no extension agreed fail the connection with 1002.
func reservedCases(Options) []Case {
	textThen := func(n int, rsv byte, how string, send func(d *Driver, fs ...Frame)) Case {
		return Case{ID: id(3, n),
			Description: fmt.Sprintf("Send small text message, then again with RSV = %d, then a ping%s.", rsv, how),
			Run: func(d *Driver) {
				bad := Text(helloWorld)
				bad.RSV = rsv
				send(d, Text(helloWorld), bad, Ping(helloWorld))
				d.echoed(OpText, helloWorld)
				d.ExpectFailure(1002)
			}}
	}
	one := func(n int, desc string, f Frame) Case {
		return Case{ID: id(3, n), Description: desc, Run: func(d *Driver) {
			d.Send(f)
			d.ExpectFailure(1002)
		}}
	}
	with := func(f Frame, rsv byte) Frame { f.RSV = rsv; return f }
	return []Case{
		one(1, "Send small text message with RSV = 1.", with(Text(helloWorld), 1)),
		textThen(2, 2, "", func(d *Driver, fs ...Frame) { d.Send(fs...) }),
		textThen(3, 3, ", in frame-wise chops", func(d *Driver, fs ...Frame) { d.SendEach(0, fs...) }),
		textThen(4, 4, ", in octet-wise chops", func(d *Driver, fs ...Frame) { d.SendChopped(Octetwise, fs...) }),
		one(5, "Send small binary message with RSV = 5.", with(Binary(someBinary), 5)),
		one(6, "Send ping with RSV = 6.", with(Ping(helloWorld), 6)),
		one(7, "Send close with RSV = 7.", with(Frame{Fin: true, Opcode: OpClose, Payload: ClosePayload(1000, "")}, 7)),
	}
}

// 4.x: reserved opcodes fail the connection with 1002.
func opcodeCases(Options) []Case {
	var cs []Case
	for sub, ops := range [][]byte{{3, 4, 5, 6, 7}, {11, 12, 13, 14, 15}} {
		kind := "non-control"
		if sub == 1 {
			kind = "control"
		}
		for i, op := range ops {
			var payload []byte
			if i == 1 || i >= 3 {
				payload = []byte("reserved opcode payload")
			}
			bad := Frame{Fin: true, Opcode: op, Payload: payload}
			withPayload := ""
			if payload != nil {
				withPayload = " and non-empty payload"
			}
			c := Case{ID: id(4, sub+1, i+1)}
			if i < 2 {
				c.Description = fmt.Sprintf("Send frame with reserved %s opcode = %d%s.", kind, op, withPayload)
				c.Run = func(d *Driver) {
					d.Send(bad)
					d.ExpectFailure(1002)
				}
			} else {
				c.Description = fmt.Sprintf("Send small text message, then frame with reserved %s opcode = %d%s, then ping.", kind, op, withPayload)
				c.Run = func(d *Driver) {
					d.Send(Text(helloWorld), bad, Ping(helloWorld))
					d.echoed(OpText, helloWorld)
					d.ExpectFailure(1002)
				}
			}
			cs = append(cs, c)
		}
	}
	return cs
}

// 5.x: fragmentation.
func fragmentationCases(opts Options) []Case {
	frag := func(op byte, fin bool, s string) Frame { return Frame{Fin: fin, Opcode: op, Payload: []byte(s)} }
	f1, f2 := frag(OpText, false, "fragment1"), frag(OpContinuation, true, "fragment2")
	whole := []byte("fragment1fragment2")
	pingMe := Ping([]byte("pongme!"))
	type sender func(d *Driver, fs ...Frame)
	oneChop := sender(func(d *Driver, fs ...Frame) { d.Send(fs...) })
	perFrame := sender(func(d *Driver, fs ...Frame) { d.SendEach(opts.Wait/10, fs...) })
	octets := sender(func(d *Driver, fs ...Frame) { d.SendChopped(Octetwise, fs...) })
	fail := func(n int, desc string, send sender, fs ...Frame) Case {
		return Case{ID: id(5, n), Description: desc, Run: func(d *Driver) {
			send(d, fs...)
			d.ExpectFailure(1002)
		}}
	}
	echo := func(n int, desc string, send sender, ping bool) Case {
		return Case{ID: id(5, n), Description: desc, Run: func(d *Driver) {
			if ping {
				send(d, f1, pingMe, f2)
				d.ExpectPong(pingMe.Payload)
			} else {
				send(d, f1, f2)
			}
			d.ExpectMessage(OpText, whole)
			d.CloseNormally()
		}}
	}
	noStart := func(fin bool) []Frame {
		return []Frame{frag(OpContinuation, fin, "non-continuation payload"), Text(helloWorld)}
	}
	cs := []Case{
		fail(1, "Send ping fragmented into 2 fragments.", oneChop, frag(OpPing, false, "fragment1"), f2),
		fail(2, "Send pong fragmented into 2 fragments.", oneChop, frag(OpPong, false, "fragment1"), f2),
		echo(3, "Send text message fragmented into 2 fragments.", oneChop, false),
		echo(4, "Same as 5.3, in octet-wise chops.", octets, false),
		echo(5, "Same as 5.3, one fragment at a time.", perFrame, false),
		echo(6, "Send text message fragmented into 2 fragments, one ping in between.", oneChop, true),
		echo(7, "Same as 5.6, in octet-wise chops.", octets, true),
		echo(8, "Same as 5.6, one fragment at a time.", perFrame, true),
		fail(9, "Send unfragmented text message after a continuation frame with FIN = true where there is nothing to continue, in one chop.", oneChop, noStart(true)...),
		fail(10, "Same as 5.9, in per-frame chops.", perFrame, noStart(true)...),
		fail(11, "Same as 5.9, in octet-wise chops.", octets, noStart(true)...),
		fail(12, "Send unfragmented text message after a continuation frame with FIN = false where there is nothing to continue, in one chop.", oneChop, noStart(false)...),
		fail(13, "Same as 5.12, in per-frame chops.", perFrame, noStart(false)...),
		fail(14, "Same as 5.12, in octet-wise chops.", octets, noStart(false)...),
		{ID: "5.15", Description: "Send text message fragmented into 2 fragments, then a continuation frame with FIN = false where there is nothing to continue, then an unfragmented text message, in one chop.",
			Run: func(d *Driver) {
				d.Send(f1, f2, frag(OpContinuation, false, "fragment3"), frag(OpText, true, "fragment4"))
				d.echoed(OpText, whole)
				d.ExpectFailure(1002)
			}},
	}
	for n, fin := range []bool{false, true} {
		seq := []Frame{frag(OpContinuation, fin, "fragment1"), frag(OpText, false, "fragment2"), frag(OpContinuation, true, "fragment3")}
		cs = append(cs, fail(16+n, fmt.Sprintf("Repeated 2x: continuation frame with FIN = %v (nothing to continue), then text message fragmented into 2 fragments.", fin),
			oneChop, append(seq, seq...)...))
	}
	cs = append(cs, fail(18, "Send text message fragmented into 2 fragments, both frames with opcode text, in one chop.", oneChop,
		frag(OpText, false, "fragment1"), frag(OpText, true, "fragment2")))
	five := func(n int, desc string, send func(d *Driver, f Frame)) Case {
		return Case{ID: id(5, n), Description: desc, Run: func(d *Driver) {
			var msg []byte
			for i := 1; i <= 5; i++ {
				op := OpContinuation
				if i == 1 {
					op = OpText
				}
				p := fmt.Sprintf("fragment%d", i)
				msg = append(msg, p...)
				send(d, frag(op, i == 5, p))
				if i == 2 || i == 4 {
					ping := Ping([]byte(fmt.Sprintf("pongme %d!", i/2)))
					send(d, ping)
					// The pong comes while the message is still open.
					d.ExpectPong(ping.Payload)
				}
				d.Sleep(opts.Wait)
			}
			d.ExpectMessage(OpText, msg)
			d.CloseNormally()
		}}
	}
	cs = append(cs,
		five(19, "Send text message fragmented into 5 fragments, with 2 pings in between, waiting between frames: each pong comes before the message ends.",
			func(d *Driver, f Frame) { d.Send(f) }),
		five(20, "Same as 5.19, each frame in octet-wise chops.",
			func(d *Driver, f Frame) { d.SendChopped(Octetwise, f) }))
	return cs
}

// timed reports how long the echoes took (family 9).
func (d *Driver) timed(start time.Time, bytes int) {
	el := time.Since(start)
	if bytes > 0 && el > 0 {
		d.Note("informational: %v, %.1f MB/s each way", el.Round(time.Microsecond), float64(bytes)/el.Seconds()/1e6)
	} else {
		d.Note("informational: %v", el.Round(time.Microsecond))
	}
}
