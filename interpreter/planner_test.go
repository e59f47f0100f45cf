package interpreter

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkPlan asserts the planner's invariants: aligned offsets, no two
// requests that are live at the same step overlapping in memory, every
// request inside the arena.
func checkPlan(t *testing.T, reqs []allocRequest, offsets []int64, total int64) {
	t.Helper()
	require.Len(t, offsets, len(reqs))
	for i, a := range reqs {
		require.Zero(t, offsets[i]%arenaAlign, "request %d offset %d not aligned", i, offsets[i])
		require.LessOrEqual(t, offsets[i]+a.size, total, "request %d past the arena", i)
		for j := i + 1; j < len(reqs); j++ {
			b := reqs[j]
			if a.first > b.last || b.first > a.last || a.size == 0 || b.size == 0 {
				continue
			}
			overlap := offsets[i] < offsets[j]+b.size && offsets[j] < offsets[i]+a.size
			require.False(t, overlap, "requests %d %+v@%d and %d %+v@%d overlap", i, a, offsets[i], j, b, offsets[j])
		}
	}
}

func TestPlanArenaReusesMemoryOfDeadTensors(t *testing.T) {
	// A chain a -> b -> c: a and c never live together, so they share.
	reqs := []allocRequest{{size: 1000, first: -1, last: 0}, {size: 1000, first: 0, last: 1}, {size: 1000, first: 1, last: 2}}
	offsets, total := planArena(reqs)
	checkPlan(t, reqs, offsets, total)
	assert.Equal(t, int64(2*1024), total)
	assert.Equal(t, offsets[0], offsets[2])
}

func TestPlanArenaRandomGraphsNeverOverlap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 500; iter++ {
		steps := 1 + rng.IntN(30)
		reqs := make([]allocRequest, rng.IntN(60))
		for i := range reqs {
			first := rng.IntN(steps+1) - 1
			reqs[i] = allocRequest{size: int64(rng.IntN(5000)), first: first, last: first + rng.IntN(steps-first+1)}
		}
		offsets, total := planArena(reqs)
		checkPlan(t, reqs, offsets, total)
		// The arena can never be smaller than the peak of live bytes.
		for s := -1; s <= steps; s++ {
			var live int64
			for _, r := range reqs {
				if r.first <= s && s <= r.last {
					live += alignUp(r.size)
				}
			}
			require.GreaterOrEqual(t, total, live)
		}
	}
}
