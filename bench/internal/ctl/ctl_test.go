//go:build linux

package ctl

import (
	"slices"
	"testing"
)

func TestParseStatmRSS(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"12345 678 90 1 0 2 0\n", 678},
		{"1 2", 2},
		{"1", -1},
		{"1  2", -1},
		{"1 x2 3", -1},
	} {
		if got := parseStatmRSS([]byte(c.in)); got != c.want {
			t.Errorf("parseStatmRSS(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

func TestWithoutEnv(t *testing.T) {
	env := []string{"A=1", "GOMAXPROCS=4", "GOMAXPROCSX=2", "B=2"}
	got := WithoutEnv(env, "GOMAXPROCS")
	if want := []string{"A=1", "GOMAXPROCSX=2", "B=2"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if len(env) != 4 || env[1] != "GOMAXPROCS=4" {
		t.Errorf("input modified: %q", env)
	}
}
