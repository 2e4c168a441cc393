package hist

import "testing"

// TestBuckets checks that every slot's range holds exactly the values
// mapped to it, so quantiles are never off by more than one slot width.
func TestBuckets(t *testing.T) {
	vals := []uint64{0, 1, 31, 32, 33, 63, 64, 65, 1000, 12345, 1 << 40, 1<<63 + 5, ^uint64(0)}
	for _, v := range vals {
		i := bucketOf(v)
		lo, hi := bucketRange(i)
		if v < lo || (hi != 0 && v >= hi) {
			t.Errorf("value %d in slot %d with range [%d,%d)", v, i, lo, hi)
		}
		if i >= len(Histogram{}.counts) {
			t.Errorf("value %d: slot %d out of range", v, i)
		}
	}
	for v := uint64(0); v < 1<<16; v++ {
		if i, j := bucketOf(v), bucketOf(v+1); j != i && j != i+1 {
			t.Fatalf("slots not contiguous at %d: %d then %d", v, i, j)
		}
	}
}

func TestQuantile(t *testing.T) {
	var h Histogram
	for v := uint64(1); v <= 1000; v++ {
		h.Record(v * 1000)
	}
	for _, c := range []struct {
		q    float64
		want uint64
	}{{0.5, 500_000}, {0.99, 990_000}} {
		got := h.Quantile(c.q)
		if d := float64(got)/float64(c.want) - 1; d < -0.07 || d > 0.07 {
			t.Errorf("q%.2f = %d, want about %d", c.q, got, c.want)
		}
	}
}
