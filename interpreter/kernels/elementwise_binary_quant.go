package kernels

import (
	"fmt"

	"github.com/edgelite/edgelite/interpreter/core"
)

// ewQBin holds the parameters of quantized PRELU, SQUARED_DIFFERENCE and
// the comparisons, derived in Prepare as TFLite's prelu.cc,
// squared_difference.cc and comparisons.cc do.
type ewQBin struct {
	off1, off2, outOff int32
	leftShift          int
	mult1, mult2       int32
	shift1, shift2     int
	outMul1, outMul2   int32
	outSh1, outSh2     int
	lo, hi             int32
}

// ewQuantOK reports the quantized input types these ops take here.
func ewQuantOK(op ewOp, typ core.TensorType) bool {
	switch op {
	case ewPrelu:
		return typ == core.Uint8 || typ == core.Int8
	case ewSquaredDifference:
		return typ == core.Int8
	case ewDiv:
		return typ == core.Uint8
	case ewEqual, ewNotEqual, ewLess, ewLessEqual, ewGreater, ewGreaterEqual:
		return typ == core.Uint8 || typ == core.Int8
	}
	return false
}

func (k *ewBinaryKernel) prepareQuant(in1, in2, out *core.Tensor) error {
	s1, z1, err := ewQuantScalar(in1)
	if err != nil {
		return err
	}
	s2, z2, err := ewQuantScalar(in2)
	if err != nil {
		return err
	}
	q := ewQBin{off1: -z1, off2: -z2}
	lo, hi := intRange(in1.Type())
	q.lo, q.hi = int32(lo), int32(hi)
	switch {
	case isComparison(k.op):
		// comparisons.cc ComparisonQuantized: left shift 8, each input
		// scaled by its own scale as a fixed-point multiplier.
		q.leftShift = 8
		q.mult1, q.shift1 = quantizeMultiplier(float64(s1))
		q.mult2, q.shift2 = quantizeMultiplier(float64(s2))
	case k.op == ewPrelu:
		so, zo, err := ewQuantScalar(out)
		if err != nil {
			return err
		}
		q.outOff = zo
		// prelu.cc: float32 scale arithmetic.
		q.outMul1, q.outSh1 = quantizeMultiplier(float64(s1 / so))
		q.outMul2, q.outSh2 = quantizeMultiplier(float64(s1 * s2 / so))
	case k.op == ewSquaredDifference:
		so, zo, err := ewQuantScalar(out)
		if err != nil {
			return err
		}
		q.outOff = zo
		q.leftShift = 7
		twiceMax := 2 * float64(max(s1, s2))
		q.mult1, q.shift1 = quantizeMultiplier(float64(s1) / twiceMax)
		q.mult2, q.shift2 = quantizeMultiplier(float64(s2) / twiceMax)
		q.outMul1, q.outSh1 = quantizeMultiplier(twiceMax * twiceMax / float64(float32(int32(1)<<(2*q.leftShift))*so))
	case k.op == ewDiv:
		if err := qactPrepareDiv(k.act, s1, s2, out, &q); err != nil {
			return err
		}
	default:
		return fmt.Errorf("quantized %s is not supported", in1.Type())
	}
	k.q = q
	return nil
}

func (k *ewBinaryKernel) evalQuant(n *core.Node, in1, in2, out *core.Tensor) error {
	if isComparison(k.op) {
		o := out.Bytes()
		if k.typ == core.Uint8 {
			return evalBroadcast(n, k, &k.bc, in1.Uint8s(), in2.Uint8s(), o, ewQCompareRow[uint8])
		}
		return evalBroadcast(n, k, &k.bc, in1.Int8s(), in2.Int8s(), o, ewQCompareRow[int8])
	}
	if k.op == ewDiv {
		b := in2.Uint8s()
		if err := qactDivCheck(&k.q, b[:min(k.bc.n2, len(b))]); err != nil {
			return n.Errorf("%v", err)
		}
	}
	if k.typ == core.Uint8 {
		return evalBroadcast(n, k, &k.bc, in1.Uint8s(), in2.Uint8s(), out.Uint8s(), ewQArithRow[uint8])
	}
	return evalBroadcast(n, k, &k.bc, in1.Int8s(), in2.Int8s(), out.Int8s(), ewQArithRow[int8])
}

// ewQScaled is the rescaled input of ComparisonWithScaling and
// SquaredDifference: (x + offset) << left_shift times a multiplier below
// one.
func ewQScaled(x, off int32, left int, mult int32, shift int) int32 {
	return multiplyByQuantizedMultiplier((x+off)*(int32(1)<<left), mult, shift)
}

func ewQCompareRow[T ~uint8 | ~int8](k *ewBinaryKernel, a []T, sa int, b []T, sb int, out []uint8) {
	q := &k.q
	for i := range out {
		x := ewQScaled(int32(a[i*sa]), q.off1, q.leftShift, q.mult1, q.shift1)
		y := ewQScaled(int32(b[i*sb]), q.off2, q.leftShift, q.mult2, q.shift2)
		var r bool
		switch k.op {
		case ewEqual:
			r = x == y
		case ewNotEqual:
			r = x != y
		case ewLess:
			r = x < y
		case ewLessEqual:
			r = x <= y
		case ewGreater:
			r = x > y
		case ewGreaterEqual:
			r = x >= y
		}
		out[i] = b2u(r)
	}
}

func ewQArithRow[T ~uint8 | ~int8](k *ewBinaryKernel, a []T, sa int, b []T, sb int, out []T) {
	q := &k.q
	switch k.op {
	case ewPrelu:
		// reference_ops::BroadcastPrelu4DSlow.
		for i := range out {
			x := q.off1 + int32(a[i*sa])
			var v int32
			if x >= 0 {
				v = multiplyByQuantizedMultiplier(x, q.outMul1, q.outSh1)
			} else {
				v = multiplyByQuantizedMultiplier(x*(q.off2+int32(b[i*sb])), q.outMul2, q.outSh2)
			}
			out[i] = T(min(max(v+q.outOff, q.lo), q.hi))
		}
	case ewDiv:
		qactDivRow(k, a, sa, b, sb, out)
	case ewSquaredDifference:
		for i := range out {
			x := ewQScaled(int32(a[i*sa]), q.off1, q.leftShift, q.mult1, q.shift1)
			y := ewQScaled(int32(b[i*sb]), q.off2, q.leftShift, q.mult2, q.shift2)
			d := x - y
			v := multiplyByQuantizedMultiplier(d*d, q.outMul1, q.outSh1) + q.outOff
			out[i] = T(min(max(v, q.lo), q.hi))
		}
	}
}
