package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// spInt is the set of quantized element types of the spatial and shape
// families' integer paths.
type spInt interface{ ~int8 | ~uint8 | ~int16 }

// spActivationRangeQuantized is TFLite's CalculateActivationRangeQuantized:
// the fused activation's bounds quantized with the output's scale and zero
// point (float32 division, rounded half away from zero), intersected with
// the type's range. Other activations leave the type's range.
func spActivationRangeQuantized(act tflite.ActivationFunctionType, typ core.TensorType, scale float32, zp int32) (lo, hi int32) {
	tlo, thi := intRange(typ)
	lo, hi = int32(tlo), int32(thi)
	q := func(f float32) int32 { return zp + int32(math.Round(float64(f/scale))) }
	switch act {
	case tflite.ActivationFunctionTypeRELU:
		lo = max(lo, q(0))
	case tflite.ActivationFunctionTypeRELU6:
		lo = max(lo, q(0))
		hi = min(hi, q(6))
	case tflite.ActivationFunctionTypeRELU_N1_TO_1:
		lo = max(lo, q(-1))
		hi = min(hi, q(1))
	}
	return lo, hi
}

// spPerTensor reads a tensor's single scale and zero point; quantized
// tensors of the spatial kernels must be quantized per tensor.
func spPerTensor(n *core.Node, t *core.Tensor) (float32, int32, error) {
	q := t.Quantization()
	if len(q.Scale) != 1 {
		if len(q.Scale) == 0 {
			return 0, 0, n.Errorf("%s tensor %q has no quantization parameters", t.Type(), t.Name())
		}
		return 0, 0, n.Errorf("tensor %q: per-channel quantization is not supported here (%d scales)", t.Name(), len(q.Scale))
	}
	p, err := readQuantParams(t, t.Shape())
	if err != nil {
		return 0, 0, n.Errorf("%v", err)
	}
	return p.scales[0], p.zeroPoints[0], nil
}

// spSameInt8Params is the check TFLite's PACK and UNPACK make for INT8
// tensors, which they copy without rescaling: equal scale and zero point.
func spSameInt8Params(n *core.Node, a, b *core.Tensor) error {
	if a.Type() != core.Int8 {
		return nil
	}
	as, az := tensorParams(a)
	bs, bz := tensorParams(b)
	if as != bs || az != bz {
		return n.Errorf("INT8 tensors %q (scale %g, zero point %d) and %q (scale %g, zero point %d) must share their quantization", a.Name(), as, az, b.Name(), bs, bz)
	}
	return nil
}
