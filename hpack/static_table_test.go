package hpack

import "testing"

func TestStaticTable(t *testing.T) {
	if StaticTableLen() != 61 {
		t.Fatalf("StaticTableLen() = %d", StaticTableLen())
	}
	for _, tc := range []struct {
		index       int
		name, value string
		ok          bool
	}{
		{0, "", "", false},
		{1, ":authority", "", true},
		{2, ":method", "GET", true},
		{16, "accept-encoding", "gzip, deflate", true},
		{61, "www-authenticate", "", true},
		{62, "", "", false},
	} {
		name, value, ok := StaticEntry(tc.index)
		if ok != tc.ok || string(name) != tc.name || string(value) != tc.value {
			t.Errorf("StaticEntry(%d) = %q, %q, %v", tc.index, name, value, ok)
		}
	}
	for i := 1; i <= StaticTableLen(); i++ {
		name, value, _ := StaticEntry(i)
		k := knownNames[string(name)]
		if got := staticExact(k, string(name), string(value)); got != i {
			t.Errorf("staticExact(%q, %q) = %d, want %d", name, value, got, i)
		}
	}
}
