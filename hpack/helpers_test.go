package hpack

import (
	"encoding/hex"
	"strings"
	"testing"
)

// unhex decodes hex written with optional spaces, as the RFC prints it.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// pair is a field written as name and value.
type pair [2]string

func pairsOf(fields []Field) []pair {
	out := make([]pair, len(fields))
	for i, f := range fields {
		out[i] = pair{string(f.Name), string(f.Value)}
	}
	return out
}

// tablePairs lists a dynamic table newest first, as the RFC prints it.
func tablePairs(t *dynamicTable) []pair {
	out := make([]pair, 0, t.count)
	for r := uint32(1); r <= t.count; r++ {
		n, v := t.entry(r)
		out = append(out, pair{string(n), string(v)})
	}
	return out
}

func equalPairs(a, b []pair) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
