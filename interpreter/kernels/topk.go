package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// cumsumKernel implements CUMSUM as TFLite's cumsum.cc does: running sums
// along axis (an INT32 one-element tensor, negative counts from the end),
// exclusive (each output leaves its own input out) and reverse (sums from
// the end), accumulated in order in the input's type (FLOAT32, INT32,
// INT64).
type cumsumKernel struct {
	exclusive, reverse bool
	vals               []int
	ready              bool
}

func newCumsum(n *core.Node) (core.Kernel, error) {
	var o tflite.CumsumOptions
	n.BuiltinOptions(tflite.BuiltinOptionsCumsumOptions, &o)
	return &cumsumKernel{exclusive: o.Exclusive(), reverse: o.Reverse()}, nil
}

// Prepare implements core.Kernel.
func (k *cumsumKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 2, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	axis, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	switch in.Type() {
	case core.Float32, core.Int32, core.Int64:
	default:
		return n.Errorf("%s input is not supported (FLOAT32, INT32 and INT64 are)", in.Type())
	}
	if err := shapeSameType(n, in, out); err != nil {
		return err
	}
	if axis.Type() != core.Int32 {
		return n.Errorf("axis must be INT32, not %s", axis.Type())
	}
	if axis.NumElements() != 1 {
		return n.Errorf("axis has %d elements, want 1", axis.NumElements())
	}
	if in.Rank() < 1 {
		return n.Errorf("input must have at least one dimension")
	}
	k.vals = make([]int, 0, 1)
	if axis.IsConstant() {
		if _, _, _, err := k.resolve(n, in, axis); err != nil {
			return err
		}
	}
	out.SetShape(in.Shape())
	k.ready = true
	return nil
}

func (k *cumsumKernel) resolve(n *core.Node, in, axisT *core.Tensor) (outer, size, inner int, err error) {
	v, err := shapeIndexValues(n, axisT, "axis", k.vals[:0])
	if err != nil {
		return 0, 0, 0, err
	}
	rank := in.Rank()
	axis := v[0]
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		return 0, 0, 0, n.Errorf("axis %d out of range for rank %d", v[0], rank)
	}
	outer, inner = 1, 1
	for _, d := range in.Shape()[:axis] {
		outer *= d
	}
	for _, d := range in.Shape()[axis+1:] {
		inner *= d
	}
	return outer, in.Dim(axis), inner, nil
}

func cumsumRun[T float32 | int32 | int64](src, dst []T, outer, size, inner int, exclusive, reverse bool) {
	for o := range outer {
		for j := range inner {
			var acc T
			for i := range size {
				a := i
				if reverse {
					a = size - 1 - i
				}
				p := (o*size+a)*inner + j
				if exclusive {
					dst[p] = acc
					acc += src[p]
				} else {
					acc += src[p]
					dst[p] = acc
				}
			}
		}
	}
}

// Eval implements core.Kernel.
func (k *cumsumKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	outer, size, inner, err := k.resolve(n, in, n.Inputs[1])
	if err != nil {
		return err
	}
	total := outer * size * inner
	if len(in.Bytes()) < in.ByteSize() || len(out.Bytes()) < out.ByteSize() || out.NumElements() != total {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	switch in.Type() {
	case core.Float32:
		cumsumRun(in.Float32s(), out.Float32s(), outer, size, inner, k.exclusive, k.reverse)
	case core.Int32:
		cumsumRun(in.Int32s(), out.Int32s(), outer, size, inner, k.exclusive, k.reverse)
	default:
		cumsumRun(in.Int64s(), out.Int64s(), outer, size, inner, k.exclusive, k.reverse)
	}
	return nil
}

// topKKernel implements TOPK_V2 as TFLite's topk_v2.cc does: the k largest
// values along the last dimension in descending order, ties ordered by the
// lower index first, and their indices (INT32, or INT16 from version 3).
// k is a one-element INT32 (or INT16) tensor in [0, last dimension]; a
// non-constant k makes the outputs dynamic.
type topKKernel struct {
	k       int
	rows    int
	row     int
	order   []int32
	shape   []int
	vals    []int
	dynamic bool
	ready   bool
}

func newTopK(n *core.Node) (core.Kernel, error) { return &topKKernel{}, nil }

// Prepare implements core.Kernel.
func (k *topKKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 2, 2); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	kt, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	values, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	indices, err := requireOutput(n, 1)
	if err != nil {
		return err
	}
	switch in.Type() {
	case core.Float32, core.Int32, core.Int64, core.Int8, core.Uint8, core.Int16:
	default:
		return n.Errorf("%s input is not supported", in.Type())
	}
	if err := shapeSameType(n, in, values); err != nil {
		return err
	}
	if indices.Type() != core.Int32 && indices.Type() != core.Int16 {
		return n.Errorf("indices output must be INT32 or INT16, not %s", indices.Type())
	}
	if indices.Type() == core.Int16 && in.Dim(-1) > 1<<15 {
		return n.Errorf("last dimension %d does not fit INT16 indices", in.Dim(-1))
	}
	if kt.Type() != core.Int32 && kt.Type() != core.Int16 {
		return n.Errorf("k must be INT32 or INT16, not %s", kt.Type())
	}
	if kt.NumElements() != 1 {
		return n.Errorf("k has %d elements, want 1", kt.NumElements())
	}
	if in.Rank() < 1 {
		return n.Errorf("input must have at least one dimension")
	}
	k.row = in.Dim(-1)
	k.rows = 1
	for _, d := range in.Shape()[:in.Rank()-1] {
		k.rows *= d
	}
	k.order = make([]int32, k.row)
	k.shape = make([]int, in.Rank())
	k.vals = make([]int, 0, 1)
	if kt.IsConstant() {
		if err := k.resolve(n, in, kt); err != nil {
			return err
		}
		values.SetShape(k.shape)
		indices.SetShape(k.shape)
		k.dynamic = false
	} else {
		values.SetDynamic()
		indices.SetDynamic()
		k.dynamic = true
	}
	k.ready = true
	return nil
}

func (k *topKKernel) resolve(n *core.Node, in, kt *core.Tensor) error {
	var v []int
	if kt.Type() == core.Int16 {
		if len(kt.Bytes()) < 2 {
			return n.Errorf("k has no data")
		}
		v = append(k.vals[:0], int(kt.Int16s()[0]))
	} else {
		var err error
		if v, err = shapeIndexValues(n, kt, "k", k.vals[:0]); err != nil {
			return err
		}
	}
	if v[0] < 0 || v[0] > k.row {
		return n.Errorf("k %d out of range [0,%d]", v[0], k.row)
	}
	k.k = v[0]
	copy(k.shape, in.Shape())
	k.shape[len(k.shape)-1] = k.k
	return nil
}

// topKRow orders order[:k] as the k best positions of row: larger values
// first, equal values by lower index.
func topKRow[T float32 | int32 | int64 | int8 | uint8 | int16](row []T, order []int32, k int) {
	for i := range order {
		order[i] = int32(i)
	}
	for p := range k {
		best := p
		for q := p + 1; q < len(order); q++ {
			a, b := row[order[q]], row[order[best]]
			if a > b || (a == b && order[q] < order[best]) {
				best = q
			}
		}
		order[p], order[best] = order[best], order[p]
	}
}

func topKRun[T float32 | int32 | int64 | int8 | uint8 | int16, I int32 | int16](src, vals []T, idx []I, order []int32, rows, row, k int) {
	for r := range rows {
		line := src[r*row : (r+1)*row]
		topKRow(line, order, k)
		for i := range k {
			idx[r*k+i] = I(order[i])
			vals[r*k+i] = line[order[i]]
		}
	}
}

// Eval implements core.Kernel.
func (k *topKKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, values, indices := n.Inputs[0], n.Outputs[0], n.Outputs[1]
	if k.dynamic {
		if err := k.resolve(n, in, n.Inputs[1]); err != nil {
			return err
		}
		if err := n.ResizeOutput(0, k.shape); err != nil {
			return err
		}
		if err := n.ResizeOutput(1, k.shape); err != nil {
			return err
		}
	}
	want := k.rows * k.k
	if len(in.Bytes()) < in.ByteSize() || values.NumElements() != want || indices.NumElements() != want ||
		len(values.Bytes()) < values.ByteSize() || len(indices.Bytes()) < indices.ByteSize() {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if indices.Type() == core.Int16 {
		topKTyped(in, values, indices.Int16s(), k)
	} else {
		topKTyped(in, values, indices.Int32s(), k)
	}
	return nil
}

func topKTyped[I int32 | int16](in, values *core.Tensor, idx []I, k *topKKernel) {
	switch in.Type() {
	case core.Float32:
		topKRun(in.Float32s(), values.Float32s(), idx, k.order, k.rows, k.row, k.k)
	case core.Int32:
		topKRun(in.Int32s(), values.Int32s(), idx, k.order, k.rows, k.row, k.k)
	case core.Int64:
		topKRun(in.Int64s(), values.Int64s(), idx, k.order, k.rows, k.row, k.k)
	case core.Int8:
		topKRun(in.Int8s(), values.Int8s(), idx, k.order, k.rows, k.row, k.k)
	case core.Uint8:
		topKRun(in.Uint8s(), values.Uint8s(), idx, k.order, k.rows, k.row, k.k)
	case core.Int16:
		topKRun(in.Int16s(), values.Int16s(), idx, k.order, k.rows, k.row, k.k)
	}
}
