package reference

import (
	"math/rand/v2"
	"testing"
)

func TestPlaceKeepsLiveTensorsApart(t *testing.T) {
	// A chain a->b->c->d: neighbours are live together, others not, so
	// two slots of the largest size are enough.
	chain := []span{{size: 128, first: 0, last: 1}, {size: 64, first: 1, last: 2}, {size: 128, first: 2, last: 3}, {size: 64, first: 3, last: 4}}
	offs, total := place(chain, nil)
	if total != 192 {
		t.Errorf("chain total %d, want 192 (offsets %v)", total, offs)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		spans := make([]span, 1+r.IntN(20))
		sum := 0
		for i := range spans {
			f := r.IntN(10)
			spans[i] = span{size: 64 * (1 + r.IntN(4)), first: f, last: f + r.IntN(4)}
			sum += spans[i].size
		}
		offs, total := place(spans, nil)
		if total > sum {
			t.Fatalf("total %d over the sum %d", total, sum)
		}
		for i, a := range spans {
			if offs[i] < 0 || offs[i]+a.size > total {
				t.Fatalf("span %d at %d outside [0,%d)", i, offs[i], total)
			}
			for j, b := range spans[:i] {
				live := a.first <= b.last && b.first <= a.last
				apart := offs[i]+a.size <= offs[j] || offs[j]+b.size <= offs[i]
				if live && !apart {
					t.Fatalf("spans %d %v@%d and %d %v@%d overlap", i, a, offs[i], j, b, offs[j])
				}
			}
		}
	}
}
