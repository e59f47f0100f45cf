package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// argMinMaxKernel implements ARG_MAX and ARG_MIN as TFLite's arg_min_max.cc
// does: the index along axis (a one-element INT32 or INT64 tensor,
// negative counts from the end) of the largest or smallest value; ties
// (and NaN, which never compares) keep the first index. Inputs FLOAT32,
// INT32, UINT8, INT8, BOOL; output_type INT32 or INT64. A non-constant
// axis makes the output dynamic.
type argMinMaxKernel struct {
	isMax   bool
	outType core.TensorType
	axis    int
	outer   int
	size    int
	inner   int
	shape   []int
	vals    []int
	dynamic bool
	ready   bool
}

func newArgMax(n *core.Node) (core.Kernel, error) {
	var o tflite.ArgMaxOptions
	k := &argMinMaxKernel{isMax: true, outType: core.Int64}
	if n.BuiltinOptions(tflite.BuiltinOptionsArgMaxOptions, &o) {
		k.outType = core.TensorType(o.OutputType())
	}
	return k, nil
}

func newArgMin(n *core.Node) (core.Kernel, error) {
	var o tflite.ArgMinOptions
	k := &argMinMaxKernel{outType: core.Int64}
	if n.BuiltinOptions(tflite.BuiltinOptionsArgMinOptions, &o) {
		k.outType = core.TensorType(o.OutputType())
	}
	return k, nil
}

// Prepare implements core.Kernel.
func (k *argMinMaxKernel) Prepare(n *core.Node) error {
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
	case core.Float32, core.Int32, core.Uint8, core.Int8, core.Bool:
	default:
		return n.Errorf("%s input is not supported", in.Type())
	}
	if out.Type() != core.Int32 && out.Type() != core.Int64 {
		return n.Errorf("output must be INT32 or INT64, not %s", out.Type())
	}
	if out.Type() != k.outType {
		return n.Errorf("output is %s, output_type says %s", out.Type(), k.outType)
	}
	if axis.Type() != core.Int32 && axis.Type() != core.Int64 {
		return n.Errorf("axis must be INT32 or INT64, not %s", axis.Type())
	}
	if axis.NumElements() != 1 {
		return n.Errorf("axis has %d elements, want 1", axis.NumElements())
	}
	if in.Rank() < 1 {
		return n.Errorf("input must have at least one dimension")
	}
	k.shape = make([]int, 0, in.Rank())
	k.vals = make([]int, 0, 1)
	if axis.IsConstant() {
		if err := k.resolve(n, in, axis); err != nil {
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

func (k *argMinMaxKernel) resolve(n *core.Node, in, axisT *core.Tensor) error {
	v, err := shapeIndexValues(n, axisT, "axis", k.vals[:0])
	if err != nil {
		return err
	}
	rank := in.Rank()
	axis := v[0]
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		return n.Errorf("axis %d out of range for rank %d", v[0], rank)
	}
	k.axis = axis
	k.outer, k.size, k.inner = 1, in.Dim(axis), 1
	for _, d := range in.Shape()[:axis] {
		k.outer *= d
	}
	for _, d := range in.Shape()[axis+1:] {
		k.inner *= d
	}
	k.shape = append(k.shape[:0], in.Shape()[:axis]...)
	k.shape = append(k.shape, in.Shape()[axis+1:]...)
	return nil
}

// Eval implements core.Kernel.
func (k *argMinMaxKernel) Eval(n *core.Node) error {
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
	count := k.outer * k.inner
	if len(in.Bytes()) < in.ByteSize() || out.NumElements() != count || len(out.Bytes()) < out.ByteSize() {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if k.size == 0 || count == 0 {
		if k.size == 0 && count > 0 {
			return n.Errorf("axis %d has size 0", k.axis)
		}
		return nil
	}
	switch out.Type() {
	case core.Int32:
		return k.eval32(in, out.Int32s())
	default:
		return k.eval64(in, out.Int64s())
	}
}

func (k *argMinMaxKernel) eval32(in *core.Tensor, dst []int32) error {
	switch in.Type() {
	case core.Float32:
		argBest32(in.Float32s(), k.outer, k.size, k.inner, k.isMax, dst)
	case core.Int32:
		argBest32(in.Int32s(), k.outer, k.size, k.inner, k.isMax, dst)
	case core.Int8:
		argBest32(in.Int8s(), k.outer, k.size, k.inner, k.isMax, dst)
	default: // UINT8, BOOL (bytes 0 and 1)
		argBest32(in.Bytes(), k.outer, k.size, k.inner, k.isMax, dst)
	}
	return nil
}

func (k *argMinMaxKernel) eval64(in *core.Tensor, dst []int64) error {
	switch in.Type() {
	case core.Float32:
		argBest64(in.Float32s(), k.outer, k.size, k.inner, k.isMax, dst)
	case core.Int32:
		argBest64(in.Int32s(), k.outer, k.size, k.inner, k.isMax, dst)
	case core.Int8:
		argBest64(in.Int8s(), k.outer, k.size, k.inner, k.isMax, dst)
	default:
		argBest64(in.Bytes(), k.outer, k.size, k.inner, k.isMax, dst)
	}
	return nil
}

// argBest32 and argBest64 write, per (outer, inner) position, the first
// index along the axis of the largest (isMax) or smallest value.
func argBest32[T int8 | uint8 | int32 | float32](src []T, outer, size, inner int, isMax bool, dst []int32) {
	for o := range outer {
		for j := range inner {
			dst[o*inner+j] = int32(argBestAt(src, o*size*inner+j, size, inner, isMax))
		}
	}
}

func argBest64[T int8 | uint8 | int32 | float32](src []T, outer, size, inner int, isMax bool, dst []int64) {
	for o := range outer {
		for j := range inner {
			dst[o*inner+j] = int64(argBestAt(src, o*size*inner+j, size, inner, isMax))
		}
	}
}

func argBestAt[T int8 | uint8 | int32 | float32](src []T, base, size, inner int, isMax bool) int {
	best := src[base]
	bi := 0
	for a := 1; a < size; a++ {
		v := src[base+a*inner]
		if (isMax && v > best) || (!isMax && v < best) {
			best, bi = v, a
		}
	}
	return bi
}
