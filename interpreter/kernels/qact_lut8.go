package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// qactUnaryOK reports the 8-bit one-input ops this file adds to the
// lookup-table path of unary_quant.go: ELU for int8 (TFLite's EluPrepare
// builds no uint8 table) and GELU for int8 and uint8 (version 2).
func qactUnaryOK(op unaryOp, typ core.TensorType) bool {
	switch op {
	case uElu:
		return typ == core.Int8
	case uGelu:
		return typ == core.Int8 || typ == core.Uint8
	}
	return false
}

// qactLUTTransform is TFLite's LUTPopulate for 8-bit types with the ELU or
// GELU transform (activations.cc EluPrepare/GeluPrepare): dequantize in
// float32, transform, round(t/output_scale) + zero point. The caller clamps
// to the type.
func qactLUTTransform(op unaryOp, approximate bool, si float32, zi int32, so float32, zo int32) func(int32) int32 {
	inv := 1 / so
	var tr func(float32) float32
	switch {
	case op == uElu:
		tr = func(v float32) float32 {
			if v < 0 {
				return f32(math.Expm1, v)
			}
			return v
		}
	case approximate:
		// reference_ops::GeluTransformApproximate.
		// Explicit conversions round each step, as C++ does without FMA.
		tr = func(v float32) float32 {
			cube := float32(float32(float32(0.044715*v)*v) * v)
			t := f32(math.Tanh, float32(geluSqrt2dPi*float32(v+cube)))
			return float32(float32(0.5*v) * float32(1+t))
		}
	default:
		// reference_ops::GeluTransform, in its erfc form.
		c := float32(-1 / math.Sqrt2)
		tr = func(v float32) float32 { return float32(float32(0.5*v) * f32(math.Erfc, float32(v*c))) }
	}
	return func(x int32) int32 {
		d := float32(si * float32(x-zi))
		r := float32(math.Round(float64(float32(tr(d) * inv))))
		r = float32(r + float32(zo))
		// Saturate before converting, where C++ leaves it undefined.
		return int32(min(max(r, -1<<30), 1<<30))
	}
}
