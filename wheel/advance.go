package wheel

import (
	"math"
	"math/bits"
	"time"
)

// Advance moves the wheel to now and fires, in expiry order as far as the
// tick allows, every timer due at or before now; it returns the count fired.
//
// Timers that were already due when armed fire first, in arming order.
// Callbacks may Schedule or Cancel any timer, including themselves and
// timers due later in this same Advance; a timer cancelled (or moved) by an
// earlier callback does not fire. Whatever a callback arms is due after
// now, or else on the due list, so it fires in a later Advance, never this
// one. A now earlier than Now is treated as Now. Advance must not be called
// from a callback.
func (w *Wheel) Advance(now int64) int {
	if w.busy {
		panic("wheel: Advance called from a timer callback")
	}
	w.busy = true
	defer func() { w.busy = false }()

	if now > w.now {
		w.now = now
	}
	target := uint64((w.now - w.origin) / w.tick) // now >= origin: no negative floor

	// Detach the due list first, so callbacks that arm with d <= 0 queue
	// for the next Advance instead of feeding this loop.
	spliceAll(&w.fire, &w.due)
	fired := 0
	for !empty(&w.fire) {
		fired += w.fireFirst(&w.fire)
	}

	// Jump from event to event (the earliest non-empty slot or cascade
	// point, found via the bitmaps) rather than walking every tick, so a
	// long sleep costs O(levels) per event, not O(elapsed ticks).
	for w.cur < target {
		lvl, s, at, ok := w.nextEvent()
		if !ok || at > target {
			break
		}
		w.steps++
		w.cur = at
		if lvl > 0 {
			w.cascade(lvl*slotsPerLevel + s)
		}
		// Level 0 at cur holds the timers expiring exactly now: either
		// lvl was 0 or the cascade just dropped some here.
		h := &w.slots[int(at&slotMask)]
		for !empty(h) {
			fired += w.fireFirst(h)
		}
	}
	w.cur = target
	return fired
}

// fireFirst disarms the first timer of h and runs its callback. The timer
// is unlinked before F runs, so F sees it unarmed and may re-arm it, and a
// panic in F leaves the wheel consistent.
func (w *Wheel) fireFirst(h *Timer) int {
	t := h.next
	w.unlink(t)
	t.w = nil
	w.n--
	t.F(t)
	return 1
}

// cascade re-inserts every timer of slot idx (above level 0) by its exact
// expiry relative to the new cur, moving each one level down or more.
func (w *Wheel) cascade(idx int) {
	h := &w.slots[idx]
	for !empty(h) {
		t := h.next
		w.unlink(t)
		w.insert(t, t.expires)
	}
}

// nextEvent finds the earliest tick after cur at which Advance has work: the
// first occupied slot of the lowest non-empty level. Lower levels always win
// because their occupied slots end before the next slot of any higher level
// begins. For level 0 the tick is an exact expiry; above, it is the slot's
// start, i.e. its cascade point, which is never later than any expiry in it.
func (w *Wheel) nextEvent() (lvl, s int, at uint64, ok bool) {
	for lvl = range levels {
		m := w.occ[lvl]
		if m == 0 {
			continue
		}
		s = bits.TrailingZeros64(m)
		shift := uint(lvl * slotBits)
		// Keep cur's digits above lvl, put s at lvl, zero below. Shifts
		// of 64 or more yield 0 in Go, which is right for the top level.
		hi := w.cur >> (shift + slotBits) << (shift + slotBits)
		return lvl, s, hi | uint64(s)<<shift, true
	}
	return 0, 0, 0, false
}

// Next returns how long after now the wheel next needs Advance: < 0 if no
// timer is armed, 0 if something is due. The answer may be earlier than the
// true next expiry (a cascade point), never later; it is the tick boundary
// at which the earliest timer becomes due, so it can be up to a tick after
// that timer's raw expiry time.
func (w *Wheel) Next(now int64) time.Duration {
	if w.n == 0 {
		return -1
	}
	if !empty(&w.due) || !empty(&w.fire) {
		return 0
	}
	_, _, k, ok := w.nextEvent()
	if !ok {
		return -1 // unreachable while n counts only linked timers
	}
	deadline := w.tickTime(k)
	if deadline <= now {
		return 0
	}
	d := deadline - now
	if d < 0 { // overflow with a far-past now
		d = math.MaxInt64
	}
	return time.Duration(d)
}

// tickTime returns the clock time at which tick k starts, saturating at
// MaxInt64 for ticks that only timers set for "never" can reach.
func (w *Wheel) tickTime(k uint64) int64 {
	if k > math.MaxInt64/uint64(w.tick) {
		return math.MaxInt64
	}
	off := int64(k) * w.tick
	if w.origin > 0 && off > math.MaxInt64-w.origin {
		return math.MaxInt64
	}
	return w.origin + off
}
