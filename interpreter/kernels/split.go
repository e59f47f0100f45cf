package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// shapeAxisBlocks returns, for a tensor of shape split along axis, the
// number of outer blocks and the bytes of one index of axis within a block.
func shapeAxisBlocks(shape []int, axis, es int) (outer, innerBytes int) {
	outer, inner := 1, 1
	for _, d := range shape[:axis] {
		outer *= d
	}
	for _, d := range shape[axis+1:] {
		inner *= d
	}
	return outer, inner * es
}

// splitKernel implements SPLIT (axis first, then the value; num_splits
// equal parts) and SPLIT_V (value, size_splits with at most one -1, axis)
// as TFLite's split.cc and split_v.cc do. A non-constant axis or
// size_splits makes the outputs dynamic.
type splitKernel struct {
	variable  bool // SPLIT_V
	numSplits int
	valueIdx  int
	axisIdx   int
	es        int
	dynamic   bool
	// Prepared per output: its size along axis, and its shape.
	sizes  []int
	shapes [][]int
	axis   int
	vals   []int
	ready  bool
}

func newSplit(n *core.Node) (core.Kernel, error) {
	var o tflite.SplitOptions
	n.BuiltinOptions(tflite.BuiltinOptionsSplitOptions, &o)
	return &splitKernel{numSplits: int(o.NumSplits()), valueIdx: 1, axisIdx: 0}, nil
}

func newSplitV(n *core.Node) (core.Kernel, error) {
	var o tflite.SplitVOptions
	n.BuiltinOptions(tflite.BuiltinOptionsSplitVOptions, &o)
	return &splitKernel{variable: true, numSplits: int(o.NumSplits()), valueIdx: 0, axisIdx: 2}, nil
}

// Prepare implements core.Kernel.
func (k *splitKernel) Prepare(n *core.Node) error {
	k.ready = false
	ins := 2
	if k.variable {
		ins = 3
	}
	if k.numSplits <= 0 {
		return n.Errorf("num_splits %d must be positive", k.numSplits)
	}
	if err := checkCounts(n, ins, ins, k.numSplits); err != nil {
		return err
	}
	for i := range ins {
		if _, err := requireInput(n, i); err != nil {
			return err
		}
	}
	in, axis := n.Inputs[k.valueIdx], n.Inputs[k.axisIdx]
	var err error
	if k.es, err = shapeElemSize(n, in.Type()); err != nil {
		return err
	}
	for i := range k.numSplits {
		o, err := requireOutput(n, i)
		if err != nil {
			return err
		}
		if err := shapeSameType(n, in, o); err != nil {
			return err
		}
	}
	if axis.Type() != core.Int32 && axis.Type() != core.Int64 {
		return n.Errorf("axis must be INT32, not %s", axis.Type())
	}
	if axis.NumElements() != 1 {
		return n.Errorf("axis has %d elements, want 1", axis.NumElements())
	}
	consts := []*core.Tensor{axis}
	if k.variable {
		ss := n.Inputs[1]
		if ss.Type() != core.Int32 && ss.Type() != core.Int64 {
			return n.Errorf("size_splits must be INT32 or INT64, not %s", ss.Type())
		}
		if ss.Rank() != 1 || ss.NumElements() != k.numSplits {
			return n.Errorf("size_splits has shape %s, want [%d]", core.FormatShape(ss.Shape()), k.numSplits)
		}
		consts = append(consts, ss)
	}
	k.sizes = make([]int, k.numSplits)
	k.shapes = make([][]int, k.numSplits)
	for i := range k.shapes {
		k.shapes[i] = make([]int, in.Rank())
	}
	k.vals = make([]int, 0, k.numSplits)
	if shapeAllConstant(consts...) {
		if err := k.resolve(n); err != nil {
			return err
		}
		for i, s := range k.shapes {
			n.Outputs[i].SetShape(s)
		}
		k.dynamic = false
	} else {
		for _, o := range n.Outputs {
			o.SetDynamic()
		}
		k.dynamic = true
	}
	k.ready = true
	return nil
}

func (k *splitKernel) resolve(n *core.Node) error {
	in := n.Inputs[k.valueIdx]
	av, err := shapeIndexValues(n, n.Inputs[k.axisIdx], "axis", k.vals[:0])
	if err != nil {
		return err
	}
	rank := in.Rank()
	axis := av[0]
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		return n.Errorf("axis %d out of range for rank %d", av[0], rank)
	}
	dim := in.Dim(axis)
	if !k.variable {
		if dim%k.numSplits != 0 {
			return n.Errorf("dimension %d of size %d does not split into %d equal parts", axis, dim, k.numSplits)
		}
		for i := range k.sizes {
			k.sizes[i] = dim / k.numSplits
		}
	} else {
		sv, err := shapeIndexValues(n, n.Inputs[1], "size_splits", k.vals[:0])
		if err != nil {
			return err
		}
		minus, sum := -1, 0
		for i, s := range sv {
			switch {
			case s == -1:
				if minus >= 0 {
					return n.Errorf("size_splits %v has more than one -1", sv)
				}
				minus = i
			case s < 0:
				return n.Errorf("size_splits %v has a negative size", sv)
			default:
				sum += s
			}
			k.sizes[i] = s
		}
		if minus >= 0 {
			if sum > dim {
				return n.Errorf("size_splits %v exceed dimension %d of size %d", sv, axis, dim)
			}
			k.sizes[minus] = dim - sum
		} else if sum != dim {
			return n.Errorf("size_splits %v add up to %d, dimension %d has size %d", sv, sum, axis, dim)
		}
	}
	k.axis = axis
	for i, s := range k.shapes {
		copy(s, in.Shape())
		s[axis] = k.sizes[i]
	}
	return nil
}

// Eval implements core.Kernel.
func (k *splitKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	if k.dynamic {
		if err := k.resolve(n); err != nil {
			return err
		}
		for i, s := range k.shapes {
			if err := n.ResizeOutput(i, s); err != nil {
				return err
			}
		}
	}
	in := n.Inputs[k.valueIdx]
	outer, innerBytes := shapeAxisBlocks(in.Shape(), k.axis, k.es)
	src := in.Bytes()
	if len(src) < in.ByteSize() {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	for _, o := range n.Outputs {
		if len(o.Bytes()) < o.ByteSize() {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
	}
	pos := 0
	for b := range outer {
		for i, o := range n.Outputs {
			m := k.sizes[i] * innerBytes
			copy(o.Bytes()[b*m:b*m+m], src[pos:pos+m])
			pos += m
		}
	}
	return nil
}

// packKernel implements PACK as TFLite's pack.cc does: values_count inputs
// of one shape and type stacked along a new axis (negative counts from
// rank+1).
type packKernel struct {
	count, axis int
	es          int
	outer       int
	blockBytes  int
	ready       bool
}

func newPack(n *core.Node) (core.Kernel, error) {
	var o tflite.PackOptions
	n.BuiltinOptions(tflite.BuiltinOptionsPackOptions, &o)
	return &packKernel{count: int(o.ValuesCount()), axis: int(o.Axis())}, nil
}

// Prepare implements core.Kernel.
func (k *packKernel) Prepare(n *core.Node) error {
	k.ready = false
	if k.count <= 0 {
		return n.Errorf("values_count %d must be positive", k.count)
	}
	if err := checkCounts(n, k.count, k.count, 1); err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	in0, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	if k.es, err = shapeElemSize(n, in0.Type()); err != nil {
		return err
	}
	if err := shapeSameType(n, in0, out); err != nil {
		return err
	}
	for i := 1; i < k.count; i++ {
		t, err := requireInput(n, i)
		if err != nil {
			return err
		}
		if t.Type() != in0.Type() || !sameDims(t.Shape(), in0.Shape()) {
			return n.Errorf("input %d is %s, input 0 is %s; they must match", i, t, in0)
		}
	}
	for i := 0; i < k.count; i++ {
		if err := spSameInt8Params(n, n.Inputs[i], out); err != nil {
			return err
		}
	}
	rank := in0.Rank()
	axis := k.axis
	if axis < 0 {
		axis += rank + 1
	}
	if axis < 0 || axis > rank {
		return n.Errorf("axis %d out of range for rank %d", k.axis, rank)
	}
	shape := make([]int, 0, rank+1)
	shape = append(shape, in0.Shape()[:axis]...)
	shape = append(shape, k.count)
	shape = append(shape, in0.Shape()[axis:]...)
	out.SetShape(shape)
	k.outer, k.blockBytes = shapeAxisBlocks(shape, axis, k.es)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *packKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	dst := n.Outputs[0].Bytes()
	if len(dst) < k.outer*k.count*k.blockBytes {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	m := k.blockBytes
	for i, t := range n.Inputs {
		src := t.Bytes()
		if len(src) < k.outer*m {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		for b := range k.outer {
			o := (b*k.count + i) * m
			copy(dst[o:o+m], src[b*m:b*m+m])
		}
	}
	return nil
}

// unpackKernel implements UNPACK as TFLite's unpack.cc does: the input is
// cut along axis (negative counts from the end) into num outputs, each
// without that dimension; num must equal the dimension's size.
type unpackKernel struct {
	num, axis  int
	es         int
	outer      int
	blockBytes int
	ready      bool
}

func newUnpack(n *core.Node) (core.Kernel, error) {
	var o tflite.UnpackOptions
	n.BuiltinOptions(tflite.BuiltinOptionsUnpackOptions, &o)
	return &unpackKernel{num: int(o.Num()), axis: int(o.Axis())}, nil
}

// Prepare implements core.Kernel.
func (k *unpackKernel) Prepare(n *core.Node) error {
	k.ready = false
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	rank := in.Rank()
	axis := k.axis
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		return n.Errorf("axis %d out of range for rank %d", k.axis, rank)
	}
	if k.num != in.Dim(axis) {
		return n.Errorf("num %d differs from dimension %d of size %d", k.num, axis, in.Dim(axis))
	}
	if err := checkCounts(n, 1, 1, k.num); err != nil {
		return err
	}
	if k.es, err = shapeElemSize(n, in.Type()); err != nil {
		return err
	}
	shape := make([]int, 0, rank)
	shape = append(shape, in.Shape()[:axis]...)
	shape = append(shape, in.Shape()[axis+1:]...)
	for i := range k.num {
		o, err := requireOutput(n, i)
		if err != nil {
			return err
		}
		if err := shapeSameType(n, in, o); err != nil {
			return err
		}
		if err := spSameInt8Params(n, in, o); err != nil {
			return err
		}
		o.SetShape(shape)
	}
	k.outer, k.blockBytes = shapeAxisBlocks(in.Shape(), axis, k.es)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *unpackKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	src := n.Inputs[0].Bytes()
	m := k.blockBytes
	if len(src) < k.outer*k.num*m {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	for i, o := range n.Outputs {
		dst := o.Bytes()
		if len(dst) < k.outer*m {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		for b := range k.outer {
			s := (b*k.num + i) * m
			copy(dst[b*m:b*m+m], src[s:s+m])
		}
	}
	return nil
}
