package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// reshapeKernel implements RESHAPE as TFLite's reshape.cc does: the new
// shape comes from the second input when it is an INT32 vector, otherwise
// from ReshapeOptions.new_shape; one dimension may be -1 and is inferred.
// When the shape input is not constant the output is dynamic and sized in
// Eval. The output may share the input's storage (see AliasOutput).
type reshapeKernel struct {
	// optShape is ReshapeOptions.new_shape (empty when absent); the legacy
	// [0], which meant a scalar, is already turned into [].
	optShape []int
	dynamic  bool
	// shape is Eval's scratch for a dynamic output shape.
	shape []int
	ready bool
}

func newReshape(n *core.Node) (core.Kernel, error) {
	k := &reshapeKernel{}
	var o tflite.ReshapeOptions
	if n.BuiltinOptions(tflite.BuiltinOptionsReshapeOptions, &o) {
		k.optShape = make([]int, o.NewShapeLength())
		for i := range k.optShape {
			k.optShape[i] = int(o.NewShape(i))
		}
	}
	// Old converters wrote new_shape [0] for a scalar (TFLite's
	// GetOutputShapeFromParam keeps this special case).
	if len(k.optShape) == 1 && k.optShape[0] == 0 {
		k.optShape = k.optShape[:0]
	}
	return k, nil
}

// shapeTensor returns the shape input when TFLite would use it: present
// and an INT32 vector. Otherwise the options give the shape.
func shapeTensor(n *core.Node) *core.Tensor {
	if n.NumInputs() != 2 {
		return nil
	}
	t := n.Input(1)
	if t == nil || t.Rank() != 1 || t.Type() != core.Int32 {
		return nil
	}
	return t
}

// Prepare implements core.Kernel.
func (k *reshapeKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 1, 2, 1); err != nil {
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
	if in.Type() != out.Type() {
		return n.Errorf("output type %s differs from the input type %s", out.Type(), in.Type())
	}
	if _, ok := in.Type().ByteSize(1); !ok {
		return n.Errorf("%s tensors are not supported yet", in.Type())
	}
	shapeIn := n.Input(1)
	if n.NumInputs() == 1 || shapeIn == nil || shapeIn.IsConstant() {
		shape, err := k.resolve(n, in, nil)
		if err != nil {
			return err
		}
		out.SetShape(shape)
		k.dynamic = false
	} else {
		// The shape is data: only Eval can size the output.
		out.SetDynamic()
		k.dynamic = true
		capacity := len(k.optShape)
		if t := shapeTensor(n); t != nil {
			capacity = max(capacity, t.NumElements())
		}
		k.shape = make([]int, 0, capacity)
	}
	k.ready = true
	return nil
}

// resolve appends the output shape to dst: the requested shape with its -1
// inferred, checked against the input's element count as TFLite's
// ResolveOutputShape does (zero-sized dimensions allowed, one -1 at most).
func (k *reshapeKernel) resolve(n *core.Node, in *core.Tensor, dst []int) ([]int, error) {
	if t := shapeTensor(n); t != nil {
		vals := t.Int32s()
		if len(vals) < t.NumElements() {
			return nil, n.Errorf("shape input has no data")
		}
		for _, v := range vals[:t.NumElements()] {
			dst = append(dst, int(v))
		}
	} else {
		dst = append(dst, k.optShape...)
	}
	numIn, nonZeroIn := int64(1), int64(1)
	for _, d := range in.Shape() {
		numIn *= int64(d)
		if d != 0 {
			nonZeroIn *= int64(d)
		}
	}
	stretch := -1
	numOut, nonZeroOut := int64(1), int64(1)
	for i, d := range dst {
		switch {
		case d == -1:
			if stretch != -1 {
				return nil, n.Errorf("new shape %s has more than one -1", core.FormatShape(dst))
			}
			stretch = i
			continue
		case d < 0:
			return nil, n.Errorf("new shape %s has a negative dimension", core.FormatShape(dst))
		case d > 0:
			if nonZeroOut > (1<<62)/int64(d) {
				return nil, n.Errorf("new shape %s is too large", core.FormatShape(dst))
			}
			nonZeroOut *= int64(d)
		}
		numOut *= int64(d)
	}
	if stretch != -1 {
		if numIn == 0 && numOut != 0 {
			dst[stretch] = 0
		} else {
			dst[stretch] = int(nonZeroIn / nonZeroOut)
		}
		numOut *= int64(dst[stretch])
	}
	if numIn != numOut {
		return nil, n.Errorf("cannot reshape %s (%d elements) to %s (%d elements)", core.FormatShape(in.Shape()), numIn, core.FormatShape(dst), numOut)
	}
	return dst, nil
}

// Eval implements core.Kernel.
func (k *reshapeKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	if k.dynamic {
		shape, err := k.resolve(n, in, k.shape[:0])
		if err != nil {
			return err
		}
		if err := n.ResizeOutput(0, shape); err != nil {
			return err
		}
	}
	size := in.ByteSize()
	src, dst := in.Bytes(), out.Bytes()
	if len(src) < size || len(dst) < size {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if !core.SameStorage(in, out) {
		copy(dst[:size], src[:size])
	}
	return nil
}

// AliasOutput implements core.Aliaser: a reshape never changes the bytes,
// so the output may be the input's storage.
func (k *reshapeKernel) AliasOutput(n *core.Node) (output, input int, ok bool) {
	in, out := n.Input(0), n.Output(0)
	if in == nil || out == nil || in.Type() != out.Type() || in.Type() == core.String {
		return 0, 0, false
	}
	return 0, 0, true
}
