package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
)

// checkCounts validates the node's input count (in [minIn, maxIn]) and
// output count (exactly outs).
func checkCounts(n *core.Node, minIn, maxIn, outs int) error {
	if ni := n.NumInputs(); ni < minIn || ni > maxIn {
		if minIn == maxIn {
			return n.Errorf("has %d inputs, want %d", ni, minIn)
		}
		return n.Errorf("has %d inputs, want %d to %d", ni, minIn, maxIn)
	}
	if no := n.NumOutputs(); no != outs {
		return n.Errorf("has %d outputs, want %d", no, outs)
	}
	return nil
}

// requireInput returns input i, or an error if the model left it out.
func requireInput(n *core.Node, i int) (*core.Tensor, error) {
	t := n.Input(i)
	if t == nil {
		return nil, n.Errorf("input %d is missing", i)
	}
	return t, nil
}

// requireOutput returns output i, or an error if the model left it out.
func requireOutput(n *core.Node, i int) (*core.Tensor, error) {
	t := n.Output(i)
	if t == nil {
		return nil, n.Errorf("output %d is missing", i)
	}
	return t, nil
}

// isQuantizedInt reports the integer types TFLite uses for affine
// quantized tensors in arithmetic kernels.
func isQuantizedInt(t core.TensorType) bool {
	return t == core.Uint8 || t == core.Int8 || t == core.Int16
}

// numElements is the product of shape's dimensions (shapes have been
// validated by the interpreter, so no overflow check here).
func numElements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// sameDims reports whether two shapes are equal.
func sameDims(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
