package loop

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"
)

// xorCodec is a toy codec: every byte XOR 0x5a both ways. It delivers at
// most 1000 bytes a call, like a record layer one record at a time, and
// keeps the rest, as a real codec must.
type xorCodec struct{ held []byte }

func (x *xorCodec) Decode(c *Conn, in, out []byte) ([]byte, bool, error) {
	x.held = append(x.held, in...)
	n := copy(out[:min(len(out), 1000)], x.held)
	for i := range out[:n] {
		out[i] ^= 0x5a
	}
	x.held = x.held[:copy(x.held, x.held[n:])]
	return out[:n], len(x.held) > 0, nil
}

func (x *xorCodec) Encode(dst, p []byte) ([]byte, error) {
	for _, b := range p {
		dst = append(dst, b^0x5a)
	}
	return dst, nil
}

func xor(p []byte) []byte {
	q := bytes.Clone(p)
	for i := range q {
		q[i] ^= 0x5a
	}
	return q
}

// codecEcho echoes what it decodes; after "pause" it pauses reading for
// a while, so that input piles up in the codec and must come out in order.
type codecEcho struct{ BaseHandler }

func (codecEcho) OnOpen(c *Conn) { c.SetCodec(&xorCodec{}) }

func (codecEcho) OnData(c *Conn, data []byte) {
	c.WriteAll(data)
	if bytes.Contains(data, []byte("pause")) {
		c.PauseRead()
		go func() {
			time.Sleep(50 * time.Millisecond)
			c.Post(func(c *Conn, err error) {
				if err == nil {
					c.ResumeRead()
				}
			})
		}()
	}
}

// TestCodec: bytes pass through a codec both ways, in order, across a
// pause with input held by the codec, and for large writes that do not fit
// the stage.
func TestCodec(t *testing.T) {
	e := newEngine(t, Config{Loops: 1, ReadBufferSize: 4096})
	ln, err := e.Listen("tcp4", "127.0.0.1:0", codecEcho{})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	var want []byte
	send := func(p []byte) {
		want = append(want, p...)
		if _, err := conn.Write(xor(p)); err != nil {
			t.Fatal(err)
		}
	}
	// One write: the read that carries "pause" carries more, which the
	// codec must hold until reading resumes.
	send(append([]byte("hello pause"), bytes.Repeat([]byte("while paused "), 1000)...))
	send(bytes.Repeat([]byte("0123456789"), 20000)) // over the stage: writeThrough path
	got := make([]byte, len(want))
	if _, err := io.ReadFull(conn, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(xor(got), want) {
		t.Fatal("echo through the codec differs")
	}
	if _, err := (&Conn{codec: &xorCodec{}}).SendFile(0, 0, 1); err != ErrNotSupported {
		t.Fatalf("SendFile with a codec: %v", err)
	}
}
