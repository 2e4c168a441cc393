package wheel

import (
	"math"
	"math/bits"
	"time"
)

const (
	slotBits      = 6 // 64 slots: one uint64 occupancy word per level
	slotsPerLevel = 1 << slotBits
	slotMask      = slotsPerLevel - 1
	// levels*slotBits = 66 >= 63, so any non-negative int64 tick fits and
	// no overflow list is needed.
	levels = 11
)

// Wheel is a hierarchical timing wheel. It must not be copied after New
// (its list heads are linked to by address) and is not safe for concurrent
// use.
type Wheel struct {
	tick   int64  // nanoseconds per tick
	origin int64  // the now given to New; tick 0 starts here
	now    int64  // last time passed to New or Advance
	cur    uint64 // last processed tick: everything expiring at or before it has fired
	n      int    // armed timers, including due and firing ones

	occ   [levels]uint64                // bit s of occ[L] set <=> slot s of level L is non-empty
	slots [levels * slotsPerLevel]Timer // sentinel list heads
	due   Timer                         // armed for a time already passed; fire at the next Advance
	fire  Timer                         // due timers being fired by the running Advance
	busy  bool                          // inside Advance, to refuse re-entry

	steps int // slot-processing iterations in Advance; lets tests prove skipping
}

// New makes a wheel with the given tick (e.g. time.Millisecond), starting at
// now (monotonic nanoseconds, any origin; the caller passes the same clock
// everywhere).
func New(tick time.Duration, now int64) *Wheel {
	if tick <= 0 {
		panic("wheel: non-positive tick")
	}
	w := &Wheel{tick: int64(tick), origin: now, now: now}
	for i := range w.slots {
		initHead(&w.slots[i])
	}
	initHead(&w.due)
	initHead(&w.fire)
	return w
}

// Len returns the number of armed timers.
func (w *Wheel) Len() int { return w.n }

// Now returns the wheel's current time: the now of the last Advance (or of
// New). Inside a callback it is already the now of the running Advance.
func (w *Wheel) Now() int64 { return w.now }

// Schedule arms t to fire d after the wheel's current time, re-arming it if
// it is already armed; d <= 0 fires at the next Advance.
func (w *Wheel) Schedule(t *Timer, d time.Duration) {
	if d <= 0 {
		w.arm(t)
		w.place(t, w.now)
		return
	}
	at := w.now + int64(d)
	if at < w.now { // overflow: "never" in practice, keep it last
		at = math.MaxInt64
	}
	w.arm(t)
	w.place(t, at)
}

// ScheduleAt arms t to fire at absolute time at (same clock as now),
// re-arming it if it is already armed. A time not after Now fires at the
// next Advance.
func (w *Wheel) ScheduleAt(t *Timer, at int64) {
	w.arm(t)
	w.place(t, at)
}

// Cancel disarms t; it is a no-op if t is not armed. A timer cancelled by a
// callback during Advance does not fire in that Advance.
func (w *Wheel) Cancel(t *Timer) {
	if t.next == nil {
		return
	}
	w.own(t)
	w.unlink(t)
	t.w = nil
	w.n--
}

// arm takes t off whatever list it is on (keeping it counted) or, if it
// was unarmed, starts counting it.
func (w *Wheel) arm(t *Timer) {
	if t.next != nil {
		w.own(t)
		w.unlink(t)
		return
	}
	t.w = w
	w.n++
}

// own panics if t is armed on another wheel: unlinking it here would clear
// this wheel's bitmaps and counts for a list that is not ours.
func (w *Wheel) own(t *Timer) {
	if t.w != w {
		panic("wheel: timer is armed on a different wheel")
	}
}

// place links an unlinked, counted t for absolute time at.
func (w *Wheel) place(t *Timer, at int64) {
	if at <= w.now {
		// Already due. The due list, not a slot, guarantees it fires at
		// the next Advance even if that Advance does not reach a new tick,
		// and never in the Advance that is running now (so a callback
		// re-arming itself with d <= 0 cannot loop forever).
		t.idx = overdue
		pushBack(&w.due, t)
		return
	}
	// at > now >= origin, so rel > 0 unless the subtraction overflowed.
	rel := at - w.origin
	if rel <= 0 {
		rel = math.MaxInt64
	}
	k := rel / w.tick
	if rel%w.tick != 0 {
		k++ // round up: never fire early
	}
	w.insert(t, uint64(k))
}

// insert links t into the slot for expiry tick e, which must be >= w.cur.
// The level is the highest 6-bit digit where e and cur differ, so every
// occupied slot lies strictly ahead of cur's digit on its level; e == cur
// (only during a cascade) lands in level 0 at cur's own slot, which the
// running Advance fires right away.
func (w *Wheel) insert(t *Timer, e uint64) {
	lvl := 0
	if x := e ^ w.cur; x != 0 {
		lvl = (bits.Len64(x) - 1) / slotBits
	}
	s := int(e>>(lvl*slotBits)) & slotMask
	idx := lvl*slotsPerLevel + s
	t.expires = e
	t.idx = int32(idx)
	pushBack(&w.slots[idx], t)
	w.occ[lvl] |= 1 << s
}

// unlink removes t from its list, clearing the slot's occupancy bit when it
// empties. Counting is left to the caller.
func (w *Wheel) unlink(t *Timer) {
	t.prev.next = t.next
	t.next.prev = t.prev
	t.next, t.prev = nil, nil
	if t.idx != overdue {
		if h := &w.slots[t.idx]; empty(h) {
			w.occ[t.idx/slotsPerLevel] &^= 1 << (t.idx % slotsPerLevel)
		}
	}
}
