package wheel

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// randDur returns a random duration in [lo, hi), deliberately not tick
// aligned so rounding is exercised.
func randDur(r *rand.Rand, lo, hi int64) time.Duration {
	return time.Duration(lo + r.Int64N(hi-lo))
}

// randStep mixes busy-loop steps (sub-tick to a few ticks) with idle
// waits up to long, so both the tick-by-tick and the skipping paths run.
func randStep(r *rand.Rand, long int64) int64 {
	switch x := r.IntN(100); {
	case x < 85:
		return r.Int64N(3 * ms)
	case x < 97:
		return r.Int64N(int64(time.Second))
	default:
		return r.Int64N(long)
	}
}

func TestFireOrderAndPrecision(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	// An odd, negative origin: the wheel must not assume zero or alignment.
	h := newHarness(t, -987_654_321_123)
	short, long := 4000, 200
	if testing.Short() {
		short, long = 1000, 50
	}
	for i := range short {
		p := h.add()
		if i%10 == 0 {
			p.left, p.period = 3, randDur(r, 0, int64(time.Minute)) // periodic
		}
		if i%50 == 0 {
			h.schedule(p, 0) // due at once
			continue
		}
		h.schedule(p, randDur(r, 0, int64(10*time.Minute)))
	}
	for range long {
		h.schedule(h.add(), randDur(r, day, 40*day))
	}
	// Fine steps through the first 15 minutes, where the short timers
	// live, then coarse ones out past the 40-day timers.
	now := h.origin
	for _, phase := range []struct{ until, long int64 }{
		{h.origin + int64(15*time.Minute), int64(10 * time.Second)},
		{h.origin + 41*day, 2 * day},
	} {
		for now < phase.until {
			now += randStep(r, phase.long)
			h.advance(now)
			// Now and then move, cancel or re-arm something between steps.
			if p := h.all[r.IntN(len(h.all))]; r.IntN(8) == 0 {
				if p.armed && r.IntN(2) == 0 {
					h.cancel(p)
				} else {
					h.schedule(p, randDur(r, 0, int64(time.Hour)))
				}
			}
		}
	}
	h.advance(now + day) // anything re-armed near the end
	if h.w.Len() != 0 {
		t.Fatalf("Len = %d after draining", h.w.Len())
	}
	if want := h.arms - h.replaced - h.cancels; h.fires != want {
		t.Fatalf("%d firings for %d armings that were neither replaced nor cancelled", h.fires, want)
	}
	t.Logf("%d Advances, %d firings, %d cancels", h.step, h.fires, h.cancels)
}

func TestCancelBeforeExpiry(t *testing.T) {
	w := New(time.Millisecond, 0)
	fired := 0
	ts := make([]Timer, 100)
	for i := range ts {
		ts[i].F = func(*Timer) { fired++ }
		w.Schedule(&ts[i], time.Duration(i+1)*time.Millisecond)
	}
	for i := 0; i < len(ts); i += 2 {
		w.Cancel(&ts[i])
		w.Cancel(&ts[i]) // second cancel is a no-op
	}
	if w.Len() != 50 {
		t.Fatalf("Len = %d, want 50", w.Len())
	}
	if n := w.Advance(int64(time.Second)); n != 50 || fired != 50 {
		t.Fatalf("Advance fired %d (callbacks %d), want 50", n, fired)
	}
	var z Timer
	w.Cancel(&z) // zero timer: no-op
	if w.Len() != 0 || z.Armed() {
		t.Fatal("zero timer cancel changed state")
	}
}

func TestCancelInCallback(t *testing.T) {
	for _, tc := range []struct {
		name  string
		da, d time.Duration // a's delay and the victim's delay
	}{
		{"same tick", 5 * time.Millisecond, 5 * time.Millisecond},
		{"later in same Advance", 5 * time.Millisecond, 2 * time.Hour},
		{"both due list", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := New(time.Millisecond, 0)
			var a, b, c Timer
			got := ""
			a.F = func(*Timer) { got += "a"; w.Cancel(&b) }
			b.F = func(*Timer) { got += "b" }
			c.F = func(*Timer) { got += "c" }
			w.Schedule(&a, tc.da)
			w.Schedule(&b, tc.d)
			w.Schedule(&c, tc.d)
			n := w.Advance(int64(3 * time.Hour))
			if got != "ac" || n != 2 || w.Len() != 0 {
				t.Fatalf("fired %q (n=%d, Len=%d), want \"ac\"", got, n, w.Len())
			}
		})
	}
}

func TestMoveInCallback(t *testing.T) {
	w := New(time.Millisecond, 0)
	var a, b Timer
	var bAt int64
	a.F = func(*Timer) { w.Schedule(&b, time.Hour) } // push b out
	b.F = func(*Timer) { bAt = w.Now() }
	w.Schedule(&a, time.Millisecond)
	w.Schedule(&b, 2*time.Millisecond)
	if n := w.Advance(int64(10 * time.Millisecond)); n != 1 {
		t.Fatalf("fired %d, want only a", n)
	}
	if n := w.Advance(int64(time.Hour)); n != 0 {
		t.Fatalf("b fired early")
	}
	if n := w.Advance(int64(time.Hour + 10*time.Millisecond)); n != 1 || bAt == 0 {
		t.Fatalf("b did not fire at 1h10ms")
	}
}

func TestPeriodic(t *testing.T) {
	w := New(time.Millisecond, 0)
	var p Timer
	var times []int64
	p.F = func(t *Timer) {
		times = append(times, w.Now())
		w.Schedule(t, 10*time.Millisecond)
	}
	w.Schedule(&p, 10*time.Millisecond)
	for now := int64(0); now <= int64(time.Second); now += ms {
		w.Advance(now)
	}
	if len(times) != 100 {
		t.Fatalf("fired %d times, want 100", len(times))
	}
	for i, at := range times {
		if want := int64(i+1) * 10 * ms; at != want {
			t.Fatalf("firing %d at %d, want %d", i, at, want)
		}
	}
	if !p.Armed() || w.Len() != 1 {
		t.Fatal("periodic timer not re-armed")
	}
}

// A callback re-arming itself with d <= 0 fires once per Advance, not in a
// loop, and still fires at the next Advance even if time has not moved.
func TestZeroDelayRearm(t *testing.T) {
	w := New(time.Millisecond, 0)
	var p Timer
	n := 0
	p.F = func(t *Timer) { n++; w.Schedule(t, 0) }
	w.Schedule(&p, 0)
	for i := 1; i <= 3; i++ {
		if got := w.Advance(0); got != 1 || n != i {
			t.Fatalf("Advance %d fired %d (total %d)", i, got, n)
		}
	}
}

func TestScheduleMoves(t *testing.T) {
	w := New(time.Millisecond, 1000)
	var p Timer
	fired := 0
	p.F = func(*Timer) { fired++ }
	w.Schedule(&p, 100*time.Millisecond)
	w.Schedule(&p, 50*time.Millisecond) // earlier
	if w.Len() != 1 {
		t.Fatalf("Len = %d after re-arm", w.Len())
	}
	w.Advance(1000 + 50*ms)
	if fired != 1 {
		t.Fatalf("fired %d at 50ms", fired)
	}
	w.Schedule(&p, 10*time.Millisecond)
	w.Schedule(&p, time.Hour) // later
	if w.Advance(1000+60*ms) != 0 || w.Advance(1000+int64(time.Hour)) != 0 {
		t.Fatal("fired at the old time")
	}
	if w.Advance(1000+50*ms+int64(time.Hour)) != 1 {
		t.Fatal("did not fire at the new time")
	}
	// ScheduleAt in the past fires at the next Advance, even with no time passing.
	w.ScheduleAt(&p, 0)
	if n := w.Advance(w.Now()); n != 1 {
		t.Fatalf("past ScheduleAt fired %d", n)
	}
}

func TestNextNeverLate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	h := newHarness(t, 5_000_000_017)
	if d := h.w.Next(h.origin); d >= 0 {
		t.Fatalf("Next on empty wheel = %v, want < 0", d)
	}
	for range 500 {
		h.add()
	}
	for i := 0; i < 3000; i++ {
		// Random churn: arm, re-arm, cancel, with a spread of distances.
		p := h.all[r.IntN(len(h.all))]
		switch x := r.IntN(10); {
		case x == 0 && p.armed:
			h.cancel(p)
		case x < 3:
			h.schedule(p, randDur(r, 0, int64(100*time.Millisecond)))
		case x < 8:
			h.schedule(p, randDur(r, 0, int64(10*time.Minute)))
		case x == 8:
			h.schedule(p, randDur(r, 0, 40*day))
		default:
			h.schedule(p, 0)
		}
		if r.IntN(3) == 0 {
			h.advance(h.w.Now() + randStep(r, int64(time.Hour)))
		}
		// Query at several instants from now on.
		for range 3 {
			q := h.w.Now() + r.Int64N(int64(time.Hour))
			if r.IntN(2) == 0 {
				q = h.w.Now() + r.Int64N(2*ms)
			}
			checkNext(t, h, q)
		}
	}
}

func checkNext(t *testing.T, h *harness, now int64) {
	t.Helper()
	got := h.w.Next(now)
	dl, ok := h.minDeadline()
	if !ok {
		if got >= 0 {
			t.Fatalf("Next = %v with no timer armed", got)
		}
		return
	}
	want := time.Duration(max(0, dl-now))
	if dl == math.MinInt64 {
		want = 0
	}
	if got < 0 || got > want {
		t.Fatalf("Next(%d) = %v, true earliest due in %v", now, got, want)
	}
}

// An event loop that sleeps exactly Next each round fires every timer at
// its deadline, and Next's early wake-ups (cascade points) stay few.
func TestNextDrivesLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	h := newHarness(t, 42)
	const n = 2000
	for i := range n {
		d := randDur(r, 1, int64(10*time.Minute))
		if i%20 == 0 {
			d = randDur(r, day, 30*day)
		}
		h.schedule(h.add(), d)
	}
	rounds, now := 0, h.origin
	for {
		d := h.w.Next(now)
		if d < 0 {
			break
		}
		now += int64(d)
		h.advance(now)
		rounds++
	}
	for _, p := range h.all {
		if p.fired != 1 || p.firedT != h.deadline(p.at) {
			t.Fatalf("timer at %d fired %d times, last at %d, deadline %d",
				p.at, p.fired, p.firedT, h.deadline(p.at))
		}
	}
	// Each round fires at least one timer or passes a cascade point; a
	// timer causes at most one early wake per level it cascades through.
	if rounds > n*levels {
		t.Fatalf("%d rounds for %d timers", rounds, n)
	}
	t.Logf("%d timers, %d loop rounds", n, rounds)
}

func TestLongJump(t *testing.T) {
	w := New(time.Millisecond, 0)
	var a, b Timer
	fired := 0
	a.F = func(*Timer) { fired++ }
	b.F = a.F
	w.Schedule(&a, time.Hour)
	w.Schedule(&b, 30*24*time.Hour)

	w.steps = 0
	if n := w.Advance(int64(10 * time.Minute)); n != 0 || w.steps != 0 {
		t.Fatalf("10 min sleep: fired %d in %d steps", n, w.steps)
	}
	if d := w.Next(w.Now()); d <= 0 || d > 50*time.Minute {
		t.Fatalf("Next after 10 min = %v", d)
	}
	w.steps = 0
	if n := w.Advance(int64(31 * 24 * time.Hour)); n != 2 || fired != 2 {
		t.Fatalf("30 day jump fired %d", n)
	}
	// One event per cascade level per timer at most, not ~2.6e9 ticks.
	if w.steps > 2*levels {
		t.Fatalf("30 day jump took %d steps", w.steps)
	}
	t.Logf("30 day jump: %d steps", w.steps)
}

func TestFarFutureAndOverflow(t *testing.T) {
	w := New(time.Nanosecond, math.MaxInt64/2) // 1ns tick: the full 63-bit range
	var p Timer
	p.F = func(*Timer) {}
	w.Schedule(&p, math.MaxInt64) // saturates to MaxInt64
	if d := w.Next(w.Now()); d <= 0 {
		t.Fatalf("Next = %v for a far timer", d)
	}
	if w.Advance(math.MaxInt64-1) != 0 {
		t.Fatal("fired before MaxInt64")
	}
	if w.Advance(math.MaxInt64) != 1 {
		t.Fatal("did not fire at MaxInt64")
	}
}

func TestMisuse(t *testing.T) {
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", name)
			}
		}()
		f()
	}
	mustPanic("zero tick", func() { New(0, 0) })
	w1, w2 := New(time.Millisecond, 0), New(time.Millisecond, 0)
	var p Timer
	p.F = func(*Timer) {}
	w1.Schedule(&p, time.Second)
	mustPanic("cancel on other wheel", func() { w2.Cancel(&p) })
	mustPanic("schedule on other wheel", func() { w2.Schedule(&p, time.Second) })
	var q Timer
	q.F = func(*Timer) { w1.Advance(w1.Now()) }
	w1.Schedule(&q, 0)
	mustPanic("re-entrant Advance", func() { w1.Advance(0) })
	// The wheel stays usable after a callback panic.
	w1.Cancel(&p)
	if w1.Advance(int64(time.Hour)) != 0 || w1.Len() != 0 {
		t.Fatal("wheel broken after callback panic")
	}
	// Time going backwards is ignored.
	w1.Advance(0)
	if w1.Now() != int64(time.Hour) {
		t.Fatalf("Now went backwards to %d", w1.Now())
	}
}

func TestAllocs(t *testing.T) {
	w := New(time.Millisecond, 0)
	var p, q Timer
	p.F = func(*Timer) {}
	q.F = p.F
	w.Schedule(&q, time.Hour) // keep something else armed
	now := int64(0)
	i := 0
	for name, f := range map[string]func(){
		"Schedule unarmed + Cancel": func() { w.Schedule(&p, time.Second); w.Cancel(&p) },
		"re-Schedule armed": func() {
			i++
			w.Schedule(&p, time.Duration(i%5000)*time.Millisecond)
		},
		"ScheduleAt + Cancel": func() { w.ScheduleAt(&p, now+int64(time.Minute)); w.Cancel(&p) },
		"Advance firing": func() {
			w.Schedule(&p, time.Millisecond)
			now += ms
			if w.Advance(now) != 1 {
				t.Fatal("Advance did not fire")
			}
		},
	} {
		if a := testing.AllocsPerRun(1000, f); a != 0 {
			t.Errorf("%s: %v allocs per run", name, a)
		}
	}
}
