package wheel

import (
	"math"
	"testing"
	"time"
)

const (
	ms  = int64(time.Millisecond)
	day = 24 * int64(time.Hour)
)

// probe is a test timer that remembers what it was armed for, so its
// callback can check the wheel's promises against a simple model.
type probe struct {
	Timer
	h      *harness
	armT   int64 // wheel time when armed
	at     int64 // requested expiry (absolute)
	step   int   // harness.step when armed
	armed  bool  // the model's view of Armed
	fired  int
	firedT int64 // now of the Advance that last fired it
	left   int   // remaining self re-arms (periodic probes)
	period time.Duration
}

// harness drives one wheel with a fake clock and checks every firing.
type harness struct {
	t      *testing.T
	w      *Wheel
	origin int64
	tick   int64
	prev   int64 // now of the previous Advance (or origin)
	now    int64 // now of the running Advance
	step   int   // Advances started
	last   int64 // order key of the last fired timer
	all    []*probe
	// Bookkeeping for "each arming ends in exactly one firing or cancel".
	arms, replaced, cancels, fires int
}

func newHarness(t *testing.T, origin int64) *harness {
	return &harness{
		t: t, w: New(time.Millisecond, origin), origin: origin, tick: ms,
		prev: origin, now: origin, last: math.MinInt64,
	}
}

// deadline is the tick boundary at which a timer for at becomes due.
func (h *harness) deadline(at int64) int64 {
	rel := at - h.origin
	k := rel / h.tick
	if rel > 0 && rel%h.tick != 0 {
		k++
	}
	return h.origin + k*h.tick
}

func (h *harness) add() *probe {
	p := &probe{h: h}
	p.Arg = p
	p.F = fireProbe
	h.all = append(h.all, p)
	return p
}

func (h *harness) schedule(p *probe, d time.Duration) {
	h.arms++
	if p.armed {
		h.replaced++
	}
	p.armT = h.w.Now()
	p.at = p.armT + int64(max(d, 0))
	p.step = h.step
	p.armed = true
	h.w.Schedule(&p.Timer, d)
}

func (h *harness) cancel(p *probe) {
	if p.armed {
		h.cancels++
	}
	p.armed = false
	h.w.Cancel(&p.Timer)
}

// overdue reports whether p was armed for a time already reached, which
// the wheel promises to fire at the next Advance.
func (p *probe) overdue() bool { return p.at <= p.armT }

func fireProbe(t *Timer) {
	p := t.Arg.(*probe)
	h := p.h
	switch {
	case !p.armed:
		h.t.Fatalf("fired a timer the model has as unarmed (cancelled or fired)")
	case t.Armed():
		h.t.Fatalf("timer still armed inside its callback")
	case p.at > h.now:
		h.t.Fatalf("fired early: at %d, now %d", p.at, h.now)
	}
	key := h.deadline(p.at)
	if p.overdue() {
		key = h.deadline(p.armT) // due since it was armed
		if p.step != h.step-1 {
			h.t.Fatalf("due timer armed at step %d fired at step %d", p.step, h.step)
		}
	} else {
		if key-p.at >= h.tick {
			h.t.Fatalf("deadline %d is a tick or more after expiry %d", key, p.at)
		}
		if h.prev >= key {
			h.t.Fatalf("late: deadline %d already passed at previous Advance %d", key, h.prev)
		}
	}
	if key < h.last {
		h.t.Fatalf("out of order: deadline %d after %d", key, h.last)
	}
	h.last = key
	p.armed = false
	h.fires++
	p.fired++
	p.firedT = h.now
	if p.left > 0 {
		p.left--
		h.schedule(p, p.period)
	}
}

// advance runs one Advance and then checks nothing due was left behind.
func (h *harness) advance(to int64) int {
	h.step++
	h.now = to
	n := h.w.Advance(to)
	h.prev = to
	armed := 0
	for _, p := range h.all {
		if !p.armed {
			continue
		}
		armed++
		if !p.Armed() {
			h.t.Fatalf("model has a timer armed that the wheel does not")
		}
		missed := h.deadline(p.at) <= to
		if p.overdue() {
			missed = p.step < h.step
		}
		if missed {
			h.t.Fatalf("missed: at %d, armed at %d, now %d", p.at, p.armT, to)
		}
	}
	if armed != h.w.Len() {
		h.t.Fatalf("Len %d, model has %d armed", h.w.Len(), armed)
	}
	return n
}

// minDeadline is the brute-force earliest time any armed probe is due.
func (h *harness) minDeadline() (int64, bool) {
	best, ok := int64(math.MaxInt64), false
	for _, p := range h.all {
		if !p.armed {
			continue
		}
		d := h.deadline(p.at)
		if p.overdue() {
			d = math.MinInt64
		}
		best, ok = min(best, d), true
	}
	return best, ok
}
