package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// sliceKernel implements SLICE as TFLite's slice.cc does: begin and size
// (INT32 or INT64 vectors, one entry per input dimension, rank up to 5);
// size -1 takes the rest of the dimension. Non-constant begin or size make
// the output dynamic.
type sliceKernel struct {
	plan    shapeStridedPlan
	begin   []int
	size    []int
	es      int
	dynamic bool
	ready   bool
}

func newSlice(n *core.Node) (core.Kernel, error) { return &sliceKernel{}, nil }

// Prepare implements core.Kernel.
func (k *sliceKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 3, 3, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	begin, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	size, err := requireInput(n, 2)
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
	rank := in.Rank()
	if rank > 5 {
		return n.Errorf("input rank %d; SLICE takes up to 5 dimensions", rank)
	}
	for _, t := range []*core.Tensor{begin, size} {
		if t.Type() != core.Int32 && t.Type() != core.Int64 {
			return n.Errorf("begin and size must be INT32 or INT64, not %s", t.Type())
		}
		if t.Rank() != 1 || t.NumElements() != rank {
			return n.Errorf("begin and size must have shape [%d], not %s", rank, core.FormatShape(t.Shape()))
		}
	}
	if begin.Type() != size.Type() {
		return n.Errorf("begin is %s and size %s; they must have one type", begin.Type(), size.Type())
	}
	k.begin = make([]int, 0, rank)
	k.size = make([]int, 0, rank)
	k.plan.shape = make([]int, rank)
	if shapeAllConstant(begin, size) {
		if err := k.resolve(n, in, begin, size); err != nil {
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

func (k *sliceKernel) resolve(n *core.Node, in, beginT, sizeT *core.Tensor) error {
	begin, err := shapeIndexValues(n, beginT, "begin", k.begin[:0])
	if err != nil {
		return err
	}
	size, err := shapeIndexValues(n, sizeT, "size", k.size[:0])
	if err != nil {
		return err
	}
	rank := in.Rank()
	var inStride [shapeMaxRank]int
	shapeRowStrides(in.Shape(), inStride[:rank])
	base := 0
	for d := range rank {
		dim := in.Dim(d)
		b, s := begin[d], size[d]
		if b < 0 || b > dim {
			return n.Errorf("begin %d out of range for dimension %d of size %d", b, d, dim)
		}
		if s < 0 {
			if s != -1 {
				return n.Errorf("size %d of dimension %d is invalid (only -1 may be negative)", s, d)
			}
			s = dim - b
		} else if b+s > dim {
			return n.Errorf("begin %d and size %d exceed dimension %d of size %d", b, s, d, dim)
		}
		k.plan.out[d] = s
		k.plan.stride[d] = inStride[d]
		k.plan.shape[d] = s
		base += b * inStride[d]
	}
	k.plan.rank = rank
	k.plan.base = base
	return nil
}

// Eval implements core.Kernel.
func (k *sliceKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	if k.dynamic {
		if err := k.resolve(n, in, n.Inputs[1], n.Inputs[2]); err != nil {
			return err
		}
		if err := n.ResizeOutput(0, k.plan.shape); err != nil {
			return err
		}
	}
	return k.plan.run(n, in, out, k.es)
}

// stridedSliceKernel implements STRIDED_SLICE as TFLite's strided_slice.cc
// and strided_slice_logic.h do: begin, end and strides are INT32 vectors
// of one length; ellipsis_mask and new_axis_mask are folded into begin and
// end masks over the "effective" input (new axes inserted, at most 5
// dimensions); begin and end are taken from the end when negative,
// clamped, and replaced by the full range where their mask bit is set;
// shrink_axis_mask keeps one element and drops the dimension; with offset
// set, end is relative to begin. Non-constant indices make the output
// dynamic.
type stridedSliceKernel struct {
	beginMask, endMask, ellipsisMask, newAxisMask, shrinkMask int
	offset                                                    bool

	plan    shapeStridedPlan
	begin   []int
	end     []int
	strides []int
	es      int
	dynamic bool
	ready   bool
}

func newStridedSlice(n *core.Node) (core.Kernel, error) {
	var o tflite.StridedSliceOptions
	n.BuiltinOptions(tflite.BuiltinOptionsStridedSliceOptions, &o)
	return &stridedSliceKernel{
		beginMask: int(o.BeginMask()), endMask: int(o.EndMask()), ellipsisMask: int(o.EllipsisMask()),
		newAxisMask: int(o.NewAxisMask()), shrinkMask: int(o.ShrinkAxisMask()), offset: o.Offset(),
	}, nil
}

// Prepare implements core.Kernel.
func (k *stridedSliceKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 4, 4, 1); err != nil {
		return err
	}
	var ts [4]*core.Tensor
	for i := range ts {
		t, err := requireInput(n, i)
		if err != nil {
			return err
		}
		ts[i] = t
	}
	in, begin, end, strides := ts[0], ts[1], ts[2], ts[3]
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
	if in.Rank() > 5 {
		return n.Errorf("input rank %d; STRIDED_SLICE takes up to 5 dimensions", in.Rank())
	}
	for _, t := range ts[1:] {
		if t.Type() != core.Int32 {
			return n.Errorf("begin, end and strides must be INT32, not %s", t.Type())
		}
		if t.Rank() != 1 {
			return n.Errorf("begin, end and strides must be vectors, not of shape %s", core.FormatShape(t.Shape()))
		}
	}
	count := begin.NumElements()
	if end.NumElements() != count || strides.NumElements() != count {
		return n.Errorf("begin, end and strides have %d, %d and %d elements; they must be as many", count, end.NumElements(), strides.NumElements())
	}
	if count > 32 {
		return n.Errorf("%d slice indices; the masks cover 32", count)
	}
	k.begin = make([]int, 0, count)
	k.end = make([]int, 0, count)
	k.strides = make([]int, 0, count)
	k.plan.shape = make([]int, 0, shapeMaxRank)
	// TFLite knows the output shape in offset mode from the strides and
	// end alone; the copy also needs begin, so here any non-constant index
	// tensor makes the output dynamic (sized in Eval), which gives the
	// same result.
	if shapeAllConstant(begin, end, strides) {
		if err := k.resolve(n, in, begin, end, strides); err != nil {
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

func ssClamp(v, lo, hi int) int {
	if v > hi {
		return hi
	}
	if v < lo {
		return lo
	}
	return v
}

// resolve builds TFLite's effective parameters and the copy plan.
func (k *stridedSliceKernel) resolve(n *core.Node, in, beginT, endT, stridesT *core.Tensor) error {
	beginV, err := shapeIndexValues(n, beginT, "begin", k.begin[:0])
	if err != nil {
		return err
	}
	endV, err := shapeIndexValues(n, endT, "end", k.end[:0])
	if err != nil {
		return err
	}
	strideV, err := shapeIndexValues(n, stridesT, "strides", k.strides[:0])
	if err != nil {
		return err
	}
	inRank := in.Rank()
	count := len(beginV)
	numAdd := 0
	for i := range count {
		if k.ellipsisMask&(1<<i) == 0 && k.newAxisMask&(1<<i) != 0 {
			numAdd++
		}
	}
	eff := inRank + numAdd
	if eff > 5 {
		return n.Errorf("the slice has %d dimensions with its new axes; STRIDED_SLICE takes up to 5", eff)
	}
	// Expand the ellipsis and move the new axes to effective positions.
	effEllipsis, effNewAxis := 0, 0
	ellipsisStart, expanded := eff, 0
	for i := 0; i < eff; {
		if k.ellipsisMask&(1<<i) != 0 {
			ellipsisStart = i
			endIdx := max(i+1, min(i+1+numAdd+inRank-count, eff))
			expanded = endIdx - ellipsisStart - 1
			for ; i < endIdx; i++ {
				effEllipsis |= 1 << i
			}
			continue
		}
		if j := i - expanded; j >= 0 && k.newAxisMask&(1<<j) != 0 {
			effNewAxis |= 1 << i
		}
		i++
	}
	var start, stop, stride, shape [shapeMaxRank]int
	var beginMask, endMask, shrink int
	addedEllipsis, addedAxes := 0, 0
	for i := range eff {
		switch {
		case effEllipsis&(1<<i) != 0:
			addedEllipsis = max(0, i-ellipsisStart)
			beginMask |= 1 << i
			endMask |= 1 << i
			stride[i] = 1
			shape[i] = in.Dim(i - addedAxes)
		case effNewAxis&(1<<i) != 0:
			start[i], stop[i], stride[i] = 0, 1, 1
			shape[i] = 1
			addedAxes++
		case i >= count+expanded:
			start[i], stop[i], stride[i] = 0, 0, 1
			beginMask |= 1 << i
			endMask |= 1 << i
			shape[i] = in.Dim(i - addedAxes)
		default:
			o := i - addedEllipsis
			if o < 0 || o >= count {
				return n.Errorf("slice index %d out of range of the %d indices", o, count)
			}
			start[i], stop[i], stride[i] = beginV[o], endV[o], strideV[o]
			if k.beginMask&(1<<o) != 0 {
				beginMask |= 1 << i
			}
			if k.endMask&(1<<o) != 0 {
				endMask |= 1 << i
			}
			if k.shrinkMask&(1<<o) != 0 {
				shrink |= 1 << i
			}
			shape[i] = in.Dim(i - addedAxes)
		}
	}
	// The effective input has the input's elements; its strides skip the
	// new axes (size 1, so their stride does not matter).
	var effStride [shapeMaxRank]int
	acc := 1
	for i := eff - 1; i >= 0; i-- {
		effStride[i] = acc
		acc *= shape[i]
	}
	outShape := k.plan.shape[:0]
	base := 0
	for i := range eff {
		if stride[i] == 0 {
			return n.Errorf("stride %d is zero", i)
		}
		size := shape[i]
		// StridedSliceStartForAxis.
		b := start[i]
		if b < 0 {
			b += size
		}
		if stride[i] > 0 {
			b = ssClamp(b, 0, size)
		} else {
			b = ssClamp(b, -1, size-1)
		}
		if beginMask&(1<<i) != 0 {
			if stride[i] > 0 {
				b = 0
			} else {
				b = size - 1
			}
		}
		var count int
		if shrink&(1<<i) != 0 {
			// One element at begin; TFLite reads outside the input when
			// begin is out of range, here that is an error.
			if b < 0 || b >= size {
				return n.Errorf("shrunk axis %d: index %d out of range for size %d", i, start[i], size)
			}
			count = 1
		} else {
			// StridedSliceEndForAxis.
			e := stop[i]
			if k.offset {
				e += b
			}
			if e < 0 {
				e += size
			}
			if stride[i] > 0 {
				e = ssClamp(e, 0, size)
			} else {
				e = ssClamp(e, -1, size-1)
			}
			if endMask&(1<<i) != 0 {
				if stride[i] > 0 {
					e = size
				} else {
					e = -1
				}
			}
			count = ssCeilDiv(e-b, stride[i])
			if k.offset {
				// TFLite sizes the output from end alone in offset mode.
				if i >= len(endV) {
					return n.Errorf("offset slice: no end for axis %d", i)
				}
				want := ssCeilDiv(endV[i], stride[i])
				if want != count {
					return n.Errorf("offset slice of axis %d covers %d elements, end asks for %d", i, count, want)
				}
			}
			outShape = append(outShape, count)
		}
		k.plan.out[i] = count
		k.plan.stride[i] = stride[i] * effStride[i]
		if count > 0 {
			base += b * effStride[i]
		}
	}
	k.plan.rank = eff
	k.plan.base = base
	k.plan.shape = outShape
	return nil
}

// ssCeilDiv is ceil(a/b) clamped at 0, the output size of a strided axis.
func ssCeilDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) == (b < 0)) {
		q++
	}
	return max(q, 0)
}

// Eval implements core.Kernel.
func (k *stridedSliceKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	if k.dynamic {
		if err := k.resolve(n, in, n.Inputs[1], n.Inputs[2], n.Inputs[3]); err != nil {
			return err
		}
		if err := n.ResizeOutput(0, k.plan.shape); err != nil {
			return err
		}
	}
	return k.plan.run(n, in, out, k.es)
}
