package kernels

import (
	"errors"
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// qactUnaryOK reports the quantized one-input ops this package adds to
// the path of unary_quant.go: ELU for int8 (TFLite's EluPrepare builds no
// uint8 table), GELU for int8 and uint8 (version 2), ABS for int8 (2) and
// int16 (3, and 4 unquantized) and RSQRT for int8 (2).
func qactUnaryOK(op unaryOp, typ core.TensorType) bool {
	switch op {
	case uElu:
		return typ == core.Int8
	case uGelu:
		return typ == core.Int8 || typ == core.Uint8
	case uAbs:
		return typ == core.Int8 || typ == core.Int16
	case uRsqrt:
		return typ == core.Int8
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
		// reference_ops::GeluTransform as the oracle's TFLite has it:
		// 0.5*x*(1 + erf(x/sqrt(2))) with the erf term in double. (A later
		// gelu.h computes 0.5f*x*erfcf(-x/sqrt(2)) in float instead; the two
		// tables differ in rare entries, which the qa_gelu_*_form_check
		// cases pin down.)
		tr = func(v float32) float32 {
			return float32(float64(float32(0.5*v)) * (1 + math.Erf(float64(v)*(1/math.Sqrt2))))
		}
	}
	return func(x int32) int32 {
		d := float32(si * float32(x-zi))
		r := float32(math.Round(float64(float32(tr(d) * inv))))
		r = float32(r + float32(zo))
		// Saturate before converting, where C++ leaves it undefined.
		return int32(min(max(r, -1<<30), 1<<30))
	}
}

// qactAbs8 is elementwise.cc AbsEvalQuantized for int8: |x - zp_in|,
// rescaled when the scales differ, plus the output zero point.
func qactAbs8(si float32, zi int32, so float32, zo int32) func(int32) int32 {
	rescale := si != so
	m, s := quantizeMultiplier(float64(si / so))
	return func(x int32) int32 {
		v := x - zi
		if v < 0 {
			v = -v
		}
		if rescale {
			v = multiplyByQuantizedMultiplier(v, m, s)
		}
		return v + zo
	}
}

// qactRsqrt8 is elementwise.cc RsqrtEvalQuantizedInt8 for one value at or
// above the input zero point (qactRsqrtCheck rejects the others): the
// maximum at the zero point, otherwise 1/sqrt(x - zp) as a fixed-point
// multiplier applied to 1 << 20, then rescaled by
// 1/(sqrt(input_scale)*output_scale).
func qactRsqrt8(si float32, zi int32, so float32, zo int32) func(int32) int32 {
	// std::sqrt of the float scale is float32; the reciprocal double.
	m, s := quantizeMultiplier(1 / float64(float32(f32(math.Sqrt, si)*so)))
	const shift = 20
	return func(x int32) int32 {
		v := x - zi
		if v <= 0 {
			return math.MaxInt8
		}
		im, is := ewInvSqrtMultiplierExp(v)
		d := multiplyByQuantizedMultiplier(1, im, is+shift)
		return multiplyByQuantizedMultiplier(d, m, s-shift) + zo
	}
}

// qactRsqrtCheck fails, as TFLite's Eval does, on an input below the
// input zero point (a negative real value).
func qactRsqrtCheck(a *qactAct16, x []byte) error {
	for _, b := range x {
		if int32(int8(b)) < a.minIn {
			return errRsqrtNegative
		}
	}
	return nil
}

var errRsqrtNegative = errors.New("RSQRT is only defined for values at or above the input zero point (non-negative)")
