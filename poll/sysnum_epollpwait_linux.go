//go:build linux && (arm64 || riscv64 || loong64)

package poll

import "golang.org/x/sys/unix"

// sysEpollWait is the syscall Wait issues raw for a non-blocking poll. The
// newer ports have no epoll_wait, only epoll_pwait; with a nil signal mask
// (the zero fifth argument) it behaves exactly like epoll_wait.
const sysEpollWait = unix.SYS_EPOLL_PWAIT
