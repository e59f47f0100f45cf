package kernels

// gemmlowp's fixed-point math functions (fixedpoint.h) on int16 raw
// values, as TFLite's int16 LOGISTIC and TANH run them for power-of-two
// input scales (optimized_ops::Logistic/Tanh on int16). A value with k
// integer bits has 15-k fractional bits; every add, subtract and negate
// wraps in int16 as the C++ templates do, and the constants are gemmlowp's
// Q0.31 ones rounded down to 16 bits.

// qactConst16 is gemmlowp's RescaleConstantInitializer for int16: the
// int32 constant rounding-divided by 2^16.
func qactConst16(v int32) int16 { return int16(roundingDivideByPOT(v, 16)) }

// qactRDivPOT16 is gemmlowp's RoundingDivideByPOT on int16.
func qactRDivPOT16(x int16, exponent int) int16 {
	mask := int16(int32(1)<<exponent - 1)
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

// qactMulPOT16 is gemmlowp's SaturatingRoundingMultiplyByPOT on int16: a
// saturating left shift for exponent > 0, a rounding right shift for < 0.
func qactMulPOT16(x int16, exponent int) int16 {
	switch {
	case exponent > 0:
		threshold := int16(1<<(15-exponent) - 1)
		if x > threshold {
			return 32767
		}
		if x < -threshold {
			return -32768
		}
		return int16(int32(x) << exponent)
	case exponent < 0:
		return qactRDivPOT16(x, -exponent)
	}
	return x
}

// qactSatAdd16 is gemmlowp's SaturatingAdd on int16.
func qactSatAdd16(a, b int16) int16 {
	return int16(min(max(int32(a)+int32(b), -32768), 32767))
}

// qactRoundingHalfSum16 is gemmlowp's RoundingHalfSum on int16.
func qactRoundingHalfSum16(a, b int16) int16 {
	sum := int32(a) + int32(b)
	sign := int32(1)
	if sum < 0 {
		sign = -1
	}
	return int16((sum + sign) / 2)
}

// qactExpQuarter16 is exp_on_interval_between_negative_one_quarter_and_0_excl
// for a Q0.15 input: a Taylor expansion around -1/8.
func qactExpQuarter16(a int16) int16 {
	constTerm := qactConst16(1895147668) // exp(-1/8)
	oneThird := qactConst16(715827883)   // 1/3
	x := a + 1<<12                       // a + 1/8
	x2 := ewSRDHM16(x, x)
	x3 := ewSRDHM16(x2, x)
	x4 := ewSRDHM16(x2, x2)
	x4Over4 := qactMulPOT16(x4, -2)
	poly := qactMulPOT16(ewSRDHM16(x4Over4+x3, oneThird)+x2, -1)
	return qactSatAdd16(constTerm, ewSRDHM16(constTerm, x+poly))
}

// qactExpBarrel holds gemmlowp's exp(-2^e) multipliers for e = -2..4.
var qactExpBarrel = [7]int32{1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242}

// qactExpNeg16 is exp_on_negative_values for an input with intBits
// integer bits (intBits <= 5, so no clamp at -32); the result is Q0.15.
func qactExpNeg16(a int16, intBits int) int16 {
	frac := 15 - intBits
	quarter := int16(1) << (frac - 2)
	mask := quarter - 1
	amq := (a & mask) - quarter
	result := qactExpQuarter16(qactMulPOT16(amq, intBits))
	remainder := amq - a
	for i, m := range qactExpBarrel {
		e := i - 2
		if intBits <= e {
			continue
		}
		bit := int16(int32(1) << (frac + e))
		if remainder&bit != 0 {
			result = ewSRDHM16(result, qactConst16(m))
		}
	}
	if a == 0 {
		result = 32767
	}
	return result
}

// qactNewton16 runs gemmlowp's Newton-Raphson division shared by
// one_over_one_plus_x_for_x_in_0_1 and one_minus_x_over_one_plus_x: it
// returns 1/half_denominator in Q2.13.
func qactNewton16(half int16) int16 {
	c48 := qactConst16(1515870810)     // 48/17 in Q2.13
	cNeg32 := qactConst16(-1010580540) // -32/17 in Q2.13
	x := c48 + ewSRDHM16(half, cNeg32)
	for range 3 {
		oneMinus := int16(1<<13) - ewSRDHM16(half, x)
		x += qactMulPOT16(ewSRDHM16(x, oneMinus), 2)
	}
	return x
}

// qactOneOverOnePlusX16 is one_over_one_plus_x_for_x_in_0_1 (Q0.15).
func qactOneOverOnePlusX16(a int16) int16 {
	return qactMulPOT16(qactNewton16(qactRoundingHalfSum16(a, 32767)), 1)
}

// qactOneMinusXOverOnePlusX16 is one_minus_x_over_one_plus_x_for_x_in_0_1.
func qactOneMinusXOverOnePlusX16(a int16) int16 {
	return qactMulPOT16(qactNewton16(qactRoundingHalfSum16(a, 32767))-1<<13, 2)
}

// qactLogistic16 is gemmlowp::logistic for an input with intBits integer
// bits, returning Q0.15.
func qactLogistic16(a int16, intBits int) int16 {
	if a == 0 {
		return qactConst16(1 << 30)
	}
	abs := a
	if a < 0 {
		abs = -a
	}
	pos := qactOneOverOnePlusX16(qactExpNeg16(-abs, intBits))
	if a > 0 {
		return pos
	}
	return 32767 - pos
}

// qactTanh16 is gemmlowp::tanh for an input with intBits integer bits,
// returning Q0.15.
func qactTanh16(a int16, intBits int) int16 {
	if a == 0 {
		return 0
	}
	n := a
	if a > 0 {
		n = -a
	}
	// neg_tanh_on_negative_values: exp(2n) via ExactMulByPot<1> (one more
	// integer bit, same raw value).
	t := qactOneMinusXOverOnePlusX16(qactExpNeg16(n, intBits+1))
	if a < 0 {
		return -t
	}
	return t
}
