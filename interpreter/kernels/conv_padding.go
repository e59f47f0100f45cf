package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// convOutSize is TFLite's ComputeOutSize (kernels/padding.h), matching
// TensorFlow's GetWindowedOutputSize: SAME gives ceil(in/stride), VALID
// (in + stride - effective_filter) / stride with C's truncating division.
func convOutSize(padding tflite.Padding, in, filter, stride, dilation int) int {
	eff := (filter-1)*dilation + 1
	switch padding {
	case tflite.PaddingSAME:
		return (in + stride - 1) / stride
	case tflite.PaddingVALID:
		return (in + stride - eff) / stride
	}
	return 0
}

// convPadBefore is TFLite's ComputePaddingWithOffset without the offset:
// the padding before the first element, half the total rounded down (the
// extra element, if any, goes after the last one).
func convPadBefore(stride, dilation, in, filter, out int) int {
	eff := (filter-1)*dilation + 1
	total := (out-1)*stride + eff - in
	if total < 0 {
		total = 0
	}
	return total / 2
}

// convSpatial is the geometry of one spatial dimension of a convolution.
type convSpatial struct {
	in, filter, stride, dilation int
	out, pad                     int
}

// convGeometry computes a spatial dimension's output size and padding as
// TFLite's ComputePaddingHeightWidth does, and rejects the option values
// TFLite would divide by or that give a negative size.
func convGeometry(n *core.Node, what string, padding tflite.Padding, in, filter, stride, dilation int) (convSpatial, error) {
	g := convSpatial{in: in, filter: filter, stride: stride, dilation: dilation}
	if stride < 1 {
		return g, n.Errorf("%s stride %d must be at least 1", what, stride)
	}
	if dilation < 1 {
		return g, n.Errorf("%s dilation factor %d must be at least 1", what, dilation)
	}
	if padding != tflite.PaddingSAME && padding != tflite.PaddingVALID {
		return g, n.Errorf("padding %s is not supported", padding)
	}
	if filter < 1 {
		return g, n.Errorf("filter %s %d must be at least 1", what, filter)
	}
	// Keep every intermediate size within int32 (and so within int on
	// 32-bit targets), where TFLite's C arithmetic would overflow.
	if eff := int64(filter-1)*int64(dilation) + 1; eff > math.MaxInt32/2 || int64(in)+int64(stride) > math.MaxInt32/2 {
		return g, n.Errorf("%s of %d with filter %d, stride %d and dilation %d is too large", what, in, filter, stride, dilation)
	}
	g.out = convOutSize(padding, in, filter, stride, dilation)
	if g.out < 0 {
		g.out = 0
	}
	g.pad = convPadBefore(stride, dilation, in, filter, g.out)
	return g, nil
}

// convActivation is the clamp of a convolution's fused activation. TFLite's
// CalculateActivationRange clamps only for RELU, RELU_N1_TO_1 and RELU6;
// every other value (TANH, SIGN_BIT) leaves the float output unclamped.
func convActivation(act tflite.ActivationFunctionType) (lo, hi float32) {
	switch act {
	case tflite.ActivationFunctionTypeRELU, tflite.ActivationFunctionTypeRELU_N1_TO_1, tflite.ActivationFunctionTypeRELU6:
		lo, hi, _ = activationRange[float32](act)
		return lo, hi
	}
	lo, hi, _ = activationRange[float32](tflite.ActivationFunctionTypeNONE)
	return lo, hi
}

// convCheckFloat rejects tensors of a convolution that are not FLOAT32,
// naming quantized types as not supported yet.
func convCheckFloat(n *core.Node, what string, t *core.Tensor) error {
	switch {
	case t.Type() == core.Float32:
		return nil
	case isQuantizedInt(t.Type()):
		return n.Errorf("%s of type %s (quantized) is not supported yet", what, t.Type())
	}
	return n.Errorf("%s of type %s is not supported", what, t.Type())
}

// convCheckRank4 requires a 4-D tensor.
func convCheckRank4(n *core.Node, what string, t *core.Tensor) error {
	if t.Rank() != 4 {
		return n.Errorf("%s has shape %s; want 4 dimensions", what, core.FormatShape(t.Shape()))
	}
	return nil
}
