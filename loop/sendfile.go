package loop

import (
	"golang.org/x/sys/unix"
)

// SendFile sends up to n bytes of the file fd from offset off straight from
// the page cache (sendfile(2)): no copy through user space. What Write has
// queued before goes first; if any of it is still waiting, SendFile sends
// nothing and returns 0. It returns how much the kernel took; when that is
// less than n, call RequestWritable and continue from OnWritable, which
// comes once the socket has drained. Plaintext sockets only: on a TLS
// connection the bytes must pass through the record layer.
func (c *Conn) SendFile(fd int, off int64, n int) (int, error) {
	if c.flags&writeBlocked != 0 {
		return 0, ErrClosed
	}
	if c.codec != nil {
		return 0, ErrNotSupported
	}
	l := c.loop
	if l.cur == c && len(l.stage) > 0 {
		l.writeThrough(c, nil) // the head in front of the file leaves first
		if c.flags&fBroken != 0 {
			return 0, c.closeErr
		}
	}
	if !c.out.Empty() {
		return 0, nil
	}
	if n <= 0 {
		return 0, nil
	}
	written, err := unix.Sendfile(int(c.fd), fd, &off, n)
	if err == unix.EINTR {
		written, err = 0, nil
	}
	if err == unix.EAGAIN {
		written, err = 0, nil
	}
	if err != nil {
		c.flags |= fBroken
		c.closeErr = err
		l.markDirty(c)
		return 0, err
	}
	if written < n {
		c.flags |= fWaitOut
		l.markDirty(c) // arm write interest at the end of the callback
	}
	return written, nil
}
