package kernels

import (
	"fmt"
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// ewUnaryQuantOK reports the one-input ops that run on uint8 and int8 here.
//
// Every such op is elementwise on 256 possible inputs, so Prepare
// evaluates TFLite's own per-element arithmetic for each of them into a
// lookup table and Eval only looks values up: bit-identical with running
// that arithmetic per element.
func ewUnaryQuantOK(op unaryOp) bool {
	switch op {
	case uLogistic, uTanh, uRelu, uRelu6, uReluN1To1, uLeakyRelu, uHardSwish, uRelu0To1:
		return true
	}
	return false
}

// ewUnaryQuant16OK reports the one-input ops that run on int16 here.
func ewUnaryQuant16OK(op unaryOp) bool {
	return op == uRelu || op == uRelu6 || op == uLeakyRelu || op == uLogistic || op == uTanh
}

// ewUnaryQuantLUT fills k.qlut with TFLite's result for every input value
// (int16: sets up the per-element arithmetic only).
func ewUnaryQuantLUT(k *unaryKernel, in, out *core.Tensor) error {
	k.qa = qactAct16{}
	if k.op == uAbs && in.Type() == core.Int16 {
		// ABS takes int16 with or without quantization.
		var err error
		k.qa, err = qactPrepareAbs16(in, out)
		return err
	}
	si, zi, err := ewQuantScalar(in)
	if err != nil {
		return err
	}
	so, zo, err := ewQuantScalar(out)
	if err != nil {
		return err
	}
	typ := in.Type()
	lo64, hi64 := intRange(typ)
	lo, hi := int32(lo64), int32(hi64)
	if typ == core.Int16 {
		if k.op == uLogistic || k.op == uTanh {
			k.qa, err = qactPrepareAct16(k.op == uTanh, in, out)
			return err
		}
		k.qr = ewNewQRelu(k.op, k.alpha, si, zi, so, zo, lo, hi)
		return nil
	}
	var f func(x int32) int32
	switch k.op {
	case uLogistic, uTanh:
		// activations.cc (kGenericOptimized) PopulateLookupTable: float32
		// dequantize, transform, round(t / output_scale) + zero point.
		if k.op == uLogistic {
			wantZP := int32(0)
			if typ == core.Int8 {
				wantZP = -128
			}
			if so != 1.0/256 || zo != wantZP {
				return fmt.Errorf("%s LOGISTIC output needs scale 1/256 and zero point %d, got %g and %d", typ, wantZP, so, zo)
			}
		}
		inv := 1 / so
		logistic := k.op == uLogistic
		f = func(x int32) int32 {
			d := float32(si * float32(x-zi))
			var t float32
			if logistic {
				t = 1 / (1 + float32(math.Exp(float64(-d))))
			} else {
				t = float32(math.Tanh(float64(d)))
			}
			r := float32(math.Round(float64(float32(t * inv))))
			return int32(r + float32(zo))
		}
	case uRelu, uRelu6, uReluN1To1, uLeakyRelu, uRelu0To1:
		k.qr = ewNewQRelu(k.op, k.alpha, si, zi, so, zo, lo, hi)
		f = k.qr.eval
	case uElu, uGelu:
		f = qactLUTTransform(k.op, k.approximate, si, zi, so, zo)
	case uAbs:
		f = qactAbs8(si, zi, so, zo)
	case uRsqrt:
		f = qactRsqrt8(si, zi, so, zo)
		k.qa.minIn = zi
	case uHardSwish:
		hs, err := ewNewHardSwish(si, zi, so, zo)
		if err != nil {
			return err
		}
		f = hs.eval
	default:
		return fmt.Errorf("quantized %d is not supported", k.op)
	}
	for x := lo; x <= hi; x++ {
		v := min(max(f(x), lo), hi)
		k.qlut[uint8(x)] = uint8(v)
	}
	return nil
}

// ewHardSwish holds TFLite's HardSwishParams.
type ewHardSwish struct {
	inZP, outZP        int32
	outMul, reluishMul int16
	outExp, reluishExp int
}

// ewDownScaleMultiplier is TFLite's DownScaleInt32ToInt16Multiplier.
func ewDownScaleMultiplier(m int32) int16 {
	const rounding = 1 << 15
	if m >= math.MaxInt32-rounding {
		return math.MaxInt16
	}
	return int16((m + rounding) >> 16)
}

// ewNewHardSwish is activations.cc HardSwishPrepare (float32 scales).
func ewNewHardSwish(si float32, zi int32, so float32, zo int32) (*ewHardSwish, error) {
	h := &ewHardSwish{inZP: zi, outZP: zo}
	hires := float32(1.0/128.0) * si
	reluishScale := float32(3.0 / 32768.0)
	m, e := quantizeMultiplier(float64(hires / so))
	h.outMul, h.outExp = ewDownScaleMultiplier(m), e
	if e > 0 {
		return nil, fmt.Errorf("HARD_SWISH: input/output scale ratio %g needs a left shift, which TFLite rejects", si/so)
	}
	m, e = quantizeMultiplier(float64(hires / reluishScale))
	h.reluishMul, h.reluishExp = ewDownScaleMultiplier(m), e
	return h, nil
}

// ewSRDHM16 is gemmlowp's int16 SaturatingRoundingDoublingHighMul.
func ewSRDHM16(a, b int16) int16 {
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

// ewSDHM16 is TFLite's SaturatingDoublingHighMul (int16, truncating).
func ewSDHM16(a, b int16) int16 {
	if a == b && a == math.MinInt16 {
		return math.MaxInt16
	}
	return int16(int32(a) * int32(b) / (1 << 15))
}

// ewSatLeftShift16 is TFLite's SaturatingLeftShift on int16.
func ewSatLeftShift16(v int16, amount int) int16 {
	r := int32(v) * (int32(1) << amount)
	return int16(min(max(r, math.MinInt16), math.MaxInt16))
}

// eval is reference_ops::HardSwish for one 8-bit value.
func (h *ewHardSwish) eval(x int32) int32 {
	in := int16(x - h.inZP)
	hires := in * (1 << 7)
	preshift := ewSRDHM16(hires, h.outMul)
	r := hires
	if h.reluishExp > 0 {
		r = ewSatLeftShift16(r, h.reluishExp-1)
	}
	r = ewSRDHM16(r, h.reluishMul)
	if h.reluishExp > 0 {
		r = ewSatLeftShift16(r, 1)
	}
	if h.reluishExp < 0 {
		r = int16(roundingDivideByPOT(int32(r), -h.reluishExp))
	}
	r = int16((int32(r) + 1<<15) >> 1)
	pre := ewSDHM16(r, preshift)
	o := int16(roundingDivideByPOT(int32(pre), -h.outExp))
	o += int16(h.outZP)
	return int32(o)
}

// ewQRelu is quantized RELU, RELU6, RELU_N1_TO_1 (activations.cc
// ReluPrepare/QuantizedReluX, optimized_ops::ReluX) and LEAKY_RELU
// (LeakyReluPrepare with float32 scale products,
// reference_ops::QuantizeLeakyRelu).
type ewQRelu struct {
	leaky      bool
	zi, zo     int32
	mulI, mulA int32
	shI, shA   int
	qlo, qhi   int32
}

func ewNewQRelu(op unaryOp, alpha, si float32, zi int32, so float32, zo, lo, hi int32) ewQRelu {
	r := ewQRelu{leaky: op == uLeakyRelu, zi: zi, zo: zo, qlo: lo, qhi: hi}
	r.mulI, r.shI = quantizeMultiplier(float64(si / so))
	quant := func(v float32) int32 { return zo + int32(math.Round(float64(v/so))) }
	switch op {
	case uRelu:
		r.qlo = max(lo, quant(0))
	case uRelu6:
		r.qlo, r.qhi = max(lo, quant(0)), min(hi, quant(6))
	case uReluN1To1:
		r.qlo, r.qhi = max(lo, quant(-1)), min(hi, quant(1))
	case uRelu0To1:
		r.qlo, r.qhi = max(lo, quant(0)), min(hi, quant(1))
	case uLeakyRelu:
		r.mulA, r.shA = quantizeMultiplier(float64(si * alpha / so))
	}
	return r
}

func (r *ewQRelu) eval(x int32) int32 {
	v := x - r.zi
	if r.leaky && v < 0 {
		v = r.zo + multiplyByQuantizedMultiplier(v, r.mulA, r.shA)
	} else {
		v = r.zo + multiplyByQuantizedMultiplier(v, r.mulI, r.shI)
	}
	return min(max(v, r.qlo), r.qhi)
}

// ewQReluInt16 runs ewQRelu on int16 tensors, element by element.
func ewQReluInt16(r *ewQRelu, x, y []int16) {
	for i, v := range x {
		y[i] = int16(r.eval(int32(v)))
	}
}
