package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// shapeOfKernel implements SHAPE as TFLite's shape.cc does: the input's
// dimensions as a vector of out_type (INT32 or INT64).
type shapeOfKernel struct {
	outType core.TensorType
	ready   bool
}

func newShape(n *core.Node) (core.Kernel, error) {
	var o tflite.ShapeOptions
	k := &shapeOfKernel{outType: core.Int32}
	if n.BuiltinOptions(tflite.BuiltinOptionsShapeOptions, &o) {
		k.outType = core.TensorType(o.OutType())
	}
	return k, nil
}

// Prepare implements core.Kernel.
func (k *shapeOfKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 1, 1, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	if out.Type() != core.Int32 && out.Type() != core.Int64 {
		return n.Errorf("output must be INT32 or INT64, not %s", out.Type())
	}
	if out.Type() != k.outType {
		return n.Errorf("output is %s, out_type says %s", out.Type(), k.outType)
	}
	out.SetShape([]int{in.Rank()})
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *shapeOfKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	if out.NumElements() != in.Rank() {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	switch out.Type() {
	case core.Int32:
		v := out.Int32s()
		if len(v) < in.Rank() {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		for i, d := range in.Shape() {
			v[i] = int32(d)
		}
	default:
		v := out.Int64s()
		if len(v) < in.Rank() {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		for i, d := range in.Shape() {
			v[i] = int64(d)
		}
	}
	return nil
}

// fillKernel implements FILL as TFLite's fill.cc does: an output of shape
// dims (INT32 or INT64 vector, non-negative) holding the scalar value,
// whose type it takes (FLOAT32, FLOAT16, INT32, INT64, INT16, INT8, BOOL).
// Non-constant dims make the output dynamic.
type fillKernel struct {
	es      int
	dynamic bool
	shape   []int
	vals    []int
	ready   bool
}

func newFill(n *core.Node) (core.Kernel, error) { return &fillKernel{}, nil }

// Prepare implements core.Kernel.
func (k *fillKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 2, 1); err != nil {
		return err
	}
	dims, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	value, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	switch value.Type() {
	case core.Float32, core.Float16, core.Int32, core.Int64, core.Int16, core.Int8, core.Bool:
	default:
		return n.Errorf("%s value is not supported", value.Type())
	}
	if err := shapeSameType(n, value, out); err != nil {
		return err
	}
	k.es = value.Type().ElementSize()
	if value.NumElements() != 1 || value.Rank() != 0 {
		return n.Errorf("value must be a scalar, not of shape %s", core.FormatShape(value.Shape()))
	}
	if dims.Type() != core.Int32 && dims.Type() != core.Int64 {
		return n.Errorf("dims must be INT32 or INT64, not %s", dims.Type())
	}
	if dims.Rank() != 1 {
		return n.Errorf("dims must be a vector, not of shape %s", core.FormatShape(dims.Shape()))
	}
	k.shape = make([]int, 0, dims.NumElements())
	k.vals = make([]int, 0, dims.NumElements())
	if dims.IsConstant() {
		shape, err := k.resolve(n, dims)
		if err != nil {
			return err
		}
		out.SetShape(shape)
		k.dynamic = false
	} else {
		out.SetDynamic()
		k.dynamic = true
	}
	k.ready = true
	return nil
}

func (k *fillKernel) resolve(n *core.Node, dims *core.Tensor) ([]int, error) {
	v, err := shapeIndexValues(n, dims, "dims", k.vals[:0])
	if err != nil {
		return nil, err
	}
	total := int64(1)
	for _, d := range v {
		if d < 0 {
			return nil, n.Errorf("dims %v has a negative dimension", v)
		}
		total *= int64(d)
		if total > 1<<40 {
			return nil, n.Errorf("dims %v is too large", v)
		}
	}
	return append(k.shape[:0], v...), nil
}

// Eval implements core.Kernel.
func (k *fillKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	value, out := n.Inputs[1], n.Outputs[0]
	if k.dynamic {
		shape, err := k.resolve(n, n.Inputs[0])
		if err != nil {
			return err
		}
		if err := n.ResizeOutput(0, shape); err != nil {
			return err
		}
	}
	src, dst := value.Bytes(), out.Bytes()
	size := out.ByteSize()
	if len(src) < k.es || len(dst) < size {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	shapeFillBytes(dst[:size], src[:k.es])
	return nil
}

// shapeFillBytes repeats the element elem over dst.
func shapeFillBytes(dst, elem []byte) {
	if len(dst) == 0 {
		return
	}
	n := copy(dst, elem)
	for n < len(dst) {
		n += copy(dst[n:], dst[:n])
	}
}

// zerosLikeKernel implements ZEROS_LIKE as TFLite's zeros_like.cc does: an
// output of the input's shape and type (FLOAT32, INT32, INT64) holding 0.
type zerosLikeKernel struct{ ready bool }

func newZerosLike(n *core.Node) (core.Kernel, error) { return &zerosLikeKernel{}, nil }

// Prepare implements core.Kernel.
func (k *zerosLikeKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 1, 1, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
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
	switch in.Type() {
	case core.Float32, core.Int32, core.Int64:
	default:
		return n.Errorf("%s input is not supported (FLOAT32, INT32 and INT64 are)", in.Type())
	}
	out.SetShape(in.Shape())
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *zerosLikeKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	out := n.Outputs[0]
	size := out.ByteSize()
	dst := out.Bytes()
	if len(dst) < size {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	clear(dst[:size])
	return nil
}
