package static

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"
)

func TestMapOpenError(t *testing.T) {
	cases := []struct {
		in   error
		want error
	}{
		{nil, nil},
		{unix.ENOENT, ErrNotFound},
		{unix.ENOTDIR, ErrNotFound},
		{unix.EACCES, ErrForbidden}, // what an unreadable file gives a non-root server
		{unix.EPERM, ErrForbidden},
		{unix.ELOOP, ErrForbidden},
		{unix.EXDEV, ErrForbidden},
		{unix.EMFILE, unix.EMFILE}, // not about the path: a 500
	}
	for _, tc := range cases {
		if got := mapOpenError(tc.in); !errors.Is(got, tc.want) || (tc.want == nil && got != nil) {
			t.Errorf("mapOpenError(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
