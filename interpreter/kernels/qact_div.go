package kernels

import (
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// Quantized uint8 DIV (version 1) as TFLite's div.cc computes it
// (Prepare: the multiplier input1_scale/(input2_scale*output_scale) in
// float32; reference_ops::DivElementwise): per element the divisor's
// reciprocal as a Q0.31 fixed-point number (GetReciprocal), the dividend
// shifted up by its headroom, multiplied, and shifted back down with the
// output multiplier.

// qactPrepareDiv sets up uint8 DIV in q.
func qactPrepareDiv(act tflite.ActivationFunctionType, s1, s2 float32, out *core.Tensor, q *ewQBin) error {
	so, zo, err := ewQuantScalar(out)
	if err != nil {
		return err
	}
	switch act {
	case tflite.ActivationFunctionTypeNONE, tflite.ActivationFunctionTypeRELU,
		tflite.ActivationFunctionTypeRELU6, tflite.ActivationFunctionTypeRELU_N1_TO_1:
	default:
		return fmt.Errorf("fused activation %s is not supported on quantized DIV", act)
	}
	q.outOff = zo
	q.lo, q.hi = spActivationRangeQuantized(act, out.Type(), so, zo)
	q.outMul1, q.outSh1 = quantizeMultiplier(float64(s1 / (s2 * so)))
	return nil
}

var errQactDivZero = errors.New("quantized division by zero (a divisor equal to its zero point)")

// qactDivCheck rejects a divisor whose real value is 0 (TFLite's kernel
// leaves that undefined).
func qactDivCheck(q *ewQBin, b []uint8) error {
	for _, v := range b {
		if int32(v)+q.off2 == 0 {
			return errQactDivZero
		}
	}
	return nil
}

// qactOneOverOnePlusX32 is gemmlowp's one_over_one_plus_x_for_x_in_0_1 on
// int32 (Q0.31 in, Q0.31 out): Newton-Raphson in Q2.29.
func qactOneOverOnePlusX32(a int32) int32 {
	sum := int64(a) + math.MaxInt32
	sign := int64(1)
	if sum < 0 {
		sign = -1
	}
	half := int32((sum + sign) / 2)
	x := 1515870810 + saturatingRoundingDoublingHighMul(half, -1010580540)
	for range 3 {
		oneMinus := int32(1<<29) - saturatingRoundingDoublingHighMul(half, x)
		x += ewSatMulPOT(saturatingRoundingDoublingHighMul(x, oneMinus), 2)
	}
	return ewSatMulPOT(x, 1)
}

// qactReciprocal is TFLite's GetReciprocal(x, 31): 1/x = inv * 2^-shift
// with inv in Q0.31, for x >= 1.
func qactReciprocal(x int32) (inv int32, shift int) {
	h := bits.LeadingZeros32(uint32(x))
	shifted := int32(uint32(x)<<h - 1<<31)
	return qactOneOverOnePlusX32(shifted), 31 - h
}

// qactLeadingSignBits is TFLite's CountLeadingSignBits on int32.
func qactLeadingSignBits(x int32) int {
	switch {
	case x >= 0:
		return bits.LeadingZeros32(uint32(x)) - 1
	case x != math.MinInt32:
		return bits.LeadingZeros32(2*uint32(-x) - 1)
	}
	return 0
}

// qactRDivPOTMasked is gemmlowp's RoundingDivideByPOT as TFLite's DIV runs
// it: its shift can exceed 31 for small dividends, and then the machines
// TFLite runs on (x86, ARM, WebAssembly) shift by the count modulo 32
// while the mask keeps all 32 bits (its 64-bit shift likewise masked, so
// that no count panics).
func qactRDivPOTMasked(x int32, exponent int) int32 {
	mask := int32(int64(1)<<(uint(exponent)&63) - 1)
	remainder := x & mask
	threshold := mask >> 1
	if x < 0 {
		threshold++
	}
	r := x >> (uint(exponent) & 31)
	if remainder > threshold {
		r++
	}
	return r
}

// qactDiv8 is one element of reference_ops::DivElementwise.
func qactDiv8(q *ewQBin, a, b int32) int32 {
	x, y := q.off1+a, q.off2+b
	if y < 0 {
		x, y = -x, -y
	}
	inv, recip := qactReciprocal(y)
	head := qactLeadingSignBits(x)
	unscaled := saturatingRoundingDoublingHighMul(x*(int32(1)<<head), inv)
	total := q.outSh1 - recip - head
	v := q.outOff + qactRDivPOTMasked(saturatingRoundingDoublingHighMul(unscaled, q.outMul1), -total)
	return min(max(v, q.lo), q.hi)
}

func qactDivRow[T ~uint8 | ~int8](k *ewBinaryKernel, a []T, sa int, b []T, sb int, out []T) {
	q := &k.q
	for i := range out {
		out[i] = T(qactDiv8(q, int32(a[i*sa]), int32(b[i*sb])))
	}
}
