//go:build !linux && !darwin && !dragonfly && !freebsd && !netbsd && !openbsd

package poll

// golws needs epoll or kqueue; see the package documentation. Referencing an
// identifier that exists nowhere makes the compiler stop with
//
//	undefined: golws_poll_requires_linux_or_bsd_kqueue
//
// which names the reason, instead of failing later with a confusing list of
// missing methods in the packages that import poll.
var _ = golws_poll_requires_linux_or_bsd_kqueue
