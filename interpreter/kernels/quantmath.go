package kernels

import (
	"fmt"
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// This file holds TFLite's fixed-point helpers (kernels/internal/common.h
// and quantization_util.cc) in their default, double-rounding form.

// quantizeMultiplier is TFLite's QuantizeMultiplier: m = q * 2^shift with q
// a Q31 fixed-point number in [0.5, 1).
func quantizeMultiplier(m float64) (q int32, shift int) {
	if m == 0 {
		return 0, 0
	}
	frac, exp := math.Frexp(m)
	fixed := int64(math.Round(frac * (1 << 31)))
	if fixed == 1<<31 {
		fixed /= 2
		exp++
	}
	if exp < -31 {
		// Every bit would be shifted out: TFLite uses a zero multiplier.
		exp, fixed = 0, 0
	}
	if exp > 30 {
		exp, fixed = 30, 1<<31-1
	}
	return int32(fixed), exp
}

// saturatingRoundingDoublingHighMul is gemmlowp's function of that name:
// the high 32 bits of 2*a*b, rounded to nearest, saturating the one case
// that overflows.
func saturatingRoundingDoublingHighMul(a, b int32) int32 {
	if a == b && a == math.MinInt32 {
		return math.MaxInt32
	}
	ab := int64(a) * int64(b)
	nudge := int64(1 << 30)
	if ab < 0 {
		nudge = 1 - 1<<30
	}
	return int32((ab + nudge) / (1 << 31))
}

// roundingDivideByPOT is gemmlowp's RoundingDivideByPOT: x / 2^exponent
// rounded to nearest, ties away from zero.
func roundingDivideByPOT(x int32, exponent int) int32 {
	mask := int32(1)<<exponent - 1
	remainder := x & mask
	threshold := mask >> 1
	if x < 0 {
		threshold++
	}
	r := x >> exponent
	if remainder > threshold {
		r++
	}
	return r
}

// multiplyByQuantizedMultiplier is TFLite's MultiplyByQuantizedMultiplier
// (two roundings: the doubling high multiply, then the right shift).
func multiplyByQuantizedMultiplier(x, q int32, shift int) int32 {
	left, right := max(shift, 0), max(-shift, 0)
	return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x*(int32(1)<<left), q), right)
}

// multiplyByQuantizedMultiplierNeon is TFLite's vectorised
// MultiplyByQuantizedMultiplier (MultiplyByQuantizedMultiplier4Rows and
// optimized_ops::Quantize): vqrdmulhq_s32 (the saturating rounding doubling
// high multiply), then vrshlq_s32 by the negative shift, which rounds half
// up where the scalar version rounds half away from zero.
func multiplyByQuantizedMultiplierNeon(x, q int32, shift int) int32 {
	left, right := max(shift, 0), max(-shift, 0)
	v := saturatingRoundingDoublingHighMul(x*(int32(1)<<left), q)
	if right == 0 {
		return v
	}
	return int32((int64(v) + int64(1)<<(right-1)) >> right)
}

// roundToInt64 is TfLiteRound (half away from zero) followed by the
// conversion to an integer. C++ leaves the conversion of NaN and
// out-of-range values undefined; here they saturate (NaN gives 0) as ARM's
// conversion does.
func roundToInt64(f float64) int64 {
	r := math.Round(f)
	switch {
	case r != r:
		return 0
	case r >= 1<<62:
		return 1 << 62
	case r <= -(1 << 62):
		return -(1 << 62)
	}
	return int64(r)
}

// intRange is the representable range of an integer tensor type.
func intRange(t core.TensorType) (lo, hi int64) {
	switch t {
	case core.Int8:
		return math.MinInt8, math.MaxInt8
	case core.Uint8:
		return 0, math.MaxUint8
	case core.Int16:
		return math.MinInt16, math.MaxInt16
	case core.Int32:
		return math.MinInt32, math.MaxInt32
	}
	return 0, 0
}

// axisPlan splits a tensor around its quantized dimension: outer blocks of
// channels blocks of inner contiguous elements.
type axisPlan struct{ outer, channels, inner int }

// quantParams holds a tensor's affine parameters: one pair per tensor, or
// one per channel along plan.
type quantParams struct {
	perChannel bool
	scales     []float32
	zeroPoints []int32
	plan       axisPlan
}

// readQuantParams validates and copies t's quantization parameters for a
// tensor of the given shape (an output's shape may not be set yet). A single
// scale is per-tensor quantization, as TFLite's IsQuantizedPerChannel
// decides.
func readQuantParams(t *core.Tensor, shape []int) (quantParams, error) {
	q := t.Quantization()
	if !q.IsQuantized() {
		return quantParams{}, fmt.Errorf("%s tensor %q has no quantization parameters", t.Type(), t.Name())
	}
	if len(q.ZeroPoint) > len(q.Scale) || (len(q.ZeroPoint) != 0 && len(q.ZeroPoint) != len(q.Scale)) {
		return quantParams{}, fmt.Errorf("tensor %q has %d scales but %d zero points", t.Name(), len(q.Scale), len(q.ZeroPoint))
	}
	p := quantParams{
		perChannel: len(q.Scale) > 1,
		scales:     append([]float32(nil), q.Scale...),
		zeroPoints: make([]int32, len(q.Scale)),
	}
	for i, zp := range q.ZeroPoint {
		if zp < math.MinInt32 || zp > math.MaxInt32 {
			return quantParams{}, fmt.Errorf("tensor %q: zero point %d out of the int32 range", t.Name(), zp)
		}
		p.zeroPoints[i] = int32(zp)
	}
	for _, s := range p.scales {
		if s == 0 || math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) {
			return quantParams{}, fmt.Errorf("tensor %q: invalid scale %g", t.Name(), s)
		}
	}
	if !p.perChannel {
		p.plan = axisPlan{outer: 1, channels: 1, inner: numElements(shape)}
		return p, nil
	}
	axis := q.QuantizedDimension
	if axis < 0 || axis >= len(shape) {
		return quantParams{}, fmt.Errorf("tensor %q: quantized dimension %d out of range for shape %s", t.Name(), axis, core.FormatShape(shape))
	}
	if shape[axis] != len(p.scales) {
		return quantParams{}, fmt.Errorf("tensor %q: %d scales for dimension %d of size %d", t.Name(), len(p.scales), axis, shape[axis])
	}
	p.plan = axisPlan{outer: numElements(shape[:axis]), channels: shape[axis], inner: numElements(shape[axis+1:])}
	return p, nil
}
