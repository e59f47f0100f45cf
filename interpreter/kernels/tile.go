package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
)

// tileKernel implements TILE as TFLite's tile.cc does: multiples (INT32 or
// INT64, one non-negative entry per input dimension) repeat the input
// along each dimension. Non-constant multiples make the output dynamic.
type tileKernel struct {
	es      int
	dynamic bool
	shape   []int
	mult    []int
	ready   bool
}

func newTile(n *core.Node) (core.Kernel, error) { return &tileKernel{}, nil }

// Prepare implements core.Kernel.
func (k *tileKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 2, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	mult, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	if err := shapeSameType(n, in, out); err != nil {
		return err
	}
	if k.es, err = shapeElemSize(n, in.Type()); err != nil {
		return err
	}
	if in.Type() == core.Int16 {
		// TFLite's TILE has no INT16 kernel (its Eval fails).
		return n.Errorf("INT16 input is not supported")
	}
	if mult.Type() != core.Int32 && mult.Type() != core.Int64 {
		return n.Errorf("multiples must be INT32 or INT64, not %s", mult.Type())
	}
	if mult.Rank() != 1 || mult.NumElements() != in.Rank() {
		return n.Errorf("multiples has shape %s, want [%d]", core.FormatShape(mult.Shape()), in.Rank())
	}
	if in.Rank() > shapeMaxRank {
		return n.Errorf("input rank %d is not supported", in.Rank())
	}
	k.shape = make([]int, in.Rank())
	k.mult = make([]int, 0, in.Rank())
	if mult.IsConstant() {
		if err := k.resolve(n, in, mult); err != nil {
			return err
		}
		out.SetShape(k.shape)
		k.dynamic = false
	} else {
		out.SetDynamic()
		k.dynamic = true
	}
	k.ready = true
	return nil
}

func (k *tileKernel) resolve(n *core.Node, in, multT *core.Tensor) error {
	mult, err := shapeIndexValues(n, multT, "multiples", k.mult[:0])
	if err != nil {
		return err
	}
	k.mult = mult
	total := int64(in.NumElements())
	for d, m := range mult {
		if m < 0 {
			return n.Errorf("multiple %d of dimension %d is negative", m, d)
		}
		k.shape[d] = in.Dim(d) * m
		total *= int64(m)
		if total > 1<<40 {
			return n.Errorf("tiled output is too large")
		}
	}
	return nil
}

// Eval implements core.Kernel.
func (k *tileKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	if k.dynamic {
		if err := k.resolve(n, in, n.Inputs[1]); err != nil {
			return err
		}
		if err := n.ResizeOutput(0, k.shape); err != nil {
			return err
		}
	}
	src, dst := in.Bytes(), out.Bytes()
	if len(src) < in.ByteSize() || len(dst) < out.ByteSize() || !sameDims(out.Shape(), k.shape) {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if out.NumElements() == 0 {
		return nil
	}
	if in.Rank() == 0 {
		copy(dst[:k.es], src[:k.es])
		return nil
	}
	tileDim(dst, src, in.Shape(), k.mult, 0, k.es)
	return nil
}

// tileDim writes the tiling of src (of shape, from dimension d on) into
// dst and returns the bytes read and written: the input block is copied
// once per input index, then the tiled block is repeated mult[d] times.
func tileDim(dst, src []byte, shape, mult []int, d, es int) (read, written int) {
	if d == len(shape)-1 {
		n := shape[d] * es
		for r := range mult[d] {
			copy(dst[r*n:r*n+n], src[:n])
		}
		return n, n * mult[d]
	}
	for i := 0; i < shape[d]; i++ {
		r, w := tileDim(dst[written:], src[read:], shape, mult, d+1, es)
		read += r
		written += w
	}
	block := written
	for r := 1; r < mult[d]; r++ {
		copy(dst[r*block:r*block+block], dst[:block])
	}
	return read, block * mult[d]
}

// broadcastToKernel implements BROADCAST_TO as TFLite's broadcast_to.cc
// does: the shape input (INT32 or INT64, up to 8 dimensions, not fewer
// than the input's) is the output shape; input dimensions, aligned to the
// right, must equal it or be 1. A non-constant shape makes the output
// dynamic.
type broadcastToKernel struct {
	plan    shapeStridedPlan
	vals    []int
	es      int
	dynamic bool
	ready   bool
}

func newBroadcastTo(n *core.Node) (core.Kernel, error) { return &broadcastToKernel{}, nil }

// Prepare implements core.Kernel.
func (k *broadcastToKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 2, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	shapeT, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	if err := shapeSameType(n, in, out); err != nil {
		return err
	}
	if k.es, err = shapeElemSize(n, in.Type()); err != nil {
		return err
	}
	if shapeT.Type() != core.Int32 && shapeT.Type() != core.Int64 {
		return n.Errorf("shape must be INT32 or INT64, not %s", shapeT.Type())
	}
	if shapeT.Rank() != 1 {
		return n.Errorf("shape must be a vector, not of shape %s", core.FormatShape(shapeT.Shape()))
	}
	if shapeT.NumElements() > shapeMaxRank {
		return n.Errorf("output rank %d; BROADCAST_TO takes up to %d dimensions", shapeT.NumElements(), shapeMaxRank)
	}
	if in.Rank() > shapeT.NumElements() {
		return n.Errorf("input rank %d exceeds the output rank %d", in.Rank(), shapeT.NumElements())
	}
	k.vals = make([]int, 0, shapeT.NumElements())
	k.plan.shape = make([]int, shapeT.NumElements())
	if shapeT.IsConstant() {
		if err := k.resolve(n, in, shapeT); err != nil {
			return err
		}
		out.SetShape(k.plan.shape)
		k.dynamic = false
	} else {
		out.SetDynamic()
		k.dynamic = true
	}
	k.ready = true
	return nil
}

func (k *broadcastToKernel) resolve(n *core.Node, in, shapeT *core.Tensor) error {
	want, err := shapeIndexValues(n, shapeT, "shape", k.vals[:0])
	if err != nil {
		return err
	}
	rank := len(want)
	pad := rank - in.Rank()
	var inStride [shapeMaxRank]int
	shapeRowStrides(in.Shape(), inStride[:in.Rank()])
	total := int64(1)
	for d, w := range want {
		if w < 0 {
			return n.Errorf("shape %v has a negative dimension", want)
		}
		total *= int64(w)
		if total > 1<<40 {
			return n.Errorf("shape %v is too large", want)
		}
		k.plan.shape[d] = w
		k.plan.out[d] = w
		k.plan.stride[d] = 0
		if d < pad {
			continue
		}
		id := in.Dim(d - pad)
		switch {
		case id == w:
			k.plan.stride[d] = inStride[d-pad]
		case id == 1:
		default:
			return n.Errorf("cannot broadcast %s to %v", core.FormatShape(in.Shape()), want)
		}
	}
	k.plan.rank = rank
	k.plan.base = 0
	return nil
}

// Eval implements core.Kernel.
func (k *broadcastToKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	if k.dynamic {
		if err := k.resolve(n, in, n.Inputs[1]); err != nil {
			return err
		}
		if err := n.ResizeOutput(0, k.plan.shape); err != nil {
			return err
		}
	}
	return k.plan.run(n, in, out, k.es)
}
