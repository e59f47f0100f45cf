package kernels

import (
	"fmt"
	"math"

	"github.com/edgelite/edgelite/schema/tflite"
)

// number is the element types of the non-quantized arithmetic kernels.
type number interface {
	~float32 | ~int32 | ~int64
}

// typeLimits returns the lowest and highest value of T, as
// std::numeric_limits<T>::lowest() and max().
func typeLimits[T number]() (lo, hi T) {
	var z T
	switch any(z).(type) {
	case float32:
		f := float32(math.MaxFloat32)
		return T(-f), T(f)
	case int32:
		l, h := int32(math.MinInt32), int32(math.MaxInt32)
		return T(l), T(h)
	default: // int64
		l, h := int64(math.MinInt64), int64(math.MaxInt64)
		return T(l), T(h)
	}
}

// activationRange is TFLite's CalculateActivationRange: the clamp a fused
// activation applies to float32 and plain integer outputs. NONE clamps to
// the type's finite range, so a float +Inf becomes MaxFloat32 exactly as in
// TFLite's builtin kernels. TANH and SIGN_BIT are not clamps: callers decide
// (the arithmetic kernels treat them as NONE as TFLite does; others reject).
func activationRange[T number](act tflite.ActivationFunctionType) (lo, hi T, err error) {
	lo, hi = typeLimits[T]()
	switch act {
	case tflite.ActivationFunctionTypeNONE:
	case tflite.ActivationFunctionTypeRELU:
		lo = 0
	case tflite.ActivationFunctionTypeRELU_N1_TO_1:
		lo, hi = -1, 1
	case tflite.ActivationFunctionTypeRELU6:
		lo, hi = 0, 6
	default:
		return lo, hi, fmt.Errorf("fused activation %s is not supported", act)
	}
	return lo, hi, nil
}

// clamp is TFLite's ActivationFunctionWithMinMax, min(max(v, lo), hi): a
// NaN passes through unchanged, as with std::max and std::min.
func clamp[T number](v, lo, hi T) T {
	if v < lo {
		v = lo
	}
	if hi < v {
		v = hi
	}
	return v
}
