// Package loop is golws's reactor: N event loops, each owning a poller, an
// fd-indexed connection table, one shared read buffer and a timer wheel.
//
// A connection belongs to one loop for its whole life and is touched only on
// that loop's goroutine, so the hot path takes no locks. Other goroutines
// reach a connection by posting a task to its loop ([Conn.Post],
// [Loop.Post], [Engine.PostAll]).
//
// # Handlers run on the loop
//
// Every [Handler] callback runs on the loop goroutine and must not block: a
// blocked callback stalls every connection of that loop. The data passed to
// [Handler.OnData] aliases the loop's shared read buffer and is valid only
// until the callback returns.
//
// # Writes and backpressure
//
// [Conn.Write] copies into the connection's [buflist.List]. At the end of
// the loop turn every connection with pending output is flushed with one
// writev, so pipelined responses and many small writes leave in one
// syscall; what the kernel does not take stays queued, write interest is
// armed, and the rest leaves when the socket drains. Output is capped per
// connection ([Config.MaxBuffered]): at the cap [Conn.Writable] turns false,
// reading from that connection pauses (so a peer that sends but never reads
// cannot make the server buffer without bound), and a producer that asked
// with [Conn.RequestWritable] is called back through [Handler.OnWritable]
// once the output has drained.
//
// # Timers
//
// Per-connection timeouts ([Conn.SetTimeout], lws's set_timeout) and
// scheduled callbacks ([Loop.Schedule], lws's sul) share one hierarchical
// timing wheel per loop: O(1) arm and cancel, no goroutine or time.Timer per
// connection.
//
// # Platforms
//
// Linux (epoll, one SO_REUSEPORT listener per loop) and the BSDs and macOS
// (kqueue, one acceptor handing connections round-robin to the loops).
// Other systems fail to build in package poll with a message saying so.
package loop
