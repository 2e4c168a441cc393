package golws

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// h2specTool finds h2spec on PATH or where "go install" puts it.
func h2specTool(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("h2spec"); err != nil {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
				p := filepath.Join(dir, "bin", "h2spec")
				if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
					return p
				}
			}
		}
	}
	return peer(t, "h2spec")
}

// h2specReport is the part of h2spec's JUnit report the test reads.
type h2specReport struct {
	Suites []struct {
		Package string `xml:"package,attr"` // "http2/6.5.3", "hpack/4.2", "generic/1"
		Name    string `xml:"name,attr"`
		Cases   []struct {
			Package   string    `xml:"package,attr"`
			ClassName string    `xml:"classname,attr"` // the case's description
			Failure   *struct{} `xml:"failure"`
			Error     *struct {
				Content string `xml:",innerxml"`
			} `xml:"error"`
			Skipped *struct{} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// h2specResult is one run: the cases by h2spec's id ("3.5/2", the
// section and the case's number in it, as "h2spec http2/3.5/2" runs it).
type h2specResult struct {
	total, passed int
	failed        []string // ids
	skipped       []string
	detail        map[string]string // id: description and error
	output        string
}

// runH2spec runs h2spec in strict mode against port and reads its report.
func runH2spec(t *testing.T, tool, port string) h2specResult {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.xml")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, "-S", "-h", "127.0.0.1", "-p", port, "-j", report, "-o", "5")
	out, err := cmd.CombinedOutput() // exits non-zero when a case fails
	if ctx.Err() != nil {
		t.Fatalf("h2spec timed out:\n%s", out)
	}
	data, rerr := os.ReadFile(report)
	if rerr != nil {
		t.Fatalf("h2spec wrote no report (%v, %v):\n%s", err, rerr, out)
	}
	var rep h2specReport
	if err := xml.Unmarshal(data, &rep); err != nil {
		t.Fatalf("h2spec report: %v\n%s", err, data)
	}
	res := h2specResult{detail: map[string]string{}, output: string(out)}
	for _, s := range rep.Suites {
		sec := s.Package[strings.IndexByte(s.Package, '/')+1:]
		n := 0
		for _, c := range s.Cases {
			if c.Package == "" { // h2spec pads its lists with empty elements
				continue
			}
			n++
			id := fmt.Sprintf("%s/%d", sec, n)
			if strings.HasPrefix(s.Package, "hpack/") || strings.HasPrefix(s.Package, "generic/") {
				id = s.Package + "/" + fmt.Sprint(n)
			}
			res.total++
			switch {
			case c.Skipped != nil:
				res.skipped = append(res.skipped, id)
			case c.Failure != nil || c.Error != nil:
				res.failed = append(res.failed, id)
				msg := ""
				if c.Error != nil {
					msg = c.Error.Content
				}
				res.detail[id] = fmt.Sprintf("%s %s: %s", s.Name, c.ClassName, msg)
			default:
				res.passed++
			}
		}
	}
	return res
}

func (r h2specResult) failures() string {
	var b strings.Builder
	for _, id := range r.failed {
		fmt.Fprintf(&b, "  %s  %s\n", id, r.detail[id])
	}
	return b.String()
}

// TestH2Spec runs h2spec's 146 cases (strict mode) against the HTTP/2-only
// listener, where every one must pass, and against the shared plaintext
// listener, where only "3.5/2" (an invalid connection preface) fails: it
// does not start with "PRI", so it is read, by design, as a bad HTTP/1.1
// request rather than answered with a GOAWAY.
func TestH2Spec(t *testing.T) {
	tool := h2specTool(t)
	body := bytes.Repeat([]byte("h2spec wants DATA frames. "), 4096/26+1)[:4096]
	sharedAddr, c := testServer(t, Config{}, func(c *Context, v *Vhost) {
		v.HandleFunc("/", func(w *Response, r *Request) {
			w.ContentType("text/plain")
			w.Write(body)
		})
	})
	shared, err := net.ResolveTCPAddr("tcp", sharedAddr)
	if err != nil {
		t.Fatal(err)
	}
	h2only, err := c.ListenH2C("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := func(a net.Addr) string { return fmt.Sprint(a.(*net.TCPAddr).Port) }

	t.Run("ListenH2C", func(t *testing.T) {
		r := runH2spec(t, tool, port(h2only))
		t.Logf("h2spec: %d cases, %d passed", r.total, r.passed)
		if r.total != 146 || r.passed != 146 || len(r.failed) != 0 || len(r.skipped) != 0 {
			t.Fatalf("h2spec: %d cases, %d passed, failed %v, skipped %v\n%s\n%s",
				r.total, r.passed, r.failed, r.skipped, r.failures(), r.output)
		}
	})
	t.Run("Listen", func(t *testing.T) {
		r := runH2spec(t, tool, port(shared))
		t.Logf("h2spec: %d cases, %d passed, failed %v\n%s", r.total, r.passed, r.failed, r.failures())
		if r.total != 146 || r.passed != 145 || !slices.Equal(r.failed, []string{"3.5/2"}) || len(r.skipped) != 0 {
			t.Fatalf("h2spec: %d cases, %d passed, failed %v (want only 3.5/2), skipped %v\n%s\n%s",
				r.total, r.passed, r.failed, r.skipped, r.failures(), r.output)
		}
	})
}
