package kernels

import "math"

// This file holds the 16-bit fixed-point helpers of the integer LSTM:
// gemmlowp's FixedPoint<int16_t, N> arithmetic (fixedpoint.h) and the
// sigmoid and tanh TFLite's portable tensor_utils build on it
// (ApplySigmoid: logistic of a Q3.12 input; ApplyTanh: tanh of a
// Q(bits).(15-bits) input), both giving Q0.15 results. Additions and
// negations wrap in int16 as gemmlowp's do after C++'s narrowing.

// qlstmConst16 is gemmlowp's RescaleConstantInitializer for int16: a Q31
// constant rounded to 16 bits.
func qlstmConst16(v int32) int16 { return int16(roundingDivideByPOT(v, 16)) }

// qlstmMul16 is the int16 SaturatingRoundingDoublingHighMul (a fixed-point
// product).
func qlstmMul16(a, b int16) int16 {
	if a == b && a == math.MinInt16 {
		return math.MaxInt16
	}
	ab := int32(a) * int32(b)
	nudge := int32(1 << 14)
	if ab < 0 {
		nudge = 1 - 1<<14
	}
	return int16((ab + nudge) / (1 << 15))
}

// qlstmMulPOT16 is SaturatingRoundingMultiplyByPOT for int16: a saturating
// left shift for exp > 0, a rounding right shift for exp < 0.
func qlstmMulPOT16(x int16, exp int) int16 {
	switch {
	case exp < 0:
		return int16(roundingDivideByPOT(int32(x), -exp))
	case exp == 0:
		return x
	}
	threshold := int16(1<<(15-exp) - 1)
	switch {
	case x > threshold:
		return math.MaxInt16
	case x < -threshold:
		return math.MinInt16
	}
	return x << exp
}

// qlstmHalfSum16 is gemmlowp's RoundingHalfSum for int16.
func qlstmHalfSum16(a, b int16) int16 {
	sum := int32(a) + int32(b)
	sign := int32(1)
	if sum < 0 {
		sign = -1
	}
	return int16((sum + sign) / 2)
}

// qlstmSatAdd16 is gemmlowp's SaturatingAdd for int16.
func qlstmSatAdd16(a, b int16) int16 {
	return int16(min(max(int32(a)+int32(b), math.MinInt16), math.MaxInt16))
}

// qlstmExpQuarter16 is exp(a) for a Q0.15 a in [-1/4, 0): a Taylor
// expansion around -1/8.
func qlstmExpQuarter16(a int16) int16 {
	constTerm := qlstmConst16(1895147668) // exp(-1/8)
	oneThird := qlstmConst16(715827883)
	x := a + 1<<12 // a + 1/8
	x2 := qlstmMul16(x, x)
	x3 := qlstmMul16(x2, x)
	x4 := qlstmMul16(x2, x2)
	x4over4 := qlstmMulPOT16(x4, -2)
	t := qlstmMulPOT16(qlstmMul16(x4over4+x3, oneThird)+x2, -1)
	return qlstmSatAdd16(constTerm, qlstmMul16(constTerm, x+t))
}

// qlstmExpBarrel are gemmlowp's exp(-2^e) multipliers for e = -2..4.
var qlstmExpBarrel = [...]int32{1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242}

// qlstmExpNeg16 is exp(a) for a <= 0 in Q(intBits).(15-intBits), as
// gemmlowp's exp_on_negative_values: the residue modulo 1/4 through the
// Taylor expansion, then one multiplier per set bit above it.
func qlstmExpNeg16(a int16, intBits int) int16 {
	frac := 15 - intBits
	quarter := int16(1) << (frac - 2)
	amq := (a & (quarter - 1)) - quarter
	result := qlstmExpQuarter16(qlstmMulPOT16(amq, intBits))
	remainder := amq - a
	for i, m := range qlstmExpBarrel {
		e := i - 2
		if intBits > e && remainder&(int16(1)<<(frac+e)) != 0 {
			result = qlstmMul16(result, qlstmConst16(m))
		}
	}
	if intBits > 5 {
		if a < qlstmConst16(-(1 << (36 - intBits))) { // below -32
			result = 0
		}
	}
	if a == 0 {
		result = math.MaxInt16
	}
	return result
}

// qlstmNewtonRecip16 runs gemmlowp's Newton-Raphson division for 1/(1+a)
// with a in Q0.15 [0, 1): the Q2.13 estimate of 1/half_denominator.
func qlstmNewtonRecip16(a int16) int16 {
	half := qlstmHalfSum16(a, math.MaxInt16)
	x := qlstmConst16(1515870810) + qlstmMul16(half, qlstmConst16(-1010580540)) // 48/17 - 32/17*d
	const one = int16(1 << 13)                                                  // 1.0 in Q2.13
	for range 3 {
		hx := qlstmMul16(half, x)
		x += qlstmMulPOT16(qlstmMul16(x, one-hx), 2)
	}
	return x
}

// qlstmLogistic16 is gemmlowp's logistic of a Q3.12 value (TFLite's
// PortableApplySigmoid), a Q0.15 result.
func qlstmLogistic16(a int16) int16 {
	if a == 0 {
		return qlstmConst16(1 << 30) // 1/2
	}
	abs := a
	if a <= 0 {
		abs = -a
	}
	// 1/(1+exp(-|a|)): Rescale<0> of the Q1.14 view of the Q2.13 estimate.
	pos := qlstmMulPOT16(qlstmNewtonRecip16(qlstmExpNeg16(-abs, 3)), 1)
	if a > 0 {
		return pos
	}
	return math.MaxInt16 - pos
}

// qlstmTanh16 is gemmlowp's tanh of a Q(intBits).(15-intBits) value
// (TFLite's PortableApplyTanh), a Q0.15 result.
func qlstmTanh16(a int16, intBits int) int16 {
	if a == 0 {
		return 0
	}
	n := a
	if a >= 0 {
		n = -a
	}
	// (1-exp(2n))/(1+exp(2n)) = -tanh(n): 2n is n read with one more
	// integer bit.
	x := qlstmNewtonRecip16(qlstmExpNeg16(n, intBits+1))
	t := qlstmMulPOT16(x-1<<13, 2)
	if a < 0 {
		return -t
	}
	return t
}
