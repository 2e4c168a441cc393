// Package poll is the bottom of the golws reactor: a single, level-triggered
// readiness poller with a built-in wake-up channel.
//
// One Poller wraps one kernel readiness queue:
//
//   - Linux (and Android): epoll, woken through an eventfd.
//   - darwin (macOS, iOS), FreeBSD, DragonFly BSD: kqueue, woken through an
//     EVFILT_USER event triggered with NOTE_TRIGGER.
//   - NetBSD, OpenBSD: kqueue, woken through a non-blocking self-pipe, because
//     golang.org/x/sys/unix (v0.50.0) has no EVFILT_USER for them (OpenBSD has
//     none at all, NetBSD only from release 10).
//
// Every other GOOS (windows, plan9, js, wasip1, aix, solaris, illumos, ...)
// is deliberately refused at compile time: the build stops with
// "undefined: golws_poll_requires_linux_or_bsd_kqueue". A silent fallback
// (say, to poll(2) or to one goroutine per fd) would change the performance
// model the rest of golws is built on, so we would rather fail loudly.
//
// Level-triggered means an fd keeps being reported for as long as it stays
// ready, so a consumer may stop reading early and still hear about the rest
// on the next Wait. It also means an fd that is writable but has nothing to
// write must drop Write interest, or every Wait returns immediately.
//
// Concurrency: Add, Modify, Delete, Wait and Close belong to the goroutine
// that owns the loop. Wake is the one method that any goroutine may call at
// any time, including concurrently with Wait and after Close.
//
// Platform differences a caller may notice:
//   - epoll always reports hang-up and error conditions, even for an fd
//     registered with Interest 0; kqueue reports nothing for such an fd.
//   - kqueue reports read and write readiness as separate kernel events;
//     Wait merges them when they arrive next to each other, but an fd can
//     still appear twice in one batch.
package poll
