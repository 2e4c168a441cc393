package hpack

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// modelTable is the dynamic table as RFC 7541 §4 states it: a list,
// newest first, trimmed from the end.
type modelTable struct {
	entries []pair
	size    uint64
	max     uint64
}

func (m *modelTable) evict() {
	for m.size > m.max {
		last := m.entries[len(m.entries)-1]
		m.size -= fieldSize(len(last[0]), len(last[1]))
		m.entries = m.entries[:len(m.entries)-1]
	}
}

func (m *modelTable) add(p pair) {
	sz := fieldSize(len(p[0]), len(p[1]))
	if sz > m.max {
		m.entries, m.size = nil, 0
		return
	}
	m.size += sz
	m.entries = append([]pair{p}, m.entries...)
	m.evict()
}

// The ring, its mirror area and its growth agree with the model through
// many random insertions (sizes up to a whole table, which exercises
// wrapping at every offset) and size changes.
func TestDynamicTableAgainstModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		maxSize := uint32(rng.IntN(600))
		tab := newDynamicTable(maxSize)
		model := modelTable{max: uint64(maxSize)}
		for step := range 400 {
			switch rng.IntN(20) {
			case 0:
				maxSize = uint32(rng.IntN(600))
				tab.setMaxSize(maxSize)
				model.max = uint64(maxSize)
				model.evict()
			default:
				p := pair{
					strings.Repeat(string(rune('a'+step%26)), rng.IntN(40)),
					strings.Repeat(string(rune('A'+step%26)), rng.IntN(1+rng.IntN(2)*int(maxSize))),
				}
				tab.add([]byte(p[0]), []byte(p[1]))
				model.add(p)
			}
			if got := tablePairs(&tab); !equalPairs(got, model.entries) || uint64(tab.size) != model.size {
				t.Fatalf("round %d step %d: table %d entries size %d, model %d entries size %d",
					round, step, len(got), tab.size, len(model.entries), model.size)
			}
		}
	}
}

func TestDynamicTableOversizedEntryEmptiesIt(t *testing.T) {
	tab := newDynamicTable(100)
	tab.add([]byte("a"), []byte("b"))
	tab.add([]byte("name"), []byte(strings.Repeat("v", 70)))
	if tab.count != 0 || tab.size != 0 {
		t.Fatalf("count %d size %d", tab.count, tab.size)
	}
}
