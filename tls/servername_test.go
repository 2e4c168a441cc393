package tls

import "testing"

func TestServerNameMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		// Exact.
		{"example.com", "example.com", true},
		{"example.com", "www.example.com", false},
		{"www.example.com", "example.com", false},
		{"example.com", "example.org", false},
		{"localhost", "localhost", true},
		{"127.0.0.1", "127.0.0.1", true},
		{"::1", "::1", true},

		// Wildcard: exactly one leftmost label.
		{"*.example.com", "www.example.com", true},
		{"*.example.com", "a-b.example.com", true},
		{"*.example.com", "example.com", false},
		{"*.example.com", "a.b.example.com", false},
		{"*.example.com", ".example.com", false},
		{"*.example.com", "www.example.org", false},
		{"*.example.com", "wwwexample.com", false},
		{"*.a.com", "a.com", false},
		{"*.a.com", "x.y.a.com", false},
		{"*.a.com", "x.a.com", true},
		{"*.localhost", "app.localhost", true},

		// No partial-label or non-leftmost wildcards.
		{"f*.example.com", "foo.example.com", false},
		{"*o.example.com", "foo.example.com", false},
		{"f*o.example.com", "foo.example.com", false},
		{"www.*.com", "www.example.com", false},
		{"*.*.example.com", "a.b.example.com", false},
		{"*", "localhost", false},
		{"*.", "a.", false},
		{"*..com", "a..com", false},

		// Wildcards never match IP addresses; names with '*' never match.
		{"*.0.0.1", "127.0.0.1", false},
		{"*.example.com", "*.example.com", false},
		{"f*.example.com", "f*.example.com", false},

		// Case (ASCII only) and trailing dots.
		{"Example.COM", "example.com", true},
		{"*.Example.COM", "www.example.com", true},
		{"example.com", "EXAMPLE.com", true},
		{"*.example.com", "WWW.EXAMPLE.COM", true},
		{"example.com.", "example.com", true},
		{"*.example.com", "www.example.com.", true},
		{"\u212a.example.com", "k.example.com", false}, // KELVIN SIGN is not K

		// Empty.
		{"", "", false},
		{"", "example.com", false},
		{"example.com", "", false},
		{"*.example.com", "", false},
	} {
		if got := ServerNameMatch(tc.pattern, tc.name); got != tc.want {
			t.Errorf("ServerNameMatch(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}
