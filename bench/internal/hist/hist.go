// Package hist is the latency Histogram the bench harnesses share.
package hist

import "math/bits"

// Histogram counts latencies in log-linear buckets: each power of two is
// split into 1<<subBits equal slots, so any recorded value is known to
// within 1/16 (6.25%) whatever its magnitude. Recording is an index
// computation and an increment: no allocation and no sorting in the hot
// loop, and per-connection histograms merge by adding counts.
type Histogram struct {
	counts [64 << subBits]uint64
	n      uint64
}

const subBits = 4

// bucketOf maps v to its slot. Values below 32 have a slot each; above,
// the top subBits+1 significant bits pick the slot.
func bucketOf(v uint64) int {
	if v < 2<<subBits {
		return int(v)
	}
	shift := bits.Len64(v) - subBits - 1
	return (shift+1)<<subBits + int((v>>shift)&(1<<subBits-1))
}

// bucketRange is the [lo, hi) span of values that land in slot i.
func bucketRange(i int) (lo, hi uint64) {
	if i < 2<<subBits {
		return uint64(i), uint64(i) + 1
	}
	shift := i>>subBits - 1
	m := uint64(i&(1<<subBits-1)) | 1<<subBits
	return m << shift, (m + 1) << shift
}

// Count is the number of values recorded.
func (h *Histogram) Count() uint64 { return h.n }

// Record counts one value.
func (h *Histogram) Record(v uint64) {
	h.counts[bucketOf(v)]++
	h.n++
}

// Merge adds o's counts to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// Quantile returns the midpoint of the slot holding the q-th value.
func (h *Histogram) Quantile(q float64) uint64 {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.5)
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo, hi := bucketRange(i)
			return lo + (hi-lo)/2
		}
	}
	return 0
}
