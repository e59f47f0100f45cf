package interpreter

import "sort"

// arenaAlign is the alignment of every arena allocation (a cache line, and
// enough for any SIMD load).
const arenaAlign = 64

// allocRequest asks for size bytes live from step first to step last
// (inclusive). Steps are node indices; -1 is "before the first node".
type allocRequest struct {
	size        int64
	first, last int
}

// planArena assigns an offset to every request so that requests whose
// lifetimes overlap never overlap in memory, and returns the offsets and the
// arena size. Like TFLite's arena planner it places the largest requests
// first, each at the best-fitting gap among the already placed requests it
// is live with, which keeps the arena close to the peak of live bytes.
func planArena(reqs []allocRequest) (offsets []int64, total int64) {
	offsets = make([]int64, len(reqs))
	order := make([]int, len(reqs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ra, rb := reqs[order[a]], reqs[order[b]]
		if ra.size != rb.size {
			return ra.size > rb.size
		}
		return ra.first < rb.first
	})
	type placed struct{ off, end int64 }
	var live []placed
	done := make([]int, 0, len(reqs))
	for _, i := range order {
		r := reqs[i]
		size := alignUp(r.size)
		live = live[:0]
		for _, j := range done {
			if reqs[j].first <= r.last && r.first <= reqs[j].last {
				live = append(live, placed{offsets[j], offsets[j] + alignUp(reqs[j].size)})
			}
		}
		sort.Slice(live, func(a, b int) bool { return live[a].off < live[b].off })
		best, bestGap := int64(-1), int64(-1)
		cur := int64(0)
		for _, p := range live {
			if gap := p.off - cur; gap >= size && (bestGap < 0 || gap < bestGap) {
				best, bestGap = cur, gap
			}
			cur = max(cur, p.end)
		}
		if best < 0 {
			best = cur
		}
		offsets[i] = best
		total = max(total, best+size)
		done = append(done, i)
	}
	return offsets, total
}

func alignUp(n int64) int64 { return (n + arenaAlign - 1) &^ (arenaAlign - 1) }
