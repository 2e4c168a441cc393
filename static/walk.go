package static

import (
	"strings"

	"golang.org/x/sys/unix"
)

// walk opens rel one component at a time from the root descriptor, for
// systems without openat2. Every component is opened with O_NOFOLLOW, so
// the kernel never follows a symbolic link on our behalf; links are read
// and spliced into the remaining path here, if the options allow. ".."
// (which only link targets can contain) pops a stack of directory
// descriptors this walk opened, and popping the root is refused. The
// kernel is therefore never asked to resolve "..", and a directory moved
// mid-walk cannot carry the walk outside.
func (r *Root) walk(rel string, flags int) (int, error) {
	dirs := make([]int, 1, 8)
	dirs[0] = r.fd // owned by the Root; never closed here
	defer func() {
		for _, d := range dirs[1:] {
			unix.Close(d)
		}
	}()
	links := 0
	rest := rel
	for {
		var name string
		name, rest = nextComponent(rest)
		switch name {
		case "":
			// The path ended on a directory (the root, or one reached
			// by "." or ".."): open it again to read it.
			fd, err := openat(dirs[len(dirs)-1], ".", flags)
			return fd, mapOpenError(err)
		case ".":
			continue
		case "..":
			if len(dirs) == 1 {
				return -1, ErrForbidden
			}
			unix.Close(dirs[len(dirs)-1])
			dirs = dirs[:len(dirs)-1]
			continue
		}
		dir := dirs[len(dirs)-1]
		final := strings.Trim(rest, "/") == ""
		oflags := walkDirFlags | unix.O_NOFOLLOW
		if final {
			oflags = flags | unix.O_NOFOLLOW
		}
		fd, err := openat(dir, name, oflags)
		if err == nil {
			if final {
				return fd, nil
			}
			dirs = append(dirs, fd)
			continue
		}
		// Whatever error a link gives (ELOOP, EMLINK, ENOTDIR vary by
		// system and flags), ask what the name is.
		if !isSymlinkAt(dir, name) {
			return -1, mapOpenError(err)
		}
		links++
		if !r.opt.FollowSymlinks || links > maxSymlinks {
			return -1, ErrForbidden
		}
		target, err := readlinkAt(dir, name)
		if err != nil {
			return -1, mapOpenError(err)
		}
		if target == "" || target[0] == '/' {
			return -1, ErrForbidden
		}
		rest = target + "/" + rest
	}
}

// nextComponent splits the first component off a relative path, skipping
// leading slashes. It returns "" when nothing is left.
func nextComponent(p string) (name, rest string) {
	p = strings.TrimLeft(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i], p[i:]
	}
	return p, ""
}

func isSymlinkAt(dirfd int, name string) bool {
	var st unix.Stat_t
	err := unix.Fstatat(dirfd, name, &st, unix.AT_SYMLINK_NOFOLLOW)
	return err == nil && uint32(st.Mode)&unix.S_IFMT == unix.S_IFLNK
}

func readlinkAt(dirfd int, name string) (string, error) {
	buf := make([]byte, 4096)
	n, err := unix.Readlinkat(dirfd, name, buf)
	if err != nil {
		return "", err
	}
	if n == len(buf) {
		return "", unix.ENAMETOOLONG
	}
	return string(buf[:n]), nil
}
