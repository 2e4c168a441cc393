package static

import (
	"testing"
	"time"
)

func TestParseRange(t *testing.T) {
	const size = 10000
	etag := []byte(`"xyzzy"`)
	mod := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	cases := []struct {
		header, ifRange string
		size            int64
		start, length   int64
		status          int
	}{
		// RFC 9110 §14.1.2 examples on a 10000-byte representation.
		{"bytes=0-499", "", size, 0, 500, 206},
		{"bytes=500-999", "", size, 500, 500, 206},
		{"bytes=-500", "", size, 9500, 500, 206},
		{"bytes=9500-", "", size, 9500, 500, 206},
		{"bytes=0-0", "", size, 0, 1, 206},
		{"bytes=-1", "", size, 9999, 1, 206},
		{"bytes=0-0,-1", "", size, 0, size, 200},          // multiple: whole
		{"bytes=500-600,601-999", "", size, 0, size, 200}, // multiple: whole
		{"bytes=500-700,601-999", "", size, 0, size, 200},

		// Clamping and edges.
		{"bytes=0-", "", size, 0, size, 206},
		{"bytes=0-9999", "", size, 0, size, 206},
		{"bytes=0-10000", "", size, 0, size, 206},
		{"bytes=9999-", "", size, 9999, 1, 206},
		{"bytes=0-99999999999999999999", "", size, 0, size, 206},
		{"bytes=5-99999999999999999999999999999", "", size, 5, size - 5, 206},
		{"bytes=-10000", "", size, 0, size, 206},
		{"bytes=-20000", "", size, 0, size, 206},
		{"bytes=-99999999999999999999", "", size, 0, size, 206},
		{"BYTES=1-2", "", size, 1, 2, 206},
		{" bytes=1-2 ", "", size, 1, 2, 206},
		{"bytes= 1-2", "", size, 1, 2, 206},
		{"bytes=1-2,", "", size, 1, 2, 206}, // empty list elements are allowed
		{"bytes=,1-2", "", size, 1, 2, 206},

		// Unsatisfiable.
		{"bytes=10000-", "", size, 0, 0, 416},
		{"bytes=10000-20000", "", size, 0, 0, 416},
		{"bytes=99999999999999999999-", "", size, 0, 0, 416},
		{"bytes=-0", "", size, 0, 0, 416},
		{"bytes=0-", "", 0, 0, 0, 416},
		{"bytes=0-0", "", 0, 0, 0, 416},
		{"bytes=-0", "", 0, 0, 0, 416},
		{"bytes=-5", "", 0, 0, 0, 200}, // nothing to send as a part

		// Malformed: ignored.
		{"", "", size, 0, size, 200},
		{"bytes=", "", size, 0, size, 200},
		{"bytes=-", "", size, 0, size, 200},
		{"bytes=5", "", size, 0, size, 200},
		{"bytes=5-4", "", size, 0, size, 200},
		{"bytes=a-b", "", size, 0, size, 200},
		{"bytes=1 -2", "", size, 0, size, 200},
		{"bytes=+1-2", "", size, 0, size, 200},
		{"bytes=-1-2", "", size, 0, size, 200},
		{"bytes=1-2-3", "", size, 0, size, 200},
		{"bytes=0x10-0x20", "", size, 0, size, 200},
		{"bytes 0-1", "", size, 0, size, 200},
		{"items=0-1", "", size, 0, size, 200},
		{"bytes=0-1,garbage", "", size, 0, size, 200},
		{"bytes=0-1,5-4", "", size, 0, size, 200},

		// If-Range.
		{"bytes=0-1", `"xyzzy"`, size, 0, 2, 206},
		{"bytes=0-1", ` "xyzzy" `, size, 0, 2, 206},
		{"bytes=0-1", `"other"`, size, 0, size, 200},
		{"bytes=0-1", `W/"xyzzy"`, size, 0, size, 200},
		{"bytes=0-1", "Sun, 06 Nov 1994 08:49:37 GMT", size, 0, 2, 206},
		{"bytes=0-1", "Sun, 06 Nov 1994 08:49:38 GMT", size, 0, size, 200},
		{"bytes=0-1", "Sat, 05 Nov 1994 08:49:37 GMT", size, 0, size, 200},
		{"bytes=0-1", "not a date", size, 0, size, 200},
		{"bytes=10000-", `"other"`, size, 0, size, 200}, // would be 416, but If-Range wins
		{"", `"xyzzy"`, size, 0, size, 200},
	}
	for _, tc := range cases {
		start, length, status := ParseRange([]byte(tc.header), tc.size, []byte(tc.ifRange), etag, mod)
		if start != tc.start || length != tc.length || status != tc.status {
			t.Errorf("ParseRange(%q, %d, If-Range %q) = %d, %d, %d; want %d, %d, %d",
				tc.header, tc.size, tc.ifRange, start, length, status, tc.start, tc.length, tc.status)
		}
	}
	h, ir := []byte("bytes=100-"), []byte(`"xyzzy"`)
	if n := testing.AllocsPerRun(100, func() { ParseRange(h, size, ir, etag, mod) }); n != 0 {
		t.Errorf("ParseRange allocates %v times", n)
	}
}

func TestParseRangeWeakCurrentTag(t *testing.T) {
	// A weak current validator can never satisfy If-Range.
	_, _, status := ParseRange([]byte("bytes=0-1"), 10, []byte(`W/"a"`), []byte(`W/"a"`), time.Time{})
	if status != 200 {
		t.Errorf("status %d, want 200", status)
	}
}

func TestAppendContentRange(t *testing.T) {
	cases := []struct {
		start, length, size int64
		want                string
	}{
		{0, 500, 10000, "bytes 0-499/10000"},
		{9500, 500, 10000, "bytes 9500-9999/10000"},
		{0, 1, 1, "bytes 0-0/1"},
		{0, 0, 10000, "bytes */10000"},
		{0, 0, 0, "bytes */0"},
	}
	for _, tc := range cases {
		if got := string(AppendContentRange(nil, tc.start, tc.length, tc.size)); got != tc.want {
			t.Errorf("AppendContentRange(%d, %d, %d) = %q, want %q", tc.start, tc.length, tc.size, got, tc.want)
		}
	}
	dst := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { dst = AppendContentRange(dst[:0], 1, 2, 3) }); n != 0 {
		t.Errorf("AppendContentRange allocates %v times", n)
	}
}
