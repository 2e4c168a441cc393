package wsconform

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// 9.x: limits and performance, scaled down from Autobahn's (which goes
// to 16 MiB): correctness is the verdict, times are reported as notes.
func limitCases(Options) []Case {
	var cs []Case
	sizes := []int{64 << 10, 256 << 10, 1 << 20, 4 << 20}
	kib := func(n int) string {
		if n >= 1<<20 {
			return fmt.Sprintf("%d MiB", n>>20)
		}
		return fmt.Sprintf("%d KiB", n>>10)
	}
	msg := func(d *Driver, op byte, n int) []byte {
		if op == OpText {
			return bytes.Repeat([]byte("*"), n)
		}
		return d.Bytes(n)
	}
	for sub, v := range []struct {
		op   byte
		frag int
	}{{OpText, 0}, {OpBinary, 0}, {OpText, 64 << 10}, {OpBinary, 64 << 10}} {
		kind, how := "text", "in one frame"
		if v.op == OpBinary {
			kind = "binary"
		}
		if v.frag > 0 {
			how = "in fragments of 64 KiB"
		}
		for i, n := range sizes {
			cs = append(cs, Case{ID: id(9, sub+1, i+1), Description: fmt.Sprintf("Send %s message of %s %s.", kind, kib(n), how),
				Run: func(d *Driver) {
					p := msg(d, v.op, n)
					start := time.Now()
					d.SendMessage(v.op, p, v.frag)
					d.ExpectMessage(v.op, p)
					d.timed(start, n)
					d.CloseNormally()
				}})
		}
	}
	chops := []int{64, 128, 256, 512, 1024, 2048}
	for sub, op := range []byte{OpText, OpBinary} {
		kind := "text"
		if op == OpBinary {
			kind = "binary"
		}
		for i, c := range chops {
			cs = append(cs, Case{ID: id(9, 5+sub, i+1), Description: fmt.Sprintf("Send %s message of 1 MiB in one frame, written in chops of %d octets.", kind, c),
				Run: func(d *Driver) {
					p := msg(d, op, 1<<20)
					start := time.Now()
					d.SendChopped(Chop{Size: c}, Frame{Fin: true, Opcode: op, Payload: p})
					d.ExpectMessage(op, p)
					d.timed(start, len(p))
					d.CloseNormally()
				}})
		}
	}
	for sub, op := range []byte{OpText, OpBinary} {
		kind := "text"
		if op == OpBinary {
			kind = "binary"
		}
		for i, n := range []int{0, 16, 64, 256, 1024, 4096} {
			cs = append(cs, Case{ID: id(9, 7+sub, i+1), Description: fmt.Sprintf("Send 1000 %s messages of %d octets, one round trip each.", kind, n),
				Run: func(d *Driver) {
					p := msg(d, op, n)
					start := time.Now()
					for range 1000 {
						d.SendMessage(op, p, 0)
						d.ExpectMessage(op, p)
					}
					d.Note("informational: %v per round trip", (time.Since(start) / 1000).Round(time.Microsecond/10))
					d.CloseNormally()
				}})
		}
	}
	return cs
}

// 10.x: a message the peer must take whole whatever its fragmentation.
func autoFragmentCases(Options) []Case {
	var cs []Case
	unit := "µ@ßöäüàá*"
	text := strings.Repeat(unit, 65536/len(unit))
	p := []byte(text + strings.Repeat("*", 65536-len(text)))
	for i, frag := range []int{1300, 1, 16, 1024, 65535} {
		cs = append(cs, Case{ID: id(10, 1, i+1), Description: fmt.Sprintf("Send a 64 KiB text message (multi-octet UTF-8) in fragments of %d octets: echoed whole.", frag),
			Run: func(d *Driver) {
				d.SendMessage(OpText, p, frag)
				d.ExpectMessage(OpText, p)
				d.CloseNormally()
			}})
	}
	return cs
}
