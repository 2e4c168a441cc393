//go:build linux && !arm64 && !riscv64 && !loong64

package poll

import "golang.org/x/sys/unix"

// sysEpollWait is the syscall Wait issues raw for a non-blocking poll.
const sysEpollWait = unix.SYS_EPOLL_WAIT
