package ws

import (
	"bytes"
	"compress/flate"
	"strings"
	"testing"
)

// counter is an Events that keeps nothing but counts, as a role that
// hands data on would.
type counter struct{ msgs, bytes, ctl int }

func (c *counter) OnMessage(op OpCode, data []byte, final bool) {
	c.bytes += len(data)
	if final {
		c.msgs++
	}
}
func (c *counter) OnPing([]byte)          { c.ctl++ }
func (c *counter) OnPong([]byte)          { c.ctl++ }
func (c *counter) OnClose(uint16, []byte) { c.ctl++ }

// textStream is a masked 1 KiB text message, fragmented in three, with a
// ping inside.
func textStream() []byte {
	text := []byte(strings.Repeat("Hello-µ@ßöäüàá-UTF-8!! ", 45)[:1024])
	return cat(frame(false, 0, Text, text[:500], true), frame(true, 0, Ping, []byte("ping"), true),
		frame(false, 0, Continuation, text[500:1000], true), frame(true, 0, Continuation, text[1000:], true))
}

// TestZeroAllocs checks that the hot paths allocate nothing: a steady
// stream of messages through a Receiver (in whole pieces and cut in
// two), framing, masking, validation and the accept key.
func TestZeroAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	orig := cat(frame(true, 0, Text, []byte(strings.Repeat("x", 1024)), true), textStream())
	buf := bytes.Clone(orig)
	for _, d := range []Deliver{Whole, Fragments} {
		r := &Receiver{Server: true, Deliver: d}
		c := &counter{}
		copy(buf, orig)
		if _, err := r.Feed(buf, c); err != nil { // warm up: the buffer grows once
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(100, func() {
			copy(buf, orig) // Feed unmasks in place
			if _, err := r.Feed(buf[:700], c); err != nil {
				t.Fatal(err)
			}
			if _, err := r.Feed(buf[700:], c); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 || c.msgs != 2*102 { // AllocsPerRun runs once more to warm up
			t.Errorf("deliver %d: %v allocations per run, %d messages", d, allocs, c.msgs)
		}
	}
	out := make([]byte, 0, 2048)
	payload := make([]byte, 1024)
	key := []byte("dGhlIHNhbXBsZSBub25jZQ==")
	var sink int
	for name, fn := range map[string]func(){
		"AppendFrame":  func() { out = AppendFrame(out[:0], true, Binary, payload, &testKey) },
		"AppendClose":  func() { out = AppendCloseFrame(out[:0], CloseGoingAway, "bye", nil) },
		"ParseHeader":  func() { _, n, _ := ParseHeader(orig); sink += n },
		"MaskBytes":    func() { sink += MaskBytes(testKey, 1, payload) },
		"UTF8":         func() { var u UTF8; u.Write(orig[20:1000]); sink += int(u.need) },
		"ParseClose":   func() { c, _, _ := ParseClose([]byte("\x03\xe8bye")); sink += int(c) },
		"AcceptKey":    func() { out = AcceptKey(out[:0], key) },
		"ValidKey":     func() { _ = ValidKey(key) },
		"Select":       func() { sink += len(SelectProtocol([]byte("chat, superchat"), []string{"superchat"})) },
		"ParseHeaders": func() { _, _, _ = ParseHeader(nil) },
	} {
		if allocs := testing.AllocsPerRun(100, fn); allocs != 0 {
			t.Errorf("%s: %v allocations", name, allocs)
		}
	}
}

// TestDeflateAllocs checks that a steady stream of compressed messages
// (some 20 KiB, text and noise) allocates nothing either, once the
// compressor, the decompressor and the buffers are there.
func TestDeflateAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	msg := []byte(strings.Repeat("Hello-µ@ßöäüàá-UTF-8!! 0123456789 ", 600) + string(AppendFrame(nil, true, Text, make([]byte, 3000), &testKey)))
	for _, noContext := range []bool{false, true} {
		d, _ := NewDeflater(flate.DefaultCompression, noContext)
		r := &Receiver{AllowRSV1: true, Inflater: &Inflater{NoContextTakeover: noContext}}
		c := &counter{}
		var out, z []byte
		run := func() {
			z = d.Deflate(z[:0], msg)
			out = AppendHeader(out[:0], Header{Fin: true, Rsv: Rsv1, Op: Binary, Length: int64(len(z))})
			out = append(out, z...)
			if _, err := r.Feed(out, c); err != nil {
				t.Fatal(err)
			}
		}
		run()
		allocs := testing.AllocsPerRun(100, run)
		if allocs != 0 {
			t.Errorf("no context takeover %v: %v allocations per message", noContext, allocs)
		}
	}
}
