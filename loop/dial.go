package loop

import (
	"fmt"
	"io"
	"net"

	"golang.org/x/sys/unix"
)

// Dial opens an outgoing connection ("tcp", "tcp4", "tcp6" or "unix") on
// one of the loops, served by h: OnOpen once connected, or OnClose with the
// error if the connect fails or exceeds Config.ConnectTimeout. Name
// resolution happens here, in the caller, before anything reaches a loop:
// call Dial with a host name from a goroutine of your own, not from a
// handler.
func (e *Engine) Dial(network, addr string, h Handler) error {
	return e.pick().Dial(network, addr, h)
}

// Dial is Engine.Dial on this loop.
func (l *Loop) Dial(network, addr string, h Handler) error {
	var family int
	var sa unix.Sockaddr
	switch network {
	case "tcp", "tcp4", "tcp6":
		ta, err := net.ResolveTCPAddr(network, addr)
		if err != nil {
			return err
		}
		if ta.IP == nil {
			ta.IP = net.IPv4(127, 0, 0, 1)
		}
		family, sa = tcpSockaddr(network, ta)
	case "unix":
		family, sa = unix.AF_UNIX, &unix.SockaddrUnix{Name: addr}
	default:
		return fmt.Errorf("loop: dial: unsupported network %q", network)
	}
	if !l.e.reserve() {
		return fmt.Errorf("loop: dial %s: connection limit reached", addr)
	}
	fd, err := sysSocket(family, unix.SOCK_STREAM)
	if err != nil {
		l.e.connClosed()
		return err
	}
	if family != unix.AF_UNIX {
		unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	}
	err = unix.Connect(fd, sa)
	if err != nil && err != unix.EINPROGRESS && err != unix.EINTR && err != unix.EAGAIN {
		unix.Close(fd)
		l.e.connClosed()
		return fmt.Errorf("loop: dial %s %s: %w", network, addr, err)
	}
	// Even a connect that completed at once (unix sockets) is opened on
	// the loop, so OnOpen always runs there.
	if err := l.Post(func() { l.register(fd, h, true) }); err != nil {
		unix.Close(fd)
		l.e.connClosed()
		return err
	}
	return nil
}

// connectDone finishes a non-blocking connect when the socket turns
// writable (or errs).
func (l *Loop) connectDone(c *Conn) {
	if err := sockError(int(c.fd)); err != io.EOF {
		l.finalize(c, err)
		return
	}
	c.flags &^= fConnecting
	l.wheel.Cancel(&c.timer)
	l.open(c)
	l.syncInterest(c)
}

// sockError is the socket's pending error (SO_ERROR), or io.EOF if none.
func sockError(fd int) error {
	soErr, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	switch {
	case err != nil:
		return err
	case soErr != 0:
		return unix.Errno(soErr)
	}
	return io.EOF
}
