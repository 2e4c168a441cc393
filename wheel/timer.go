package wheel

// Timer is embedded in (or owned by) the caller's object; the zero value is
// an unarmed timer. An armed Timer must not be copied or moved: the wheel
// links to it by address.
type Timer struct {
	// next and prev link the timer into one circular list whose head is a
	// sentinel Timer inside the Wheel; next == nil means unarmed.
	next, prev *Timer
	// w is the wheel the timer is armed on, so a timer handed to the wrong
	// wheel is caught instead of silently corrupting both.
	w *Wheel
	// expires is the expiry tick; only meaningful while in a slot.
	expires uint64
	// idx is the slot index (level*slotsPerLevel + slot) or overdue when
	// the timer sits on the due or firing list, which have no bitmap.
	idx int32

	F   func(t *Timer) // called on expiry (set by the owner once; not cleared)
	Arg any            // owner's data for F (e.g. the connection)
}

// overdue marks a timer on a list that is not a wheel slot.
const overdue = -1

// Armed reports whether t is scheduled on a wheel and has not fired or been
// cancelled since.
func (t *Timer) Armed() bool { return t.next != nil }

// initHead makes h an empty circular list.
func initHead(h *Timer) { h.next, h.prev = h, h }

// empty reports whether the list headed by h has no timers.
func empty(h *Timer) bool { return h.next == h }

// pushBack appends t to h's list, keeping insertion (FIFO) order so timers
// sharing a tick fire in the order they were armed.
func pushBack(h, t *Timer) {
	t.prev, t.next = h.prev, h
	h.prev.next = t
	h.prev = t
}

// spliceAll moves every timer of src to the end of dst in O(1), leaving src
// empty. Timers keep their idx, so this is only for lists without a bitmap.
func spliceAll(dst, src *Timer) {
	if empty(src) {
		return
	}
	first, last := src.next, src.prev
	first.prev, last.next = dst.prev, dst
	dst.prev.next = first
	dst.prev = last
	initHead(src)
}
