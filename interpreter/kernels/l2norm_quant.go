package kernels

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/edgelite/edgelite/interpreter/core"
)

// ewPrepareQL2Norm is l2norm.cc's Prepare for uint8 and int8: the output
// is fixed at scale 1/128 with zero point 128 (uint8) or 0 (int8).
func ewPrepareQL2Norm(in, out *core.Tensor) (*ewQSoftmax, error) {
	it := in.Type()
	if it != core.Uint8 && it != core.Int8 {
		return nil, fmt.Errorf("%s inputs (quantized) are not supported yet", it)
	}
	if out.Type() != it {
		return nil, fmt.Errorf("output type %s differs from the input type %s", out.Type(), it)
	}
	_, inZP, err := ewQuantScalar(in)
	if err != nil {
		return nil, err
	}
	outScale, outZP, err := ewQuantScalar(out)
	if err != nil {
		return nil, err
	}
	wantZP := int32(128)
	if it == core.Int8 {
		wantZP = 0
	}
	if outScale != 1.0/128 || outZP != wantZP {
		return nil, fmt.Errorf("%s L2_NORMALIZATION output needs scale 1/128 and zero point %d, got %g and %d", it, wantZP, outScale, outZP)
	}
	lo, hi := intRange(it)
	return &ewQSoftmax{op: normL2, inType: it, outType: it, outZP: inZP, outLo: int32(lo), outHi: int32(hi)}, nil
}

// ewInvSqrtMultiplierExp is TFLite's GetInvSqrtQuantizedMultiplierExp with
// reverse_shift -1: 1/sqrt(input) as a Q31 multiplier and a left shift
// (<= 0), by gemmlowp fixed-point Newton-Raphson iterations.
func ewInvSqrtMultiplierExp(input int32) (int32, int) {
	if input <= 1 {
		return math.MaxInt32, 0
	}
	shift := 11
	for input >= 1<<29 {
		input /= 4
		shift++
	}
	maxLeftBits := bits.LeadingZeros32(uint32(input)) - 1
	pairs := maxLeftBits/2 - 1
	shift -= pairs
	input <<= 2 * pairs
	// F3: fixed point with 3 integer bits.
	x0 := input >> 1
	halfInput := roundingDivideByPOT(x0, 1)
	const halfThree = int32(1<<28 + 1<<27)
	x := int32(1 << 28)
	for range 5 {
		x3 := ewSatMulPOT(saturatingRoundingDoublingHighMul(saturatingRoundingDoublingHighMul(x, x), x), 6)
		d := saturatingRoundingDoublingHighMul(halfThree, x) - saturatingRoundingDoublingHighMul(halfInput, x3)
		x = ewSatMulPOT(d, 3)
	}
	x = saturatingRoundingDoublingHighMul(x, 1518500250)
	if shift < 0 {
		x <<= -shift
		shift = 0
	}
	return x, -shift
}

// ewSatMulPOT is gemmlowp's SaturatingRoundingMultiplyByPOT for a positive
// exponent: a left shift saturating at the int32 limits.
func ewSatMulPOT(x int32, exp int) int32 {
	threshold := int32(1)<<(31-exp) - 1
	switch {
	case x > threshold:
		return math.MaxInt32
	case x < -threshold:
		return math.MinInt32
	}
	return x << exp
}

// ewQL2NormRows is reference_ops::L2Normalization (uint8: 128 * diff
// scaled, plus 128) and reference_integer_ops::L2Normalization (int8: the
// difference scaled with 7 more bits of left shift).
func ewQL2NormRows[T ~uint8 | ~int8](q *ewQSoftmax, x, y []T, rows, depth int) {
	zp := q.outZP // the input zero point
	u8 := q.inType == core.Uint8
	for r := 0; r < rows; r++ {
		xr, yr := x[r*depth:(r+1)*depth], y[r*depth:(r+1)*depth]
		var acc int32
		for _, v := range xr {
			d := int32(v) - zp
			acc += d * d
		}
		m, s := ewInvSqrtMultiplierExp(acc)
		for j, v := range xr {
			d := int32(v) - zp
			var o int32
			if u8 {
				o = 128 + multiplyByQuantizedMultiplier(128*d, m, s)
			} else {
				o = multiplyByQuantizedMultiplier(d, m, s+7)
			}
			yr[j] = T(min(max(o, q.outLo), q.outHi))
		}
	}
}
