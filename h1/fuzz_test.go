package h1

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzLimits are the limits each fuzz input is parsed with: the defaults,
// and small ones so that short inputs reach every limit too.
var fuzzLimits = []Limits{{}, {MaxRequestLine: 24, MaxHeaderBytes: 96, MaxHeaders: 4, MaxContentLength: 1000}}

// splitPoints are the prefixes a fuzz input is fed in before the whole:
// every one for a short input, a spread for a long one.
func splitPoints(n int) []int {
	if n <= 160 {
		ks := make([]int, n+1)
		for i := range ks {
			ks[i] = i
		}
		return ks
	}
	return []int{0, 1, 2, n / 7, n / 3, n / 2, 2 * n / 3, n - 2, n - 1, n}
}

func FuzzRequest(f *testing.F) {
	_, ins, _ := differentialInputs()
	for _, in := range ins {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lim := range fuzzLimits {
			whole := parseRequestOnce(data, lim)
			if whole.n < 0 || whole.n > len(data) || (whole.err == nil) != (whole.n > 0) {
				t.Fatalf("n = %d of %d, err %v", whole.n, len(data), whole.err)
			}
			if e, ok := whole.err.(*Error); whole.err != nil && whole.err != ErrNeedMore && (!ok || e.Status < 400) {
				t.Fatalf("unexpected error %#v", whole.err)
			}
			if whole.err == nil {
				var p RequestParser
				var r Request
				p.Limits = lim
				p.Parse(data, &r)
				if err := requestAliases(&r, data); err != nil {
					t.Fatal(err)
				}
				if lim == (Limits{}) {
					if req, err := readWithNetHTTP(data); err == nil && comparableWithNetHTTP(&r) {
						if err := agreeWithNetHTTP(&r, req); err != nil {
							t.Fatalf("differs from net/http: %v", err)
						}
					}
				}
			}
			for _, k := range splitPoints(len(data)) {
				got, err := parseRequestSplit(data, k, k%2 == 1, lim)
				if err != nil || got != whole {
					t.Fatalf("split at %d (%v):\n%v\nwhole:\n%v", k, err, got, whole)
				}
			}
			if len(data) <= 4096 {
				if got := parseRequestTrickle(data, lim); got != whole {
					t.Fatalf("byte by byte:\n%v\nwhole:\n%v", got, whole)
				}
			}
		}
	})
}

// comparableWithNetHTTP leaves out heads where the parsers differ by
// design though both accept (see the package doc): net/http decodes the
// percent-encoded zone of an IPv6 host in an absolute-form target.
func comparableWithNetHTTP(r *Request) bool {
	return !strings.Contains(string(r.Authority), "%")
}

func FuzzResponse(f *testing.F) {
	for _, tc := range validResponses {
		f.Add([]byte(tc.head))
	}
	for _, tc := range malformedResponses {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		whole := parseResponseOnce(data)
		if whole.n < 0 || whole.n > len(data) || (whole.err == nil) != (whole.n > 0) {
			t.Fatalf("n = %d of %d, err %v", whole.n, len(data), whole.err)
		}
		if whole.err == nil {
			var p ResponseParser
			var r Response
			p.Parse(data, &r)
			if err := responseAliases(&r, data); err != nil {
				t.Fatal(err)
			}
			for m := MethodGET; m <= MethodOther; m++ {
				if mode := r.BodyMode(m); mode > BodyUntilClose {
					t.Fatalf("BodyMode %v", mode)
				}
			}
		}
		for _, k := range splitPoints(len(data)) {
			got, err := parseResponseSplit(data, k, k%2 == 0)
			if err != nil || got != whole {
				t.Fatalf("split at %d (%v):\n%v\nwhole:\n%v", k, err, got, whole)
			}
		}
	})
}

func FuzzChunked(f *testing.F) {
	for _, tc := range validChunked {
		f.Add([]byte(tc.body))
	}
	for _, tc := range malformedChunked {
		f.Add([]byte(tc.body))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		limits := ChunkedDecoder{MaxChunkSizeLine: 32, MaxTrailerBytes: 64, MaxBodyBytes: 1 << 20}
		for _, dec := range []ChunkedDecoder{{}, limits} {
			d := dec
			whole, err := decodeChunked(&d, data)
			if err != nil {
				t.Fatal(err)
			}
			if whole.consumed > len(data) || len(whole.data) > whole.consumed {
				t.Fatalf("consumed %d, data %d, of %d", whole.consumed, len(whole.data), len(data))
			}
			for _, k := range splitPoints(len(data)) {
				d := dec
				got, err := decodeChunked(&d, data[:k], data[k:])
				if err != nil || got != whole {
					t.Fatalf("split at %d: %+v (%v), whole %+v", k, got, err, whole)
				}
			}
			parts := make([][]byte, len(data))
			for i := range data {
				parts[i] = data[i : i+1]
			}
			d = dec
			if got, err := decodeChunked(&d, parts...); err != nil || got != whole {
				t.Fatalf("byte by byte: %+v (%v), whole %+v", got, err, whole)
			}
		}
	})
}

// TestWriteSeedCorpus writes the test tables as the fuzz seed corpora in
// testdata/fuzz when H1_WRITE_CORPUS=1; the files are checked in.
func TestWriteSeedCorpus(t *testing.T) {
	if os.Getenv("H1_WRITE_CORPUS") != "1" {
		t.Skip("set H1_WRITE_CORPUS=1 to rewrite testdata/fuzz seeds")
	}
	write := func(target, name string, data []byte) {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "seed-"+slug(name))
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	names, ins, _ := differentialInputs()
	for i, in := range ins {
		write("FuzzRequest", names[i], in)
	}
	for _, tc := range validResponses {
		write("FuzzResponse", "valid "+tc.name, []byte(tc.head))
	}
	for _, tc := range malformedResponses {
		write("FuzzResponse", "malformed "+tc.name, []byte(tc.in))
	}
	for _, tc := range validChunked {
		write("FuzzChunked", "valid "+tc.name, []byte(tc.body))
	}
	for _, tc := range malformedChunked {
		write("FuzzChunked", "malformed "+tc.name, []byte(tc.body))
	}
}

// slug turns a case name into a file name.
func slug(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, name)
}
