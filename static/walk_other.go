//go:build !linux

package static

import "golang.org/x/sys/unix"

// walkDirFlags open the intermediate directories of a walk. Without O_PATH
// they are opened for reading, so a directory with search but no read
// permission cannot be crossed (it is reported as ErrForbidden).
const walkDirFlags = unix.O_RDONLY | unix.O_DIRECTORY | unix.O_CLOEXEC
