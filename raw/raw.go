// Package raw is lws's raw-skt role: a byte stream served straight on the
// loop, with no protocol on top. A raw protocol is a [loop.Handler]; this
// package holds the ready-made ones.
package raw

import "github.com/golws/golws/loop"

// Echo writes back every byte it reads. Backpressure is the loop's: when
// a peer does not read its echoes, the connection's output reaches
// Config.MaxBuffered and the loop stops reading from that peer until the
// output drains, so memory stays bounded whatever the peer does.
type Echo struct{ loop.BaseHandler }

// OnData echoes data.
func (Echo) OnData(c *loop.Conn, data []byte) {
	if err := c.Write(data); err == loop.ErrBufferFull {
		// Cannot happen while reads pause at the cap; if it does, dropping
		// bytes silently would corrupt the stream, so end it loudly.
		c.Abort()
	}
}
