package urlpath

import (
	"errors"
	"testing"
)

// cleanCases are request paths as they arrive on the wire and what Clean
// must make of them. want is ignored when err is set.
var cleanCases = []struct {
	raw  string
	want string
	err  error
}{
	// Plain paths pass through.
	{"/", "/", nil},
	{"/a", "/a", nil},
	{"/a/", "/a/", nil},
	{"/a/b/c", "/a/b/c", nil},
	{"/a/b/c/", "/a/b/c/", nil},
	{"/index.html", "/index.html", nil},
	{"/a.b.c", "/a.b.c", nil},
	{"/-_~!$&'()*+,;=:@", "/-_~!$&'()*+,;=:@", nil},

	// Empty segments collapse.
	{"//", "/", nil},
	{"///", "/", nil},
	{"//a", "/a", nil},
	{"/a//b", "/a/b", nil},
	{"/a///b//", "/a/b/", nil},
	{"//etc/passwd", "/etc/passwd", nil},

	// Dot segments (RFC 3986 §5.2.4).
	{"/.", "/", nil},
	{"/./", "/", nil},
	{"/..", "/", nil},
	{"/../", "/", nil},
	{"/./a", "/a", nil},
	{"/a/.", "/a/", nil},
	{"/a/./", "/a/", nil},
	{"/a/./b", "/a/b", nil},
	{"/a/..", "/", nil},
	{"/a/../", "/", nil},
	{"/a/../b", "/b", nil},
	{"/a/b/..", "/a/", nil},
	{"/a/b/../", "/a/", nil},
	{"/a/b/../c", "/a/c", nil},
	{"/a/b/../../c", "/c", nil},
	{"/a/b/../../../c", "/c", nil},
	{"/a/b/../../../../etc/passwd", "/etc/passwd", nil},
	{"/../../../../etc/passwd", "/etc/passwd", nil},
	{"/a/./b/./c/./", "/a/b/c/", nil},
	{"/a/b/c/./../../g", "/a/g", nil},
	{"/mid/content=5/../6", "/mid/6", nil},
	{"/a/..//b", "/b", nil},
	{"/a//..", "/", nil},
	{"/a//../b", "/b", nil},
	{"/./../.", "/", nil},
	{"/.././..", "/", nil},

	// Segments that merely contain dots are names.
	{"/...", "/...", nil},
	{"/..../", "/..../", nil},
	{"/.a", "/.a", nil},
	{"/a.", "/a.", nil},
	{"/..a", "/..a", nil},
	{"/a..", "/a..", nil},
	{"/a/b../c", "/a/b../c", nil},
	{"/.hidden/..", "/", nil},
	{"/. /", "/. /", nil},
	{"/.. ", "/.. ", nil},
	{"/index.html.", "/index.html.", nil},
	{"/index.html..", "/index.html..", nil},
	{"/..;/x", "/..;/x", nil},
	{"/.;/x", "/.;/x", nil},

	// Percent-decoding, once, in either case.
	{"/%61", "/a", nil},
	{"/%41%42", "/AB", nil},
	{"/a%20b", "/a b", nil},
	{"/%7e", "/~", nil},
	{"/%7E", "/~", nil},
	{"/caf%C3%A9", "/caf\xc3\xa9", nil},
	{"/%ff", "/\xff", nil},
	{"/%25", "/%", nil},
	{"/%2525", "/%25", nil},
	{"/%252e", "/%2e", nil},
	{"/%252e%252e/x", "/%2e%2e/x", nil},
	{"/%25%32%65", "/%2e", nil},
	{"/%3f", "/?", nil},
	{"/%23", "/#", nil},
	{"/a%3Fb%3Dc", "/a?b=c", nil},

	// Encoded dots are dots, so they are removed like literal ones.
	{"/%2e", "/", nil},
	{"/%2E", "/", nil},
	{"/%2e%2e", "/", nil},
	{"/%2E%2E", "/", nil},
	{"/%2e%2E", "/", nil},
	{"/.%2e", "/", nil},
	{"/%2e.", "/", nil},
	{"/a/%2e%2e", "/", nil},
	{"/a/%2e%2e/", "/", nil},
	{"/a/b/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd", nil},
	{"/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd", nil},
	{"/a/%2e/b", "/a/b", nil},
	{"/%2e%2e%2e", "/...", nil},

	// Encoded slashes are separators after decoding.
	{"/a%2fb", "/a/b", nil},
	{"/a%2Fb", "/a/b", nil},
	{"/%2f", "/", nil},
	{"/%2F%2F", "/", nil},
	{"/%2fetc%2fpasswd", "/etc/passwd", nil},
	{"/..%2f", "/", nil},
	{"/..%2F..%2F..%2Fetc%2Fpasswd", "/etc/passwd", nil},
	{"/a/..%2fb", "/b", nil},
	{"/a/b/..%2f..%2fc", "/c", nil},
	{"/%2e%2e%2f%2e%2e%2fetc", "/etc", nil},
	{"/a%2f..%2f..%2fb", "/b", nil},
	{"/a/%2f/b", "/a/b", nil},
	{"/x/.%2e%2F.%2E%2fy", "/y", nil},

	// Double encoding decodes only one level: what is left is a name.
	{"/%252e%252e%252fetc", "/%2e%2e%2fetc", nil},
	{"/..%252f..%252fetc", "/..%2f..%2fetc", nil},
	{"/%252f", "/%2f", nil},

	// Overlong and other non-ASCII encodings are opaque bytes, never dots
	// or slashes.
	{"/%c0%ae%c0%ae/etc", "/\xc0\xae\xc0\xae/etc", nil},
	{"/%c0%af", "/\xc0\xaf", nil},
	{"/%e0%80%ae", "/\xe0\x80\xae", nil},
	{"/%c1%9c", "/\xc1\x9c", nil},
	{"/..%c0%af../etc", "/..\xc0\xaf../etc", nil},
	{"/%uff0e%uff0e", "", ErrBadEscape},

	// Backslash is an ordinary byte.
	{"/..\\..\\etc", "/..\\..\\etc", nil},
	{"/a\\..", "/a\\..", nil},
	{"/\\", "/\\", nil},
	{"/%5c..%5c", "/\\..\\", nil},
	{"/..\\", "/..\\", nil},

	// Raw bytes >= 0x80 pass through.
	{"/\xc3\xa9", "/\xc3\xa9", nil},
	{"/\xff\xfe", "/\xff\xfe", nil},

	// Not origin-form.
	{"", "", ErrNotAbsolute},
	{"a", "", ErrNotAbsolute},
	{"a/b", "", ErrNotAbsolute},
	{".", "", ErrNotAbsolute},
	{"..", "", ErrNotAbsolute},
	{"../etc/passwd", "", ErrNotAbsolute},
	{"*", "", ErrNotAbsolute},
	{"%2f", "", ErrNotAbsolute},
	{"%2e%2e/x", "", ErrNotAbsolute},
	{"\\etc", "", ErrNotAbsolute},
	{"http://h/x", "", ErrNotAbsolute},

	// Malformed escapes.
	{"/%", "", ErrBadEscape},
	{"/a%", "", ErrBadEscape},
	{"/%4", "", ErrBadEscape},
	{"/%4/", "", ErrBadEscape},
	{"/%G1", "", ErrBadEscape},
	{"/%1G", "", ErrBadEscape},
	{"/%gg", "", ErrBadEscape},
	{"/%%30%30", "", ErrBadEscape},
	{"/% 1", "", ErrBadEscape},
	{"/%-1", "", ErrBadEscape},
	{"/%+1", "", ErrBadEscape},
	{"/%0x", "", ErrBadEscape},
	{"/%x0", "", ErrBadEscape},
	{"/a/b/%", "", ErrBadEscape},
	{"/%2", "", ErrBadEscape},
	{"/%%", "", ErrBadEscape},
	{"/ok/%2e%2", "", ErrBadEscape},

	// Control bytes, literal or decoded.
	{"/%00", "", ErrControlByte},
	{"/a%00.html", "", ErrControlByte},
	{"/index.html%00.png", "", ErrControlByte},
	{"/%01", "", ErrControlByte},
	{"/%0a", "", ErrControlByte},
	{"/%0A", "", ErrControlByte},
	{"/%0d%0aSet-Cookie:x", "", ErrControlByte},
	{"/%09", "", ErrControlByte},
	{"/%1f", "", ErrControlByte},
	{"/%7f", "", ErrControlByte},
	{"/%7F", "", ErrControlByte},
	{"/a\x00", "", ErrControlByte},
	{"/a\nb", "", ErrControlByte},
	{"/a\rb", "", ErrControlByte},
	{"/a\tb", "", ErrControlByte},
	{"/\x7f", "", ErrControlByte},
	{"/..%00/x", "", ErrControlByte},
	{"/%2500", "/%00", nil},
	{"/%20", "/ ", nil},
	{"/%80", "/\x80", nil},
}

func TestCleanTable(t *testing.T) {
	if len(cleanCases) < 100 {
		t.Fatalf("only %d cases", len(cleanCases))
	}
	for _, tc := range cleanCases {
		got, err := Clean(nil, []byte(tc.raw))
		if tc.err != nil {
			if !errors.Is(err, tc.err) || !errors.Is(err, ErrInvalid) {
				t.Errorf("Clean(%q) = %q, %v; want error %v", tc.raw, got, err, tc.err)
			}
			if len(got) != 0 {
				t.Errorf("Clean(%q) returned %q with an error", tc.raw, got)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("Clean(%q) = %q, %v; want %q", tc.raw, got, err, tc.want)
			continue
		}
		if bad := checkClean(got); bad != "" {
			t.Errorf("Clean(%q) = %q: %s", tc.raw, got, bad)
		}
	}
}

// TestCleanAppends checks Clean extends dst instead of overwriting it, and
// leaves it alone on error; ".." must not climb into what dst held before.
func TestCleanAppends(t *testing.T) {
	dst := []byte("prefix")
	got, err := Clean(dst, []byte("/a/../../b/"))
	if err != nil || string(got) != "prefix/b/" {
		t.Fatalf("got %q, %v", got, err)
	}
	got, err = Clean(dst, []byte("/%zz"))
	if err == nil || string(got) != "prefix" {
		t.Fatalf("on error got %q, %v", got, err)
	}
	got, err = Clean([]byte("p/q/"), []byte("/.."))
	if err != nil || string(got) != "p/q//" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestCleanNoAllocs(t *testing.T) {
	raws := [][]byte{
		[]byte("/a/b/../c/%2e%2e/d%20e/./f/"),
		[]byte("/static/css/site.css"),
		[]byte("/%zz"),
	}
	dst := make([]byte, 0, 256)
	for _, raw := range raws {
		allocs := testing.AllocsPerRun(100, func() {
			dst, _ = Clean(dst[:0], raw)
		})
		if allocs != 0 {
			t.Errorf("Clean(%q) allocates %v times", raw, allocs)
		}
	}
}

// checkClean returns what is wrong with a result of Clean, or "".
func checkClean(p []byte) string {
	if len(p) == 0 || p[0] != '/' {
		return "does not start with '/'"
	}
	start := 1
	for i := 1; i <= len(p); i++ {
		if i < len(p) && p[i] != '/' {
			if isControl(p[i]) {
				return "contains a control byte"
			}
			continue
		}
		switch string(p[start:i]) {
		case "":
			if i < len(p) {
				return "contains an empty segment"
			}
		case ".", "..":
			return "contains a dot segment"
		}
		start = i + 1
	}
	return ""
}
