package static

import "golang.org/x/sys/unix"

// walkDirFlags open the intermediate directories of a walk. O_PATH needs
// only search (x) permission, like ordinary path resolution, and is
// enough for a directory used as the base of the next openat.
const walkDirFlags = unix.O_PATH | unix.O_DIRECTORY | unix.O_CLOEXEC
