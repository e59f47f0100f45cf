package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// squeezeKernel implements SQUEEZE as TFLite's squeeze.cc does: the
// dimensions listed in squeeze_dims (negative counts from the end, at most
// 8) must have size 1 and are removed; an empty list removes every size-1
// dimension. The bytes do not change, so the output may alias the input.
type squeezeKernel struct {
	dims  []int
	ready bool
}

func newSqueeze(n *core.Node) (core.Kernel, error) {
	var o tflite.SqueezeOptions
	n.BuiltinOptions(tflite.BuiltinOptionsSqueezeOptions, &o)
	k := &squeezeKernel{dims: make([]int, o.SqueezeDimsLength())}
	for i := range k.dims {
		k.dims[i] = int(o.SqueezeDims(i))
	}
	return k, nil
}

// Prepare implements core.Kernel.
func (k *squeezeKernel) Prepare(n *core.Node) error {
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
	if _, err := shapeElemSize(n, in.Type()); err != nil {
		return err
	}
	if len(k.dims) > 8 {
		return n.Errorf("%d squeeze_dims; TFLite takes at most 8", len(k.dims))
	}
	rank := in.Rank()
	shape := in.Shape()
	var drop [shapeMaxRank * 2]bool
	if rank > len(drop) {
		return n.Errorf("input rank %d is not supported", rank)
	}
	if len(k.dims) == 0 {
		for d, v := range shape {
			drop[d] = v == 1
		}
	}
	for _, d := range k.dims {
		c := d
		if c < 0 {
			c += rank
		}
		if c < 0 || c >= rank {
			return n.Errorf("squeeze dimension %d out of range for rank %d", d, rank)
		}
		if shape[c] != 1 {
			return n.Errorf("squeeze dimension %d has size %d, not 1", d, shape[c])
		}
		drop[c] = true
	}
	outShape := make([]int, 0, rank)
	for d, v := range shape {
		if !drop[d] {
			outShape = append(outShape, v)
		}
	}
	out.SetShape(outShape)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *squeezeKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	return shapeCopyOut(n, n.Inputs[0], n.Outputs[0])
}

// AliasOutput implements core.Aliaser.
func (k *squeezeKernel) AliasOutput(n *core.Node) (output, input int, ok bool) {
	return shapeAliasInput0(n)
}

// expandDimsKernel implements EXPAND_DIMS as TFLite's expand_dims.cc does:
// the axis input (INT32 or INT64, one element; negative counts from
// rank+1) names where a dimension of size 1 is inserted. A non-constant
// axis makes the output dynamic. The output may alias the input.
type expandDimsKernel struct {
	dynamic bool
	shape   []int
	axis    []int
	ready   bool
}

func newExpandDims(n *core.Node) (core.Kernel, error) { return &expandDimsKernel{}, nil }

// Prepare implements core.Kernel.
func (k *expandDimsKernel) Prepare(n *core.Node) error {
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
	if err := shapeSameType(n, in, out); err != nil {
		return err
	}
	if _, err := shapeElemSize(n, in.Type()); err != nil {
		return err
	}
	if axis.Type() != core.Int32 && axis.Type() != core.Int64 {
		return n.Errorf("axis must be INT32 or INT64, not %s", axis.Type())
	}
	if axis.NumElements() != 1 {
		return n.Errorf("axis has %d elements, want 1", axis.NumElements())
	}
	k.shape = make([]int, 0, in.Rank()+1)
	k.axis = make([]int, 0, 1)
	if axis.IsConstant() {
		shape, err := k.resolve(n, in, axis)
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

func (k *expandDimsKernel) resolve(n *core.Node, in, axisT *core.Tensor) ([]int, error) {
	v, err := shapeIndexValues(n, axisT, "axis", k.axis[:0])
	if err != nil {
		return nil, err
	}
	rank := in.Rank()
	axis := v[0]
	if axis < 0 {
		axis += rank + 1
	}
	if axis < 0 || axis > rank {
		return nil, n.Errorf("axis %d out of range for rank %d", v[0], rank)
	}
	shape := append(k.shape[:0], in.Shape()[:axis]...)
	shape = append(shape, 1)
	return append(shape, in.Shape()[axis:]...), nil
}

// Eval implements core.Kernel.
func (k *expandDimsKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	if k.dynamic {
		shape, err := k.resolve(n, in, n.Inputs[1])
		if err != nil {
			return err
		}
		if err := n.ResizeOutput(0, shape); err != nil {
			return err
		}
	}
	return shapeCopyOut(n, in, out)
}

// AliasOutput implements core.Aliaser.
func (k *expandDimsKernel) AliasOutput(n *core.Node) (output, input int, ok bool) {
	return shapeAliasInput0(n)
}
