// Package golws is libwebsockets reimagined in Go: HTTP/1.1, HTTP/2 and
// WebSocket, client and server, driven by its own epoll/kqueue reactor
// instead of net/http and a goroutine per connection.
//
// The library is layered (data flows up, writes flow down):
//
//	poll/      epoll (Linux) and kqueue (BSD, macOS) with a wake-up fd
//	loop/      the reactor: connections, buffered writes, timers, posts
//	buflist/   the FIFO of pooled chunks behind every connection's output
//	raw/       lws's raw-skt role: byte streams straight on the loop
//
// Protocol cores (h1/, hpack/, h2/, ws/) are sans-I/O state machines that
// take bytes in and emit bytes and events out; roles bind them to the loop.
// See the README for the current state and the measured figures.
package golws
