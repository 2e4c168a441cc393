package wheel

import (
	"math/rand/v2"
	"testing"
	"time"
)

const benchArmed = 100_000

// benchWheel arms benchArmed timers spread over up to spread at a 1ms
// tick, the shape of per-connection timeouts. Each re-arms itself with a
// fresh delay on expiry so the population stays constant.
func benchWheel(spread time.Duration) (*Wheel, []Timer, []time.Duration) {
	r := rand.New(rand.NewPCG(7, 8))
	delays := make([]time.Duration, 4096) // precomputed: keep rand out of the timing
	for i := range delays {
		delays[i] = randDur(r, int64(time.Millisecond), int64(spread))
	}
	w := New(time.Millisecond, 0)
	ts := make([]Timer, benchArmed)
	next := 0
	rearm := func(t *Timer) {
		next++
		w.Schedule(t, delays[next%len(delays)])
	}
	for i := range ts {
		ts[i].F = rearm
		w.Schedule(&ts[i], delays[i%len(delays)])
	}
	return w, ts, delays
}

func BenchmarkScheduleCancel(b *testing.B) {
	w, _, delays := benchWheel(10 * time.Minute)
	var t Timer
	t.F = func(*Timer) {}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w.Schedule(&t, delays[i%len(delays)])
		w.Cancel(&t)
		i++
	}
}

func BenchmarkReschedule(b *testing.B) {
	w, ts, delays := benchWheel(10 * time.Minute)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w.Schedule(&ts[i%len(ts)], delays[i%len(delays)])
		i++
	}
}

// BenchmarkAdvanceTick advances one tick at a time with 100k armed timers.
// Spread over 10 minutes about 1 in 3 ticks fires one (idle timeouts);
// spread over 1s about 100 fire and re-arm per tick (a busy server).
func BenchmarkAdvanceTick(b *testing.B) {
	for _, spread := range []time.Duration{10 * time.Minute, time.Second} {
		b.Run("spread="+spread.String(), func(b *testing.B) {
			w, _, _ := benchWheel(spread)
			now := int64(0)
			fired := 0
			b.ReportAllocs()
			for b.Loop() {
				now += int64(time.Millisecond)
				fired += w.Advance(now)
			}
			b.ReportMetric(float64(fired)/float64(b.N), "fired/op")
		})
	}
}

// BenchmarkLongJump sleeps 30 days in one Advance with a single timer
// armed: the cost must not depend on the ticks skipped.
func BenchmarkLongJump(b *testing.B) {
	w := New(time.Millisecond, 0)
	var t Timer
	t.F = func(*Timer) {}
	b.ReportAllocs()
	for b.Loop() {
		w.Schedule(&t, 30*24*time.Hour)
		w.Advance(w.Now() + int64(30*24*time.Hour))
	}
}
