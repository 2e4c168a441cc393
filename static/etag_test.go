package static

import (
	"testing"
	"time"
)

func TestAppendETag(t *testing.T) {
	mtime := time.Unix(0, 0x5f3a9c1e)
	if got := string(AppendETag(nil, 0x2f3a, mtime)); got != `"5f3a9c1e-2f3a"` {
		t.Errorf("got %s", got)
	}
	a := string(AppendETag(nil, 10, time.Unix(1700000000, 1)))
	b := string(AppendETag(nil, 10, time.Unix(1700000000, 2)))
	c := string(AppendETag(nil, 11, time.Unix(1700000000, 1)))
	if a == b || a == c {
		t.Errorf("tags do not separate nanoseconds and sizes: %s %s %s", a, b, c)
	}
	dst := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { dst = AppendETag(dst[:0], 12345, mtime) }); n != 0 {
		t.Errorf("AppendETag allocates %v times", n)
	}
}

func TestMatchETags(t *testing.T) {
	const cur = `"xyzzy"`
	cases := []struct {
		list         string
		etag         string
		weak, strong bool
	}{
		{`*`, cur, true, true},
		{` * `, cur, true, true},
		{`*`, ``, true, true}, // "*" is about existence, not tags
		{`"xyzzy"`, cur, true, true},
		{`W/"xyzzy"`, cur, true, false},
		{`"xyzzy"`, `W/"xyzzy"`, true, false},
		{`W/"xyzzy"`, `W/"xyzzy"`, true, false},
		{`"r2d2xxxx", "xyzzy"`, cur, true, true},
		{`"r2d2xxxx" ,W/"xyzzy"`, cur, true, false},
		{`"a",,, "xyzzy"`, cur, true, true},
		{`"xyzz"`, cur, false, false},
		{`"XYZZY"`, cur, false, false},
		{`xyzzy`, cur, false, false},
		{`"xyzzy`, cur, false, false},
		{`"a" "xyzzy"`, cur, false, false}, // malformed: missing comma
		{`"a", *`, cur, false, false},      // "*" only as the whole value
		{`w/"xyzzy"`, cur, false, false},   // "W/" is case-sensitive
		{``, cur, false, false},
		{`"xyzzy"`, ``, false, false},
		{`""`, `""`, true, true},
	}
	for _, tc := range cases {
		if got := matchETags([]byte(tc.list), []byte(tc.etag), false); got != tc.weak {
			t.Errorf("weak match %s against %s = %v", tc.list, tc.etag, got)
		}
		if got := matchETags([]byte(tc.list), []byte(tc.etag), true); got != tc.strong {
			t.Errorf("strong match %s against %s = %v", tc.list, tc.etag, got)
		}
	}
}
