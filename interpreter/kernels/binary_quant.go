package kernels

import (
	"fmt"
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// ewQMode is the integer arithmetic a quantized ADD, SUB or MUL runs.
type ewQMode uint8

const (
	// ewQGeneral is TFLite's general rescaling ADD (and SUB, which runs the
	// ADD kernels with input 2's multiplier negated): both inputs shifted
	// left by left_shift, each scaled by its own multiplier, summed and
	// scaled by the output multiplier.
	ewQGeneral ewQMode = iota
	// ewQPot16 is the int16 power-of-two-scale path (reference_ops::Add for
	// int16 and Sub16): one input shifted right, saturating add/sub.
	ewQPot16
	// ewQMul is quantized MUL: the product of the offset inputs scaled by
	// s1*s2/so.
	ewQMul
)

// ewQBinary holds the parameters of quantized ADD, SUB and MUL, computed in
// Prepare as TFLite's add.cc, sub.cc and mul.cc do.
type ewQBinary struct {
	mode                 ewQMode
	sub                  bool
	off1, off2, outOff   int32
	leftShift            int
	mult1, mult2, outMul int32
	shift1, shift2       int
	outShift             int
	lo, hi               int32
	// pot16: the right shift of one input (shiftFirst: of input 1).
	potShift   int
	shiftFirst bool
}

// ewQuantActivationRange is TFLite's CalculateActivationRangeQuantized:
// the fused activation's clamp in the output's quantized domain
// (zero_point + round(f / scale), computed in float32).
func ewQuantActivationRange(act tflite.ActivationFunctionType, out *core.Tensor) (lo, hi int32, err error) {
	l, h := intRange(out.Type())
	lo, hi = int32(l), int32(h)
	q := out.Quantization()
	if len(q.Scale) == 0 {
		return lo, hi, fmt.Errorf("output %q has no quantization parameters", out.Name())
	}
	scale := q.Scale[0]
	var zp int32
	if len(q.ZeroPoint) > 0 {
		zp = int32(q.ZeroPoint[0])
	}
	quant := func(f float32) int32 {
		return zp + int32(math.Round(float64(f/scale)))
	}
	switch act {
	case tflite.ActivationFunctionTypeRELU:
		lo = max(lo, quant(0))
	case tflite.ActivationFunctionTypeRELU6:
		lo, hi = max(lo, quant(0)), min(hi, quant(6))
	case tflite.ActivationFunctionTypeRELU_N1_TO_1:
		lo, hi = max(lo, quant(-1)), min(hi, quant(1))
	}
	return lo, hi, nil
}

// ewQuantScalar reads a per-tensor scale and zero point, checking that the
// zero point fits the tensor's type as TFLite's Prepare does.
func ewQuantScalar(t *core.Tensor) (scale float32, zp int32, err error) {
	p, err := readQuantParams(t, t.Shape())
	if err != nil {
		return 0, 0, err
	}
	if p.perChannel {
		return 0, 0, fmt.Errorf("tensor %q: per-channel quantization is not supported here", t.Name())
	}
	lo, hi := intRange(t.Type())
	if z := int64(p.zeroPoints[0]); z < lo || z > hi {
		return 0, 0, fmt.Errorf("tensor %q: zero point %d out of the %s range", t.Name(), z, t.Type())
	}
	return p.scales[0], p.zeroPoints[0], nil
}

// ewCheckedLog2 is TFLite's CheckedLog2: whether x is a power of two (to
// 1e-3 in log2, computed in float32) and its rounded log2.
func ewCheckedLog2(x float32) (int, bool) {
	l := float32(math.Log(float64(x))) * float32(1/math.Log(2))
	r := float32(math.Round(float64(l)))
	return int(r), math.Abs(float64(l-r)) < 1e-3
}

// prepareQuant sets up quantized ADD, SUB or MUL (inputs and output of one
// type, checked by the caller).
func (k *binaryKernel) prepareQuant(in1, in2, out *core.Tensor) error {
	s1, z1, err := ewQuantScalar(in1)
	if err != nil {
		return err
	}
	s2, z2, err := ewQuantScalar(in2)
	if err != nil {
		return err
	}
	so, zo, err := ewQuantScalar(out)
	if err != nil {
		return err
	}
	q := ewQBinary{sub: k.op == opSub, off1: -z1, off2: -z2, outOff: zo}
	if q.lo, q.hi, err = ewQuantActivationRange(k.act, out); err != nil {
		return err
	}
	typ := out.Type()
	if typ == core.Int16 && (z1 != 0 || z2 != 0 || zo != 0) {
		return fmt.Errorf("int16 operands must have zero points 0, got %d, %d, %d", z1, z2, zo)
	}
	if k.op == opMul {
		// mul.cc: the product of the float scales, divided in float32.
		real := float64(s1 * s2 / so)
		q.mode = ewQMul
		q.outMul, q.outShift = quantizeMultiplier(real)
		k.q = q
		return nil
	}
	general := typ != core.Int16 || !k.pot16
	var l1, l2, lo int
	if !general {
		var p1, p2, po bool
		l1, p1 = ewCheckedLog2(s1)
		l2, p2 = ewCheckedLog2(s2)
		lo, po = ewCheckedLog2(so)
		general = !p1 || !p2 || !po
	}
	if general {
		q.mode = ewQGeneral
		q.leftShift = 20
		if typ == core.Int16 {
			q.leftShift = 15
		}
		// float32 as in add.cc: 2 * max(float, float), and 2^left * scale.
		twiceMax := float64(2 * max(s1, s2))
		q.mult1, q.shift1 = quantizeMultiplier(float64(s1) / twiceMax)
		q.mult2, q.shift2 = quantizeMultiplier(float64(s2) / twiceMax)
		if q.sub {
			q.mult2 = -q.mult2
		}
		q.outMul, q.outShift = quantizeMultiplier(twiceMax / float64(float32(int32(1)<<q.leftShift)*so))
		k.q = q
		return nil
	}
	q.mode = ewQPot16
	sh1, sh2 := l1-lo, l2-lo
	if (sh1 != 0 && sh2 != 0) || sh1 > 0 || sh2 > 0 {
		return fmt.Errorf("int16 power-of-two scales %g, %g -> %g: TFLite shifts one input right only", s1, s2, so)
	}
	if !sameDims(in1.Shape(), in2.Shape()) {
		return fmt.Errorf("int16 power-of-two-scale arithmetic does not broadcast in TFLite")
	}
	q.shiftFirst = sh1 != 0
	q.potShift = -sh1
	if sh1 == 0 {
		q.potShift = -sh2
	}
	k.q = q
	return nil
}

// ewQInt is the storage of quantized tensors.
type ewQInt interface{ ~int8 | ~uint8 | ~int16 }

// ewEvalQBinary runs quantized ADD, SUB or MUL over the broadcast plan.
func ewEvalQBinary[T ewQInt](n *core.Node, q *ewQBinary, bc *broadcast, a, b, out []T) error {
	if !bc.fits(len(a), len(b), len(out)) {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if bc.n == 0 {
		return nil
	}
	if bc.same {
		ewQRow(q, a, 1, b, 1, out[:bc.n])
		return nil
	}
	d, s1, s2 := &bc.dims, &bc.s1, &bc.s2
	inner := d[5]
	o := 0
	for i0 := 0; i0 < d[0]; i0++ {
		a0, b0 := i0*s1[0], i0*s2[0]
		for i1 := 0; i1 < d[1]; i1++ {
			a1, b1 := a0+i1*s1[1], b0+i1*s2[1]
			for i2 := 0; i2 < d[2]; i2++ {
				a2, b2 := a1+i2*s1[2], b1+i2*s2[2]
				for i3 := 0; i3 < d[3]; i3++ {
					a3, b3 := a2+i3*s1[3], b2+i3*s2[3]
					for i4 := 0; i4 < d[4]; i4++ {
						a4, b4 := a3+i4*s1[4], b3+i4*s2[4]
						ewQRow(q, a[a4:], s1[5], b[b4:], s2[5], out[o:o+inner])
						o += inner
					}
				}
			}
		}
	}
	return nil
}

// ewQRow computes one row of out from a[i*sa] and b[i*sb].
func ewQRow[T ewQInt](q *ewQBinary, a []T, sa int, b []T, sb int, out []T) {
	switch q.mode {
	case ewQGeneral:
		for i := range out {
			x := (q.off1 + int32(a[i*sa])) * (int32(1) << q.leftShift)
			y := (q.off2 + int32(b[i*sb])) * (int32(1) << q.leftShift)
			x = multiplyByQuantizedMultiplier(x, q.mult1, q.shift1)
			y = multiplyByQuantizedMultiplier(y, q.mult2, q.shift2)
			r := multiplyByQuantizedMultiplier(x+y, q.outMul, q.outShift) + q.outOff
			out[i] = T(min(max(r, q.lo), q.hi))
		}
	case ewQMul:
		for i := range out {
			p := (q.off1 + int32(a[i*sa])) * (q.off2 + int32(b[i*sb]))
			r := multiplyByQuantizedMultiplier(p, q.outMul, q.outShift) + q.outOff
			out[i] = T(min(max(r, q.lo), q.hi))
		}
	case ewQPot16:
		for i := range out {
			x, y := int32(a[i*sa]), int32(b[i*sb])
			if q.shiftFirst {
				x = roundingDivideByPOT(x, q.potShift)
			} else {
				y = roundingDivideByPOT(y, q.potShift)
			}
			r := x + y
			if q.sub {
				r = x - y
			}
			r = min(max(r, math.MinInt16), math.MaxInt16)
			out[i] = T(min(max(r, q.lo), q.hi))
		}
	}
}
