//go:build unix

package tls

import (
	"errors"
	"os"
	"syscall"
)

// checkDir refuses a directory someone else could have planted files in:
// owned by another user (root excepted) or world-writable.
func checkDir(fi os.FileInfo) error {
	if fi.Mode().Perm()&0o002 != 0 {
		return errors.New("directory is world-writable")
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		if uid := int(st.Uid); uid != os.Geteuid() && uid != 0 {
			return errors.New("directory is owned by another user")
		}
	}
	return nil
}

// keyFileSecure reports whether a private key file is ours and private.
func keyFileSecure(fi os.FileInfo) bool {
	if fi.Mode().Perm()&0o077 != 0 {
		return false
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return false
	}
	return true
}
