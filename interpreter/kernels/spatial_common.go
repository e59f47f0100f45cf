package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// spatialActivationRange is the float32 clamp of a fused activation as
// TFLite's CalculateActivationRange computes it for the pooling kernels:
// RELU, RELU6 and RELU_N1_TO_1 clamp; every other value (NONE, TANH,
// SIGN_BIT, unknown codes, which TFLite's parser maps to NONE) leaves the
// finite float range, so +-Inf become +-MaxFloat32 as in TFLite.
func spatialActivationRange(act tflite.ActivationFunctionType) (lo, hi float32) {
	switch act {
	case tflite.ActivationFunctionTypeRELU:
		return 0, math.MaxFloat32
	case tflite.ActivationFunctionTypeRELU6:
		return 0, 6
	case tflite.ActivationFunctionTypeRELU_N1_TO_1:
		return -1, 1
	}
	return -math.MaxFloat32, math.MaxFloat32
}

// spatialOutSize is TFLite's ComputeOutSize for a window of size filter
// moved with stride over size elements (no dilation).
func spatialOutSize(padding tflite.Padding, size, filter, stride int) int {
	if padding == tflite.PaddingSAME {
		return (size + stride - 1) / stride
	}
	// C++ integer division truncates toward zero, as Go's does.
	return (size + stride - filter) / stride
}

// spatialPadding is TFLite's ComputePaddingWithOffset without the offset:
// the padding before the first element.
func spatialPadding(stride, inSize, filter, outSize int) int {
	total := (outSize-1)*stride + filter - inSize
	if total < 0 {
		total = 0
	}
	return total / 2
}

// spatialInts reads an INT32 or INT64 tensor's first n values as ints; ok
// is false when the tensor has another type or too little data.
func spatialInts(t *core.Tensor, dst []int) ([]int, bool) {
	n := t.NumElements()
	dst = dst[:0]
	switch t.Type() {
	case core.Int32:
		v := t.Int32s()
		if len(v) < n {
			return dst, false
		}
		for _, x := range v[:n] {
			dst = append(dst, int(x))
		}
	case core.Int64:
		v := t.Int64s()
		if len(v) < n {
			return dst, false
		}
		for _, x := range v[:n] {
			if x < math.MinInt32 || x > math.MaxInt32 {
				return dst, false
			}
			dst = append(dst, int(x))
		}
	default:
		return dst, false
	}
	return dst, true
}

// spatialRejectQuantized returns an error for the quantized element types
// whose kernels come later.
func spatialRejectQuantized(n *core.Node, t core.TensorType) error {
	if t == core.Int8 || t == core.Uint8 || t == core.Int16 {
		return n.Errorf("%s input is not supported yet", t)
	}
	return nil
}
