package hpack

import "testing"

func TestKnownLookup(t *testing.T) {
	for name, want := range knownNames {
		if got := knownLookup.get(name); got != want {
			t.Errorf("%q: %+v, want %+v", name, got, want)
		}
	}
	for _, name := range []string{"", "x", "content-typ", "Content-Type", "x-custom-header", "dat"} {
		if got := knownLookup.get(name); got != knownNames[name] {
			t.Errorf("%q: %+v, want %+v", name, got, knownNames[name])
		}
	}
}
