package urlpath

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzClean checks Clean against a deliberately naive reference (decode
// everything, then split and resolve with a stack) and against the
// properties callers rely on. Seeds live in testdata/fuzz/FuzzClean.
func FuzzClean(f *testing.F) {
	for _, tc := range cleanCases {
		f.Add([]byte(tc.raw))
	}
	dst := make([]byte, 0, 1024)
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, err := Clean(nil, raw)
		want, wantErr := referenceClean(raw)
		if (err == nil) != (wantErr == nil) || (err != nil && err != wantErr) {
			t.Fatalf("Clean(%q) error %v, reference %v", raw, err, wantErr)
		}
		if err != nil {
			return
		}
		if string(got) != want {
			t.Fatalf("Clean(%q) = %q, reference %q", raw, got, want)
		}
		if bad := checkClean(got); bad != "" {
			t.Fatalf("Clean(%q) = %q: %s", raw, got, bad)
		}
		if bytes.IndexByte(raw, '%') < 0 {
			again, err := Clean(nil, got)
			if err != nil || !bytes.Equal(again, got) {
				t.Fatalf("Clean(Clean(%q)) = %q, %v; want %q", raw, again, err, got)
			}
		}
		if len(raw) <= cap(dst) {
			// With room in dst, the result must live in dst's array:
			// append never reallocated. AllocsPerRun stops the world,
			// so it confirms this only for a sample of inputs.
			reused, _ := Clean(dst[:0], raw)
			if len(reused) > 0 && &reused[:1][0] != &dst[:1][0] {
				t.Fatalf("Clean(%q) with room in dst reallocated", raw)
			}
			if len(raw)%64 == 0 {
				allocs := testing.AllocsPerRun(1, func() { dst, _ = Clean(dst[:0], raw) })
				if allocs != 0 {
					t.Fatalf("Clean(%q) with room in dst allocated %v times", raw, allocs)
				}
			}
		}
	})
}

// referenceClean is Clean written the obvious, allocating way: decode the
// whole path first, then resolve segments with a stack.
func referenceClean(raw []byte) (string, error) {
	if len(raw) == 0 || raw[0] != '/' {
		return "", ErrNotAbsolute
	}
	var dec []byte
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '%' {
			if i+2 >= len(raw) || !isHex(raw[i+1]) || !isHex(raw[i+2]) {
				return "", ErrBadEscape
			}
			c = fromHex(raw[i+1])<<4 | fromHex(raw[i+2])
			i += 2
		}
		if c < 0x20 || c == 0x7f {
			return "", ErrControlByte
		}
		dec = append(dec, c)
	}
	segs := strings.Split(string(dec[1:]), "/")
	var stack []string
	for _, s := range segs {
		switch s {
		case "", ".":
		case "..":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		default:
			stack = append(stack, s)
		}
	}
	out := "/" + strings.Join(stack, "/")
	last := segs[len(segs)-1]
	if len(stack) > 0 && (last == "" || last == "." || last == "..") {
		out += "/"
	}
	return out, nil
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func fromHex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
