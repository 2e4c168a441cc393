package urlpath

import "testing"

func TestAppendEscaped(t *testing.T) {
	for in, want := range map[string]string{
		"/a/b.html":      "/a/b.html",
		"/a b/%?#":       "/a%20b/%25%3F%23",
		"/é":             "/%C3%A9",
		"/x;y=1,z@h:80/": "/x;y=1,z@h:80/",
	} {
		got := string(AppendEscaped(nil, []byte(in)))
		if got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
		// Cleaning the escaped form gives the path back.
		if back, err := Clean(nil, []byte(got)); err != nil || string(back) != in {
			t.Errorf("%q: Clean(%q) = %q, %v", in, got, back, err)
		}
	}
}
