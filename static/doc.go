// Package static holds the decisions and the file access behind serving
// static files from a mount (a URL prefix mapped to a directory): which
// file a path names, whether a request's preconditions hold, which byte
// range to send, and what the validators are.
//
// It does no I/O on connections and starts no goroutines. Everything here
// runs on an event loop, so the only blocking calls are local opens and
// stats, and the per-request paths ([FileCache.Get] on a hit,
// [AppendETag], [Evaluate], [ParseRange], the date functions) do not
// allocate.
//
// # Confinement
//
// [Root] is the security boundary. A request path is first cleaned by
// urlpath.Clean; Root then resolves it relative to a directory file
// descriptor opened once, never by joining strings into an absolute path.
// On Linux it uses openat2(2) with RESOLVE_BENEATH, which makes the kernel
// refuse any resolution step that leaves the root. Elsewhere, or on
// kernels without openat2, it walks the path one component at a time with
// openat(O_NOFOLLOW), resolving symbolic links itself and tracking ".."
// against its own stack of directories, so it never asks the kernel to
// climb. Either way no path leads to a file outside the root unless
// [RootOptions.AllowSymlinksOutside] says symbolic links may.
package static
