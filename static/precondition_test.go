package static

import (
	"testing"
	"time"
)

func TestEvaluate(t *testing.T) {
	etag := []byte(`"xyzzy"`)
	mod := time.Date(1994, 11, 6, 8, 49, 37, 500, time.UTC)
	const (
		before = "Sat, 05 Nov 1994 08:49:37 GMT"
		same   = "Sun, 06 Nov 1994 08:49:37 GMT"
		after  = "Mon, 07 Nov 1994 08:49:37 GMT"
		obsAt  = "Sunday, 06-Nov-94 08:49:37 GMT"
	)
	type pc = Precondition
	b := func(s string) []byte { return []byte(s) }
	cases := []struct {
		name string
		p    pc
		want int
	}{
		{"no conditions", pc{GetOrHead: true}, 0},

		// If-Match: strong comparison.
		{"If-Match equal", pc{IfMatch: b(`"xyzzy"`)}, 0},
		{"If-Match in list", pc{IfMatch: b(`"r2d2xxxx", "xyzzy", "c3piozzzz"`)}, 0},
		{"If-Match star", pc{IfMatch: b(`*`)}, 0},
		{"If-Match other", pc{IfMatch: b(`"r2d2xxxx"`)}, 412},
		{"If-Match weak never matches", pc{IfMatch: b(`W/"xyzzy"`)}, 412},
		{"If-Match malformed", pc{IfMatch: b(`xyzzy`)}, 412},
		{"If-Match on GET fails with 412", pc{IfMatch: b(`"nope"`), GetOrHead: true}, 412},

		// If-Unmodified-Since, only without If-Match.
		{"IUS not modified since", pc{IfUnmodifiedSince: b(same)}, 0},
		{"IUS later date", pc{IfUnmodifiedSince: b(after)}, 0},
		{"IUS modified since", pc{IfUnmodifiedSince: b(before)}, 412},
		{"IUS invalid date ignored", pc{IfUnmodifiedSince: b("yesterday")}, 0},
		{"IUS ignored when If-Match present", pc{IfMatch: b(`"xyzzy"`), IfUnmodifiedSince: b(before)}, 0},
		{"IUS obsolete date", pc{IfUnmodifiedSince: b(obsAt)}, 0},

		// If-None-Match: weak comparison.
		{"INM match GET", pc{IfNoneMatch: b(`"xyzzy"`), GetOrHead: true}, 304},
		{"INM weak match GET", pc{IfNoneMatch: b(`W/"xyzzy"`), GetOrHead: true}, 304},
		{"INM match in list", pc{IfNoneMatch: b(`"a", W/"xyzzy"`), GetOrHead: true}, 304},
		{"INM star GET", pc{IfNoneMatch: b(`*`), GetOrHead: true}, 304},
		{"INM match PUT", pc{IfNoneMatch: b(`"xyzzy"`)}, 412},
		{"INM star PUT", pc{IfNoneMatch: b(`*`)}, 412},
		{"INM no match", pc{IfNoneMatch: b(`"other"`), GetOrHead: true}, 0},
		{"INM malformed", pc{IfNoneMatch: b(`xyzzy`), GetOrHead: true}, 0},

		// If-Modified-Since, only for GET/HEAD and without If-None-Match.
		{"IMS same", pc{IfModifiedSince: b(same), GetOrHead: true}, 304},
		{"IMS later", pc{IfModifiedSince: b(after), GetOrHead: true}, 304},
		{"IMS earlier", pc{IfModifiedSince: b(before), GetOrHead: true}, 0},
		{"IMS asctime", pc{IfModifiedSince: b("Sun Nov  6 08:49:37 1994"), GetOrHead: true}, 304},
		{"IMS invalid", pc{IfModifiedSince: b("Sun, 06 Nov 1994"), GetOrHead: true}, 0},
		{"IMS not for POST", pc{IfModifiedSince: b(same)}, 0},
		{"IMS ignored with INM", pc{IfNoneMatch: b(`"other"`), IfModifiedSince: b(after), GetOrHead: true}, 0},

		// Order: If-Match is decided before If-None-Match.
		{"IM fails before INM", pc{IfMatch: b(`"nope"`), IfNoneMatch: b(`"xyzzy"`), GetOrHead: true}, 412},
		{"IM passes then INM", pc{IfMatch: b(`"xyzzy"`), IfNoneMatch: b(`"xyzzy"`), GetOrHead: true}, 304},
		{"IUS fails before INM", pc{IfUnmodifiedSince: b(before), IfNoneMatch: b(`"xyzzy"`), GetOrHead: true}, 412},
		{"IUS fails before IMS", pc{IfUnmodifiedSince: b(before), IfModifiedSince: b(after), GetOrHead: true}, 412},
	}
	for _, tc := range cases {
		if got := Evaluate(&tc.p, etag, mod); got != tc.want {
			t.Errorf("%s: Evaluate = %d, want %d", tc.name, got, tc.want)
		}
	}
	p := pc{IfNoneMatch: b(`"a", "b", W/"xyzzy"`), IfModifiedSince: b(same), GetOrHead: true}
	if n := testing.AllocsPerRun(100, func() { Evaluate(&p, etag, mod) }); n != 0 {
		t.Errorf("Evaluate allocates %v times", n)
	}
}
