package poll

import "errors"

// Interest is what a caller wants to hear about for an fd.
type Interest uint8

const (
	Read  Interest = 1 << iota // readable (and peer hang-up)
	Write                      // writable
)

// Event flags reported by Wait.
const (
	EvRead  uint32 = 1 << iota // readable, or EOF pending
	EvWrite                    // writable
	EvHup                      // peer hung up (EPOLLHUP / EPOLLRDHUP / EV_EOF)
	EvErr                      // error condition on the fd (EPOLLERR / EV_ERROR)
)

// Event is one ready fd as reported by Wait.
type Event struct {
	Fd    int32
	Flags uint32
}

// errNoRoom is returned by Wait when the caller's slice cannot hold even one
// event: the kernel would reject a zero-length buffer anyway, and silently
// returning 0 would turn the caller's loop into a busy spin.
var errNoRoom = errors.New("poll: Wait needs a non-empty events slice")

// defaultBatch is the size of the kernel-facing event buffer allocated by
// New. Wait grows it (once) if the caller passes a larger slice, so the
// steady state never allocates.
const defaultBatch = 256
