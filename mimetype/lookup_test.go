package mimetype

import (
	"strings"
	"sync"
	"testing"
)

func TestLookup(t *testing.T) {
	cases := []struct{ name, want string }{
		{"index.html", "text/html; charset=utf-8"},
		{"index.HTML", "text/html; charset=utf-8"},
		{"INDEX.HtM", "text/html; charset=utf-8"},
		{"/a/b/site.css", "text/css; charset=utf-8"},
		{"app.js", "text/javascript; charset=utf-8"},
		{"mod.mjs", "text/javascript; charset=utf-8"},
		{"data.json", "application/json"},
		{"app.js.map", "application/json"},
		{"logo.svg", "image/svg+xml"},
		{"a.PNG", "image/png"},
		{"a.jpeg", "image/jpeg"},
		{"a.jpg", "image/jpeg"},
		{"f.woff2", "font/woff2"},
		{"x.wasm", "application/wasm"},
		{"v.mp4", "video/mp4"},
		{"archive.tar.gz", "application/gzip"},
		{"readme.md", "text/markdown; charset=utf-8"},
		{"conf.yaml", "application/yaml"},
		{"notes.txt", "text/plain; charset=utf-8"},
		// No extension, unknown extension, dot only in a directory name.
		{"README", ""},
		{"file.unknownext", ""},
		{"dir.html/file", ""},
		{"", ""},
		{".", ""},
		{"trailing.", ""},
		{"x." + strings.Repeat("a", 40), ""},
		// A dot file is its own extension, as with filepath.Ext.
		{".html", "text/html; charset=utf-8"},
	}
	for _, tc := range cases {
		if got := Lookup(tc.name); got != tc.want {
			t.Errorf("Lookup(%q) = %q, want %q", tc.name, got, tc.want)
		}
		if got := LookupBytes([]byte(tc.name)); got != tc.want {
			t.Errorf("LookupBytes(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestTableShape keeps the table honest: enough entries, normalized keys,
// and a charset on every text type.
func TestTableShape(t *testing.T) {
	if len(builtin) < 70 {
		t.Errorf("built-in table has %d entries, want at least 70", len(builtin))
	}
	for ext, ct := range builtin {
		if ext != strings.ToLower(ext) || !strings.HasPrefix(ext, ".") || len(ext) > maxExt {
			t.Errorf("key %q is not a normalized extension", ext)
		}
		if strings.HasPrefix(ct, "text/") && !strings.HasSuffix(ct, "; charset=utf-8") {
			t.Errorf("%s: text type %q without charset", ext, ct)
		}
	}
}

func TestLookupNoAllocs(t *testing.T) {
	b := []byte("/static/Bundle.MIN.JS")
	if n := testing.AllocsPerRun(100, func() { LookupBytes(b) }); n != 0 {
		t.Errorf("LookupBytes allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { Lookup("photo.JPG") }); n != 0 {
		t.Errorf("Lookup allocates %v times", n)
	}
}

func TestRegister(t *testing.T) {
	Register("GoLWSTest", "application/x-golws")
	Register(".css", "text/css") // override
	defer Register(".css", "text/css; charset=utf-8")
	if got := Lookup("a.golwstest"); got != "application/x-golws" {
		t.Errorf("registered type: got %q", got)
	}
	if got := Lookup("a.CSS"); got != "text/css" {
		t.Errorf("override: got %q", got)
	}
	if builtin[".css"] != "text/css; charset=utf-8" {
		t.Error("Register modified the built-in table in place")
	}
	for _, bad := range []string{"", ".", "a.b", "a/b", strings.Repeat("x", maxExt)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Register(%q) did not panic", bad)
				}
			}()
			Register(bad, "x/y")
		}()
	}
	Register(strings.Repeat("y", maxExt-1), "x/long")
	if got := Lookup("f." + strings.Repeat("Y", maxExt-1)); got != "x/long" {
		t.Errorf("longest extension: got %q", got)
	}
}

// TestRegisterConcurrent runs lookups against registrations; with -race it
// checks the copy-on-write publication.
func TestRegisterConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if Lookup("x.html") == "" {
					t.Error("lost a built-in type")
					return
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		Register("conc"+string(rune('a'+i)), "x/conc")
	}
	wg.Wait()
	if Lookup("f.concT") != "x/conc" {
		t.Error("concurrent registration lost")
	}
}
