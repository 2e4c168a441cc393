package urlpath

import "testing"

func TestHasPrefix(t *testing.T) {
	cases := []struct {
		p, prefix string
		want      bool
		rest      string
	}{
		{"/static", "/static", true, ""},
		{"/static/", "/static", true, "/"},
		{"/static/x", "/static", true, "/x"},
		{"/static/x/y", "/static/", true, "/x/y"},
		{"/static", "/static/", true, ""},
		{"/staticfoo", "/static", false, ""},
		{"/staticfoo/x", "/static/", false, ""},
		{"/stati", "/static", false, ""},
		{"/", "/static", false, ""},
		{"/other/static", "/static", false, ""},
		{"/Static/x", "/static", false, ""},
		{"/", "/", true, "/"},
		{"/anything", "/", true, "/anything"},
		{"/anything", "", true, "/anything"},
		{"/a/b/c", "/a/b", true, "/c"},
		{"/a/bc", "/a/b", false, ""},
	}
	for _, tc := range cases {
		if got := HasPrefix([]byte(tc.p), tc.prefix); got != tc.want {
			t.Errorf("HasPrefix(%q, %q) = %v, want %v", tc.p, tc.prefix, got, tc.want)
		}
		rest, ok := TrimPrefix([]byte(tc.p), tc.prefix)
		if ok != tc.want || string(rest) != tc.rest {
			t.Errorf("TrimPrefix(%q, %q) = %q, %v; want %q, %v", tc.p, tc.prefix, rest, ok, tc.rest, tc.want)
		}
	}
	p := []byte("/static/app.js")
	if n := testing.AllocsPerRun(100, func() { HasPrefix(p, "/static/") }); n != 0 {
		t.Errorf("HasPrefix allocates %v times", n)
	}
}
