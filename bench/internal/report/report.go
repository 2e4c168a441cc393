//go:build linux

// Package report has what the benchmark harnesses' markdown reports share:
// medians and run-by-run ratio ranges, number formatting and the header
// lines describing the machine.
package report

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/golws/golws/bench/internal/machine"
)

// Median is the middle value of v, or the mean of the two middle values
// when len(v) is even. It does not modify v. An empty v has median 0.
func Median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// RatioRange is the lowest and highest of num[i]/den[i]: the ratio of two
// series taken pair by pair (run i of one against run i of the other). ok
// is false if the lengths differ, are zero, or a denominator is not
// positive.
func RatioRange(num, den []float64) (lo, hi float64, ok bool) {
	if len(num) == 0 || len(num) != len(den) {
		return 0, 0, false
	}
	for i := range num {
		if den[i] <= 0 {
			return 0, 0, false
		}
		r := num[i] / den[i]
		if i == 0 || r < lo {
			lo = r
		}
		if i == 0 || r > hi {
			hi = r
		}
	}
	return lo, hi, true
}

// WithRange formats v, followed by "(lo–hi)" when ranged.
func WithRange(v, lo, hi float64, format string, ranged bool) string {
	s := fmt.Sprintf(format, v)
	if ranged {
		s += " (" + fmt.Sprintf(format, lo) + "–" + fmt.Sprintf(format, hi) + ")"
	}
	return s
}

// SizeName writes a byte count as "64 B", "4 KiB" or "1 MiB".
func SizeName(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + " MiB"
	case n >= 1024 && n%1024 == 0:
		return strconv.Itoa(n/1024) + " KiB"
	}
	return strconv.Itoa(n) + " B"
}

// Micros is d in microseconds.
func Micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// Thousands formats a rate with comma grouping for readability.
func Thousands(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// WriteMachine writes the header lines every report starts with: date,
// Go version, CPU and kernel.
func WriteMachine(b *strings.Builder, started time.Time) {
	model, ncpu := machine.CPUModel()
	fmt.Fprintf(b, "- date: %s\n", started.Format("2006-01-02 15:04:05 MST"))
	fmt.Fprintf(b, "- go version: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(b, "- CPU: %s (%d logical CPUs), kernel %s\n", model, ncpu, machine.KernelRelease())
}
