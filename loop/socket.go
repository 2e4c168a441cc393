package loop

import (
	"fmt"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// listenBacklog is the accept queue asked for; the kernel caps it at
// net.core.somaxconn.
const listenBacklog = 4096

// listenTCP opens n listening sockets on addr (n > 1 only with SO_REUSEPORT),
// all on the same port.
func listenTCP(network, addr string, n int) ([]int, net.Addr, error) {
	ta, err := net.ResolveTCPAddr(network, addr)
	if err != nil {
		return nil, nil, err
	}
	if !reusePort {
		n = 1
	}
	family, sa := tcpSockaddr(network, ta)
	var fds []int
	fail := func(err error) ([]int, net.Addr, error) {
		for _, fd := range fds {
			unix.Close(fd)
		}
		return nil, nil, fmt.Errorf("loop: listen %s %s: %w", network, addr, err)
	}
	for i := 0; i < n; i++ {
		fd, err := sysSocket(family, unix.SOCK_STREAM)
		if err != nil {
			return fail(err)
		}
		fds = append(fds, fd)
		unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
		if reusePort {
			if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1); err != nil {
				return fail(err)
			}
		}
		if family == unix.AF_INET6 {
			// ":port" on "tcp" serves IPv4 too, as net.Listen does.
			v6only := 0
			if network == "tcp6" || (ta.IP != nil && !ta.IP.IsUnspecified()) {
				v6only = 1
			}
			unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, v6only)
		}
		if err := unix.Bind(fd, sa); err != nil {
			return fail(err)
		}
		if i == 0 {
			// Port 0 gives the first socket a port; the others join it.
			got, err := unix.Getsockname(fd)
			if err != nil {
				return fail(err)
			}
			sa = got
		}
		if err := unix.Listen(fd, listenBacklog); err != nil {
			return fail(err)
		}
	}
	return fds, sockaddrToAddr(sa), nil
}

// tcpSockaddr picks the socket family for ta: IPv6 for IPv6 addresses and
// for a wildcard on "tcp" (dual-stack), IPv4 otherwise.
func tcpSockaddr(network string, ta *net.TCPAddr) (int, unix.Sockaddr) {
	if ip4 := ta.IP.To4(); ip4 != nil && network != "tcp6" {
		sa := &unix.SockaddrInet4{Port: ta.Port}
		copy(sa.Addr[:], ip4)
		return unix.AF_INET, sa
	}
	if ta.IP == nil && (network == "tcp4" || !ipv6Available()) {
		return unix.AF_INET, &unix.SockaddrInet4{Port: ta.Port}
	}
	sa := &unix.SockaddrInet6{Port: ta.Port}
	copy(sa.Addr[:], ta.IP.To16())
	if ta.Zone != "" {
		if ifi, err := net.InterfaceByName(ta.Zone); err == nil {
			sa.ZoneId = uint32(ifi.Index)
		}
	}
	return unix.AF_INET6, sa
}

func ipv6Available() bool {
	fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_STREAM, 0)
	if err != nil {
		return false
	}
	unix.Close(fd)
	return true
}

// listenUnix opens a unix-socket listener. A stale socket file left by a
// previous run is removed first (as lws does); any other file is an error.
func listenUnix(path string) ([]int, net.Addr, error) {
	if path != "" && path[0] != '@' {
		if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
			os.Remove(path)
		}
	}
	fd, err := sysSocket(unix.AF_UNIX, unix.SOCK_STREAM)
	if err != nil {
		return nil, nil, err
	}
	if err := unix.Bind(fd, &unix.SockaddrUnix{Name: path}); err != nil {
		unix.Close(fd)
		return nil, nil, fmt.Errorf("loop: listen unix %s: %w", path, err)
	}
	if err := unix.Listen(fd, listenBacklog); err != nil {
		unix.Close(fd)
		return nil, nil, fmt.Errorf("loop: listen unix %s: %w", path, err)
	}
	return []int{fd}, &net.UnixAddr{Name: path, Net: "unix"}, nil
}

func sockaddrToAddr(sa unix.Sockaddr) net.Addr {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return &net.TCPAddr{IP: net.IP(append([]byte(nil), sa.Addr[:]...)), Port: sa.Port}
	case *unix.SockaddrInet6:
		a := &net.TCPAddr{IP: net.IP(append([]byte(nil), sa.Addr[:]...)), Port: sa.Port}
		if sa.ZoneId != 0 {
			if ifi, err := net.InterfaceByIndex(int(sa.ZoneId)); err == nil {
				a.Zone = ifi.Name
			}
		}
		return a
	case *unix.SockaddrUnix:
		return &net.UnixAddr{Name: sa.Name, Net: "unix"}
	}
	return nil
}
