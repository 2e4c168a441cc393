package static

import (
	"io/fs"
	"strings"
	"testing"
	"time"
)

// fakeEntry is a directory entry with just a name and a kind.
type fakeEntry struct {
	name string
	dir  bool
}

func (e fakeEntry) Name() string { return e.name }
func (e fakeEntry) IsDir() bool  { return e.dir }
func (e fakeEntry) Type() fs.FileMode {
	if e.dir {
		return fs.ModeDir
	}
	return 0
}
func (e fakeEntry) Info() (fs.FileInfo, error) { return nil, fs.ErrNotExist }

func TestAppendDirListing(t *testing.T) {
	entries := []fs.DirEntry{
		fakeEntry{"a b.txt", false},
		fakeEntry{"sub", true},
		fakeEntry{`<script>alert("x")</script>&'`, false},
		fakeEntry{"javascript:alert(1)", false},
		fakeEntry{"100%?#.txt", false},
		fakeEntry{"caf\xc3\xa9", false},
	}
	got := string(AppendDirListing(nil, "/files/<b>/", entries))
	want := `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Index of /files/&lt;b&gt;/</title></head>
<body><h1>Index of /files/&lt;b&gt;/</h1>
<ul>
<li><a href="../">../</a></li>
<li><a href="./a%20b.txt">a b.txt</a></li>
<li><a href="./sub/">sub/</a></li>
<li><a href="./%3Cscript%3Ealert%28%22x%22%29%3C%2Fscript%3E%26%27">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;&#39;</a></li>
<li><a href="./javascript%3Aalert%281%29">javascript:alert(1)</a></li>
<li><a href="./100%25%3F%23.txt">100%?#.txt</a></li>
<li><a href="./caf%C3%A9">caf` + "\xc3\xa9" + `</a></li>
</ul>
</body></html>
`
	if got != want {
		t.Errorf("listing:\n%s\nwant:\n%s", got, want)
	}
	if root := string(AppendDirListing(nil, "/", nil)); strings.Contains(root, `href="../"`) {
		t.Error("the root listing links to its parent")
	}
}

func TestListingFromTree(t *testing.T) {
	tr := newTestTree(t)
	r, err := OpenRoot(tr.root, RootOptions{ListDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	c := NewFileCache(r, 0, 0)
	defer c.Close()
	f, err := c.Get([]byte("/a/"), time.Now())
	if err != nil || !f.IsDir {
		t.Fatalf("%v, %v", f, err)
	}
	defer c.Release(f)
	entries, err := f.ReadDir()
	if err != nil {
		t.Fatal(err)
	}
	page := string(AppendDirListing(nil, "/a/", entries))
	for _, link := range []string{`href="./b/"`, `href="./link-parent"`} {
		if !strings.Contains(page, link) {
			t.Errorf("listing lacks %s:\n%s", link, page)
		}
	}
}
