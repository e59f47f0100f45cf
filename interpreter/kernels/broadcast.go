package kernels

import (
	"fmt"

	"github.com/edgelite/edgelite/interpreter/core"
)

// maxBroadcastRank is the highest rank TFLite's broadcasting kernels
// (BroadcastAdd6DSlow and friends) handle.
const maxBroadcastRank = 6

// broadcastShape is TFLite's CalculateShapeForBroadcast: NumPy-style
// broadcasting aligned at the last dimension, where a dimension of 1
// stretches to the other one and a 0 against a 1 gives 0.
func broadcastShape(a, b []int) ([]int, error) {
	rank := max(len(a), len(b))
	out := make([]int, rank)
	for i := 0; i < rank; i++ {
		da, db := 1, 1
		if i < len(a) {
			da = a[len(a)-1-i]
		}
		if i < len(b) {
			db = b[len(b)-1-i]
		}
		if da != db && da != 1 && db != 1 {
			return nil, fmt.Errorf("shapes %s and %s are not broadcastable", core.FormatShape(a), core.FormatShape(b))
		}
		if da == 0 || db == 0 {
			out[rank-1-i] = 0
		} else {
			out[rank-1-i] = max(da, db)
		}
	}
	return out, nil
}

// broadcast is the iteration plan of a two-input elementwise op, computed
// in Prepare so that Eval needs no allocation.
type broadcast struct {
	// same is set when both inputs have the output's shape: element i of
	// each input makes element i of the output.
	same bool
	// n, n1, n2 are the element counts of the output and the two inputs.
	n, n1, n2 int
	// dims is the output shape left-padded with 1s to maxBroadcastRank.
	dims [maxBroadcastRank]int
	// s1 and s2 are the element strides of each input along each output
	// dimension: 0 where that input is broadcast.
	s1, s2 [maxBroadcastRank]int
}

// init plans the op for input shapes a and b and returns the output shape.
func (bc *broadcast) init(a, b []int) ([]int, error) {
	*bc = broadcast{n1: numElements(a), n2: numElements(b)}
	if sameDims(a, b) {
		bc.same = true
		bc.n = bc.n1
		return append([]int(nil), a...), nil
	}
	out, err := broadcastShape(a, b)
	if err != nil {
		return nil, err
	}
	if len(out) > maxBroadcastRank {
		return nil, fmt.Errorf("broadcasting %s and %s needs rank %d; at most %d is supported", core.FormatShape(a), core.FormatShape(b), len(out), maxBroadcastRank)
	}
	bc.n = numElements(out)
	pad := maxBroadcastRank - len(out)
	for i := range bc.dims {
		bc.dims[i] = 1
	}
	copy(bc.dims[pad:], out)
	stridesFor(&bc.s1, a)
	stridesFor(&bc.s2, b)
	return out, nil
}

// stridesFor sets s to the strides of a contiguous tensor of shape in
// (right-aligned with the plan's dimensions), with 0 along its dimensions
// of size 1, which are either broadcast or only ever at index 0.
func stridesFor(s *[maxBroadcastRank]int, in []int) {
	pad := maxBroadcastRank - len(in)
	stride := 1
	for i := maxBroadcastRank - 1; i >= 0; i-- {
		d := 1
		if i >= pad {
			d = in[i-pad]
		}
		if d == 1 {
			s[i] = 0
		} else {
			s[i] = stride
		}
		stride *= d
	}
}

// fits reports whether the tensors' storage holds what the plan reads and
// writes, so that Eval can fail cleanly instead of panicking.
func (bc *broadcast) fits(l1, l2, lout int) bool {
	return l1 >= bc.n1 && l2 >= bc.n2 && lout >= bc.n
}
