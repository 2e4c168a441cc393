package golws

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// staticTree makes root/ with files and a secret next to it, outside.
func staticTree(t *testing.T) (root string, big []byte) {
	dir := t.TempDir()
	root = filepath.Join(dir, "www")
	os.MkdirAll(filepath.Join(root, "sub", "deeper"), 0o755)
	os.MkdirAll(filepath.Join(root, "noindex"), 0o755)
	os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("SECRET-OUTSIDE-ROOT"), 0o644)
	os.WriteFile(filepath.Join(root, "index.html"), []byte("<h1>home</h1>"), 0o644)
	os.WriteFile(filepath.Join(root, "sub", "index.html"), []byte("<h1>sub</h1>"), 0o644)
	os.WriteFile(filepath.Join(root, "sub", "deeper", "a.txt"), []byte("deep file"), 0o644)
	os.WriteFile(filepath.Join(root, "noindex", "x.css"), []byte("body{}"), 0o644)
	big = bytes.Repeat([]byte("0123456789"), 300000)
	os.WriteFile(filepath.Join(root, "big.bin"), big, 0o644)
	os.Symlink(filepath.Join(dir, "secret.txt"), filepath.Join(root, "link-out"))
	os.Symlink(filepath.Join(dir), filepath.Join(root, "dirlink-out"))
	return root, big
}

func get(t *testing.T, url string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.ProtoMajor != testProtoMajor {
		t.Fatalf("%s answered over %s, want HTTP/%d", url, resp.Proto, testProtoMajor)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func TestStaticFiles(t *testing.T) {
	root, big := staticTree(t)
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) {
		if err := v.ServeDir("/", root, DirOptions{}); err != nil {
			t.Fatal(err)
		}
	})
	base := "http://" + addr
	resp, body := get(t, base+"/")
	if resp.StatusCode != 200 || body != "<h1>home</h1>" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("/: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if etag == "" || lm == "" {
		t.Fatalf("no validators: %v", resp.Header)
	}
	if resp, _ := get(t, base+"/", "If-None-Match", etag); resp.StatusCode != 304 {
		t.Fatalf("If-None-Match: %d", resp.StatusCode)
	}
	if resp, _ := get(t, base+"/", "If-Modified-Since", lm); resp.StatusCode != 304 {
		t.Fatalf("If-Modified-Since: %d", resp.StatusCode)
	}
	if resp, body := get(t, base+"/big.bin", "Range", "bytes=100-199"); resp.StatusCode != 206 || body != string(big[100:200]) ||
		resp.Header.Get("Content-Range") != fmt.Sprintf("bytes 100-199/%d", len(big)) {
		t.Fatalf("range: %d %q %v", resp.StatusCode, body[:min(len(body), 20)], resp.Header)
	}
	if resp, _ := get(t, base+"/big.bin", "Range", "bytes=99999999-"); resp.StatusCode != 416 {
		t.Fatalf("unsatisfiable range: %d", resp.StatusCode)
	}
	if resp, body := get(t, base+"/big.bin"); resp.StatusCode != 200 || body != string(big) {
		t.Fatalf("big: %d, %d bytes", resp.StatusCode, len(body))
	}
	if resp, _ := get(t, base+"/sub"); resp.StatusCode != 301 || resp.Header.Get("Location") != "/sub/" {
		t.Fatalf("dir without slash: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, body := get(t, base+"/sub/"); resp.StatusCode != 200 || body != "<h1>sub</h1>" {
		t.Fatalf("sub index: %d %q", resp.StatusCode, body)
	}
	if resp, _ := get(t, base+"/noindex/"); resp.StatusCode != 404 {
		t.Fatalf("listing is off by default: %d", resp.StatusCode)
	}
	if resp, _ := get(t, base+"/nope"); resp.StatusCode != 404 {
		t.Fatalf("missing: %d", resp.StatusCode)
	}
	if resp, body := get(t, base+"/link-out"); resp.StatusCode == 200 || strings.Contains(body, "SECRET") {
		t.Fatalf("symlink out of the root served: %d %q", resp.StatusCode, body)
	}
	if resp, _ := get(t, base+"/noindex/x.css"); resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Fatalf("css type: %v", resp.Header)
	}
	out := rawExchange(t, addr, "HEAD /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !strings.Contains(out, fmt.Sprintf("Content-Length: %d\r\n", len(big))) || !strings.HasSuffix(out, "\r\n\r\n") {
		t.Fatalf("HEAD: %q", out)
	}
	out = rawExchange(t, addr, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
	if !strings.HasPrefix(out, "HTTP/1.1 405 ") || !strings.Contains(out, "Allow: GET, HEAD") {
		t.Fatalf("POST: %q", out)
	}
}

// TestStaticTraversal: at least 100 encoded and dotted paths; each must give
// a file inside the root, a 404/403/400/301, never the secret next to it.
func TestStaticTraversal(t *testing.T) {
	root, _ := staticTree(t)
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) { v.ServeDir("/", root, DirOptions{}) })
	var paths []string
	ups := []string{"..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "..%00", "%252e%252e", "..%c0%af", "..\\", "%2e%2e%5c", "...", ". .", "..;"}
	seps := []string{"/", "%2f", "%2F", "//", "/./", "%5c", "\\"}
	for _, up := range ups {
		for _, sep := range seps {
			p := "/" + up + sep + up + sep + "secret.txt"
			paths = append(paths, p, "/sub/"+up+sep+up+sep+up+sep+"secret.txt", "/sub/deeper/"+strings.Repeat(up+sep, 5)+"secret.txt")
		}
	}
	paths = append(paths, "/../secret.txt", "/./../secret.txt", "/sub/../../secret.txt", "/%2e%2e/secret.txt",
		"/link-out", "/dirlink-out/secret.txt", "/dirlink-out/www/index.html", "//secret.txt", "/sub//..//..//secret.txt",
		"/%00/secret.txt", "/sub/%2e%2e%2f%2e%2e%2fsecret.txt", "/sub/deeper/a.txt/../../../secret.txt")
	if len(paths) < 100 {
		t.Fatalf("only %d paths", len(paths))
	}
	for _, p := range paths {
		out := rawExchange(t, addr, "GET "+p+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		if strings.Contains(out, "SECRET-OUTSIDE-ROOT") {
			t.Fatalf("%s served the secret outside the root", p)
		}
		status := ""
		if len(out) >= 12 {
			status = out[9:12]
		}
		switch status {
		case "200", "301", "400", "403", "404":
		default:
			t.Errorf("%s: unexpected %q", p, out[:min(len(out), 40)])
		}
	}
	t.Logf("%d traversal paths: none left the root", len(paths))
}

func TestAccessLog(t *testing.T) {
	var buf syncBuffer
	addr, c := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.HandleFunc("/", hello)
		v.AccessLog(&buf)
	})
	rawExchange(t, addr, "GET /logged?q=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: tester\r\nReferer: http://r/\r\nConnection: close\r\n\r\n")
	time.Sleep(50 * time.Millisecond)
	c.Shutdown(t.Context())
	line := buf.String()
	if !strings.Contains(line, `"GET /logged?q=1 HTTP/1.1" 200 13 "http://r/" "tester"`) || !strings.HasPrefix(line, "127.0.0.1 - - [") {
		t.Fatalf("log line: %q", line)
	}
}

func TestStaticMountPrefix(t *testing.T) {
	root, big := staticTree(t)
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) { v.ServeDir("/files", root, DirOptions{}) })
	base := "http://" + addr
	if resp, _ := get(t, base+"/files"); resp.StatusCode != 301 || resp.Header.Get("Location") != "/files/" {
		t.Fatalf("mount point without slash: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, body := get(t, base+"/files/"); resp.StatusCode != 200 || body != "<h1>home</h1>" {
		t.Fatalf("mount index: %d %q", resp.StatusCode, body)
	}
	if resp, _ := get(t, base+"/files/big.bin", "Range", "bytes=99999999-"); resp.StatusCode != 416 ||
		resp.Header.Get("Content-Range") != fmt.Sprintf("bytes */%d", len(big)) {
		t.Fatalf("416: %d %v", resp.StatusCode, resp.Header)
	}
	if resp, _ := get(t, base+"/other"); resp.StatusCode != 404 {
		t.Fatalf("outside the mount: %d", resp.StatusCode)
	}
}

func TestListingAndErrorPages(t *testing.T) {
	root, _ := staticTree(t)
	page := filepath.Join(t.TempDir(), "404.html")
	os.WriteFile(page, []byte("<p>custom not found</p>"), 0o644)
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.ServeDir("/", root, DirOptions{ListDirs: true})
		if err := v.ErrorPage(404, page); err != nil {
			t.Fatal(err)
		}
	})
	base := "http://" + addr
	resp, body := get(t, base+"/noindex/")
	if resp.StatusCode != 200 || !strings.Contains(body, `href="./x.css"`) {
		t.Fatalf("listing: %d %q", resp.StatusCode, body)
	}
	resp, body = get(t, base+"/missing")
	if resp.StatusCode != 404 || body != "<p>custom not found</p>" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("custom 404: %d %q", resp.StatusCode, body)
	}
}

// TestServerEdges: OPTIONS * is about the server (200, Allow); dotfiles
// are hidden unless asked for, .well-known excepted; a redirect mount
// builds Location from the normalized path, escaped.
func TestServerEdges(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, ".git"), 0o755)
	os.MkdirAll(filepath.Join(root, ".well-known"), 0o755)
	os.WriteFile(filepath.Join(root, ".env"), []byte("SECRET=1"), 0o644)
	os.WriteFile(filepath.Join(root, ".git", "config"), []byte("[core]"), 0o644)
	os.WriteFile(filepath.Join(root, ".well-known", "security.txt"), []byte("contact"), 0o644)
	os.WriteFile(filepath.Join(root, "a.txt"), []byte("a"), 0o644)
	addr, _ := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.ServeDir("/", root, DirOptions{})
		v.ServeDir("/dots", root, DirOptions{ServeDotfiles: true})
		v.Redirect("/old", "/new", 301)
	})
	out := rawExchange(t, addr, "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if !strings.HasPrefix(out, "HTTP/1.1 200 ") || !strings.Contains(out, "Allow: GET, HEAD") {
		t.Fatalf("OPTIONS *: %q", out)
	}
	for path, want := range map[string]int{
		"/.env": 404, "/.git/config": 404, "/a/../.env": 404, "/.well-known/security.txt": 200, "/a.txt": 200,
		"/dots/.env": 200, "/dots/.git/config": 200,
	} {
		if resp, _ := get(t, "http://"+addr+path); resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	for raw, want := range map[string]string{
		"/old/page?q=1":      "/new/page?q=1",
		"//old/x":            "/new/x",
		"/old/a%20b/../c%3F": "/new/c%3F",
	} {
		out := rawExchange(t, addr, "GET "+raw+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		if !strings.Contains(out, "Location: "+want+"\r\n") {
			t.Errorf("redirect %s: want %s in %q", raw, want, out)
		}
	}
}
