//go:build linux

package report

import "testing"

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{5}, 5},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{9, 1, 1}, 1},
	} {
		in := append([]float64(nil), c.in...)
		if got := Median(in); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
		for i := range in {
			if in[i] != c.in[i] {
				t.Fatalf("Median reordered its input: %v", in)
			}
		}
	}
}

func TestRatioRange(t *testing.T) {
	lo, hi, ok := RatioRange([]float64{6, 7, 5}, []float64{8, 7, 10})
	if !ok || lo != 0.5 || hi != 1 {
		t.Errorf("got %v–%v (%v), want 0.5–1", lo, hi, ok)
	}
	if _, _, ok := RatioRange([]float64{1}, []float64{0}); ok {
		t.Error("zero denominator accepted")
	}
	if _, _, ok := RatioRange([]float64{1, 2}, []float64{1}); ok {
		t.Error("length mismatch accepted")
	}
}

func TestFormatting(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{Thousands(1234567.4), "1,234,567"},
		{Thousands(999), "999"},
		{SizeName(64), "64 B"},
		{SizeName(4096), "4 KiB"},
		{SizeName(1 << 20), "1 MiB"},
		{SizeName(1536), "1536 B"},
		{WithRange(6.41, 6.2, 6.9, "%.2f", true), "6.41 (6.20–6.90)"},
		{WithRange(6.41, 6.2, 6.9, "%.2f", false), "6.41"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
