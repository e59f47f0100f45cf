package kernels

import (
	"fmt"
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// int16 LOGISTIC and TANH (version 3) as TFLite's builtin kernels compute
// them (activations.cc SigmoidPrepare/TanhPrepare and Eval with
// kGenericOptimized): zero points 0, an output scale of 2^-15, and
//   - an input scale of 2^-12 (TANH also 2^-11): gemmlowp's fixed-point
//     logistic/tanh on the raw Q3.12 value (optimized_ops::Logistic/Tanh);
//   - any other input scale: the input rescaled by an integer multiplier to
//     1/(3*4096) units and looked up, with linear interpolation, in the
//     256-entry sigmoid table (reference_integer_ops::Logistic/Tanh).

// qactSigmoidTable is TFLite's sigmoid_table_uint16 (kernels/internal/
// common.h), sigmoid(i/24) in unsigned Q0.16. TFLite prints the values; they
// are reproduced here by the rule that spreads the linear-interpolation
// error: round(f(i) + (f(i+1/2) - (f(i)+f(i+1))/2)/2) with
// f(x) = 65536*sigmoid(x/24), and the last entry is 1.0 saturated to 0xFFFF
// (TestQactSigmoidTable checks the values against TFLite's).
var qactSigmoidTable = func() (t [256]uint16) {
	f := func(x float64) float64 { return 65536 / (1 + math.Exp(-x/24)) }
	for i := range 255 {
		x := float64(i)
		t[i] = uint16(math.Round(f(x) + (f(x+0.5)-(f(x)+f(x+1))/2)/2))
	}
	t[255] = 0xFFFF
	return t
}()

// qactKind says which int16 function a qactAct16 runs.
type qactKind uint8

const (
	qaNone qactKind = iota
	qaLogistic
	qaTanh
	qaAbs
)

// qactAct16 holds the prepared int16 LOGISTIC, TANH or ABS, and the
// smallest valid input of int8 RSQRT (minIn).
type qactAct16 struct {
	kind qactKind
	tanh bool
	// pot selects gemmlowp's fixed-point function; shift1 doubles the
	// input first (TANH with input scale 2^-11).
	pot, shift1 bool
	// mul and shift rescale the input for the table (general scales).
	mul   int32
	shift int
	// ABS: rescale unless the scales are equal; plain for unquantized
	// tensors.
	rescale, plain bool
	minIn          int32
}

// qactPrepareAct16 is SigmoidPrepare/TanhPrepare for int16.
func qactPrepareAct16(tanh bool, in, out *core.Tensor) (qactAct16, error) {
	a := qactAct16{kind: qaLogistic, tanh: tanh}
	if tanh {
		a.kind = qaTanh
	}
	si, zi, err := ewQuantScalar(in)
	if err != nil {
		return a, err
	}
	so, zo, err := ewQuantScalar(out)
	if err != nil {
		return a, err
	}
	if zi != 0 || zo != 0 {
		return a, fmt.Errorf("INT16 zero points must be 0 (input %d, output %d)", zi, zo)
	}
	if !(si > 0) || math.IsInf(float64(si), 0) {
		return a, fmt.Errorf("input scale %g is not a positive finite number", si)
	}
	if !tanh && float64(so) != 1.0/32768 {
		return a, fmt.Errorf("INT16 LOGISTIC output needs scale 1/32768, got %g", so)
	}
	if l, ok := ewCheckedLog2(so); !ok || l != -15 {
		return a, fmt.Errorf("INT16 output scale %g is not 2^-15", so)
	}
	l, pot := ewCheckedLog2(si)
	shift := 12 + l
	if tanh {
		pot = pot && (shift == 0 || shift == 1)
	} else {
		pot = pot && shift == 0
	}
	if pot {
		a.pot, a.shift1 = true, shift == 1
		return a, nil
	}
	// Scale the input to 1/(3*4096) units: 2^17 then stands for 10.7.
	m := float64(si) * 4096 * 3
	shift = 0
	for m <= 32767.0/2 && shift <= 30 {
		shift++
		m *= 2
	}
	if m >= 1<<31 {
		return a, fmt.Errorf("input scale %g is too large", si)
	}
	a.mul, a.shift = int32(m), shift
	return a, nil
}

// qactAct16Eval runs the prepared function over x.
func qactAct16Eval(a *qactAct16, x, y []int16) {
	switch {
	case a.kind == qaAbs:
		qactAbs16(a, x, y)
	case a.pot && a.tanh:
		for i, v := range x {
			if a.shift1 {
				v = qactMulPOT16(v, 1)
			}
			y[i] = qactTanh16(v, 3)
		}
	case a.pot:
		for i, v := range x {
			y[i] = qactLogistic16(v, 3)
		}
	case a.tanh:
		for i, v := range x {
			y[i] = qactTanhLUT(a.mul, a.shift, v)
		}
	default:
		for i, v := range x {
			y[i] = qactLogisticLUT(a.mul, a.shift, v)
		}
	}
}

// qactScaleIn is the input rescaling shared by the table functions:
// (x*mul + round) >> shift in int32.
func qactScaleIn(mul int32, shift int, x int16) int32 {
	var round int32
	if shift > 0 {
		round = 1 << (shift - 1)
	}
	return (int32(x)*mul + round) >> shift
}

// qactAbs32 is abs as a uint32 (the lowest int32 stays 2^31, as in C).
func qactAbs32(v int32) uint32 {
	if v < 0 {
		return uint32(-v)
	}
	return uint32(v)
}

// qactLogisticLUT is reference_integer_ops::Logistic for one int16 value:
// table steps of 2^9 input units, 9 bits of interpolation.
func qactLogisticLUT(mul int32, shift int, x int16) int16 {
	in := qactScaleIn(mul, shift, x)
	abs := qactAbs32(in)
	uh := abs >> 9
	var r uint32
	if uh >= 255 {
		r = 0x7FFF << 10
	} else {
		ua, ub := uint32(qactSigmoidTable[uh]), uint32(qactSigmoidTable[uh+1])
		r = ua<<9 + (abs&0x1ff)*(ub-ua)
	}
	if in >= 0 {
		r += 1 << 9
	} else {
		r = 1<<25 - r + 1<<9 - 1
	}
	return int16(r >> 10)
}

// qactTanhLUT is reference_integer_ops::Tanh for one int16 value, from
// tanh(x) = 2*sigmoid(2x) - 1: table steps of 2^8 input units.
func qactTanhLUT(mul int32, shift int, x int16) int16 {
	in := qactScaleIn(mul, shift, x)
	abs := qactAbs32(in)
	uh := abs >> 8
	var r int32
	if uh >= 255 {
		r = 0xFFFF << 8
	} else {
		ua, ub := uint32(qactSigmoidTable[uh]), uint32(qactSigmoidTable[uh+1])
		r = int32(ua<<8 + (abs&0xFF)*(ub-ua))
	}
	if in >= 0 {
		r = r - 1<<23 + 1<<7
	} else {
		r = -r + 1<<23 + 1<<7 - 1
	}
	return int16(r >> 8)
}

// qactPrepareAbs16 is elementwise.cc GenericPrepare for int16 ABS: with
// quantization (version 3) zero points 0 and a rescale when the scales
// differ; without (version 4) a plain absolute value.
func qactPrepareAbs16(in, out *core.Tensor) (qactAct16, error) {
	a := qactAct16{kind: qaAbs}
	if out.Type() != core.Int16 {
		return a, fmt.Errorf("output type %s differs from the input type INT16", out.Type())
	}
	if !in.Quantization().IsQuantized() {
		a.plain = true
		return a, nil
	}
	si, zi, err := ewQuantScalar(in)
	if err != nil {
		return a, err
	}
	so, zo, err := ewQuantScalar(out)
	if err != nil {
		return a, err
	}
	if zi != 0 || zo != 0 {
		return a, fmt.Errorf("INT16 zero points must be 0 (input %d, output %d)", zi, zo)
	}
	if si != so {
		a.rescale = true
		a.mul, a.shift = quantizeMultiplier(float64(si / so))
	}
	return a, nil
}

// qactAbs16 is AbsEvalQuantized<int16_t> and AbsInt16EvalImpl (whose
// cast back to int16 turns 32768 into -32768).
func qactAbs16(a *qactAct16, x, y []int16) {
	for i, v := range x {
		val := int32(v)
		if val < 0 {
			val = -val
		}
		if a.plain {
			y[i] = int16(val)
			continue
		}
		if a.rescale {
			val = multiplyByQuantizedMultiplier(val, a.mul, a.shift)
		}
		y[i] = int16(min(max(val, -32768), 32767))
	}
}
