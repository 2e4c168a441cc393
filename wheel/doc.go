// Package wheel is a hierarchical timing wheel with intrusive timers, built
// for a single-goroutine event loop: per-connection timeouts (the
// lws_set_timeout kind) and scheduled callbacks (the lws_sul kind).
//
// The caller embeds a Timer in its own object, so arming, re-arming and
// cancelling are O(1) pointer splices that never allocate, no matter how
// many tens of thousands of timers are armed.
//
// # Layout
//
// Time is counted in ticks since the wheel's origin (the now given to New).
// The wheel has 11 levels of 64 slots; level L slot s holds timers whose
// expiry tick agrees with the current tick in every 6-bit digit above L and
// has digit s at L. Because s is then always greater than the current
// digit at L, the first set bit of a level's 64-bit occupancy word is its
// earliest slot, and the lowest non-empty level holds the earliest pending
// work. That gives Next and the slot-skipping in Advance in O(levels) with
// no scan over timers.
//
// Level 0 has 1-tick slots and each level above is 64 times coarser. At a
// 1ms tick six levels already span 2^36 ms (about 795 days); the wheel has
// 11, covering 66 bits, more than the whole non-negative int64 tick range
// for any tick size, so there is no overflow list and no clamping. Unused
// upper levels cost only their empty list heads.
//
// When the current tick reaches the start of a higher-level slot, that
// slot's timers are cascaded: re-inserted by their exact expiry tick, so
// they land on lower levels and finally in the level-0 slot of that very
// tick. Precision is therefore one tick at every distance.
//
// # Timing guarantees
//
// A timer set for time at expires at tick ceil((at-origin)/tick): it never
// fires before at, and an Advance made as soon as now reaches that tick
// boundary (less than one tick after at) fires it. A timer scheduled for a
// time not after the wheel's current time (Schedule with d <= 0, or
// ScheduleAt in the past) fires at the next Advance, whatever its now.
//
// A Wheel is not safe for concurrent use; one wheel belongs to one loop.
package wheel
