package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels/internal/vec"
	"github.com/edgelite/edgelite/schema/tflite"
)

// unaryOp is the arithmetic of a one-input elementwise op.
type unaryOp uint8

const (
	uLogistic unaryOp = iota
	uTanh
	uRelu
	uRelu6
	uReluN1To1
	uLeakyRelu
	uHardSwish
	uElu
	uGelu
	uExp
	uLog
	uSqrt
	uRsqrt
	uSquare
	uAbs
	uNeg
	uFloor
	uCeil
	uRound
	uSin
	uCos
	uLogicalNot
	uRelu0To1
)

// unaryKernel implements the one-input elementwise ops (activations and
// math functions) for float32, and ABS/NEG for int32/int64 and LOGICAL_NOT
// for bool, as TFLite's activations.cc, elementwise.cc, exp.cc, neg.cc,
// floor.cc, ceil.cc, round.cc, gelu.cc and logical.cc compute them.
type unaryKernel struct {
	op    unaryOp
	alpha float32 // LEAKY_RELU
	// approximate selects GELU's tanh form.
	approximate bool
	typ         core.TensorType
	ready       bool
	// qlut is the 8-bit lookup table of a quantized op (unary_quant.go).
	qlut [256]uint8
	// qr is quantized RELU-family arithmetic (unary_quant.go).
	qr ewQRelu
	// qa is int16 LOGISTIC/TANH/ABS and the RSQRT input check (qact_*.go).
	qa qactAct16
	// reference selects the reference loops over the vectorised ones
	// (fast_unary.go), for tests.
	reference bool
	// th splits the vector loop over the worker pool (th_split.go).
	th unaryTask
}

func unaryFactory(op unaryOp) core.KernelFactory {
	return func(n *core.Node) (core.Kernel, error) {
		k := &unaryKernel{op: op}
		switch op {
		case uLeakyRelu:
			var o tflite.LeakyReluOptions
			n.BuiltinOptions(tflite.BuiltinOptionsLeakyReluOptions, &o)
			k.alpha = o.Alpha()
		case uGelu:
			var o tflite.GeluOptions
			n.BuiltinOptions(tflite.BuiltinOptionsGeluOptions, &o)
			k.approximate = o.Approximate()
		}
		return k, nil
	}
}

// unaryTypeOK reports whether op runs on typ in this kernel.
func unaryTypeOK(op unaryOp, typ core.TensorType) bool {
	switch op {
	case uLogicalNot:
		return typ == core.Bool
	case uAbs:
		return typ == core.Float32 || typ == core.Int32
	case uNeg:
		return typ == core.Float32 || typ == core.Int32 || typ == core.Int64
	}
	return typ == core.Float32
}

// Prepare implements core.Kernel.
func (k *unaryKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 1, 1, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	typ := in.Type()
	if ((typ == core.Uint8 || typ == core.Int8) && ewUnaryQuantOK(k.op)) || (typ == core.Int16 && ewUnaryQuant16OK(k.op)) || qactUnaryOK(k.op, typ) {
		if out.Type() != typ {
			return n.Errorf("output type %s differs from the input type %s", out.Type(), typ)
		}
		if err := ewUnaryQuantLUT(k, in, out); err != nil {
			return n.Errorf("%v", err)
		}
		k.typ = typ
		out.SetShape(in.Shape())
		k.ready = true
		return nil
	}
	if !unaryTypeOK(k.op, typ) {
		if isQuantizedInt(typ) {
			return n.Errorf("%s inputs (quantized) are not supported yet", typ)
		}
		return n.Errorf("%s inputs are not supported", typ)
	}
	if out.Type() != typ {
		return n.Errorf("output type %s differs from the input type %s", out.Type(), typ)
	}
	k.typ = typ
	out.SetShape(in.Shape())
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *unaryKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in, out := n.Inputs[0], n.Outputs[0]
	cnt := in.NumElements()
	switch k.typ {
	case core.Float32:
		x, y := in.Float32s(), out.Float32s()
		if len(x) < cnt || len(y) < cnt {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		k.evalFloat(n, x[:cnt], y[:cnt])
	case core.Int16:
		x, y := in.Int16s(), out.Int16s()
		if len(x) < cnt || len(y) < cnt {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		if k.qa.kind != qaNone {
			qactAct16Eval(&k.qa, x[:cnt], y[:cnt])
		} else {
			ewQReluInt16(&k.qr, x[:cnt], y[:cnt])
		}
	case core.Uint8, core.Int8:
		x, y := in.Bytes(), out.Bytes()
		if len(x) < cnt || len(y) < cnt {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		if k.op == uRsqrt {
			if err := qactRsqrtCheck(&k.qa, x[:cnt]); err != nil {
				return n.Errorf("%v", err)
			}
		}
		for i, v := range x[:cnt] {
			y[i] = k.qlut[v]
		}
	case core.Int32:
		x, y := in.Int32s(), out.Int32s()
		if len(x) < cnt || len(y) < cnt {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		unaryInt(k.op, x[:cnt], y[:cnt])
	case core.Int64:
		x, y := in.Int64s(), out.Int64s()
		if len(x) < cnt || len(y) < cnt {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		unaryInt(k.op, x[:cnt], y[:cnt])
	case core.Bool:
		x, y := in.Bytes(), out.Bytes()
		if len(x) < cnt || len(y) < cnt {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
		for i := range y[:cnt] {
			if x[i] != 0 {
				y[i] = 0
			} else {
				y[i] = 1
			}
		}
	default:
		return n.Errorf("kernel was not prepared")
	}
	return nil
}

// unaryInt is ABS and NEG on integers (two's complement wrap-around for
// the lowest value, as the C++ kernels give in practice).
func unaryInt[T ~int32 | ~int64](op unaryOp, x, y []T) {
	switch op {
	case uAbs:
		for i, v := range x {
			if v < 0 {
				v = -v
			}
			y[i] = v
		}
	case uNeg:
		for i, v := range x {
			y[i] = -v
		}
	}
}

// f32 runs a float64 function of the math package on a float32 and rounds
// back: within one rounding of the float std:: functions TFLite calls.
func f32(f func(float64) float64, v float32) float32 { return float32(f(float64(v))) }

// Constants of TFLite's float LOGISTIC (reference_ops::Logistic): above
// the upper cutoff the result is 1, below the lower one exp(x).
const (
	logisticCutoffUpper = float32(16.619047164916992188)
	logisticCutoffLower = float32(-9)
)

// sqrt(2/pi) as TFLite's gelu.h computes it (M_2_SQRTPI * M_SQRT1_2).
var geluSqrt2dPi = float32(2 / math.SqrtPi * (1 / math.Sqrt2))

func (k *unaryKernel) evalFloat(n *core.Node, x, y []float32) {
	// Without vector loops the reference ones are as fast.
	if !k.reference && vec.Accelerated() && k.unaryRunF32(n, x, y) {
		return
	}
	switch k.op {
	case uLogistic:
		for i, v := range x {
			switch {
			case v > logisticCutoffUpper:
				y[i] = 1
			case v < logisticCutoffLower:
				y[i] = f32(math.Exp, v)
			default:
				y[i] = 1 / (1 + f32(math.Exp, -v))
			}
		}
	case uTanh:
		for i, v := range x {
			y[i] = f32(math.Tanh, v)
		}
	case uRelu:
		for i, v := range x {
			y[i] = max(0, v)
		}
	case uRelu6:
		for i, v := range x {
			y[i] = min(6, max(0, v))
		}
	case uReluN1To1:
		for i, v := range x {
			y[i] = min(1, max(-1, v))
		}
	case uRelu0To1:
		for i, v := range x {
			y[i] = min(1, max(0, v))
		}
	case uLeakyRelu:
		a := k.alpha
		for i, v := range x {
			if v > 0 {
				y[i] = v
			} else {
				y[i] = v * a
			}
		}
	case uHardSwish:
		for i, v := range x {
			y[i] = v * min(6, max(0, v+3)) / 6
		}
	case uElu:
		for i, v := range x {
			if v < 0 {
				y[i] = f32(math.Expm1, v)
			} else {
				y[i] = v
			}
		}
	case uGelu:
		if k.approximate {
			for i, v := range x {
				y[i] = 0.5 * v * (1 + f32(math.Tanh, geluSqrt2dPi*(v+0.044715*v*v*v)))
			}
		} else {
			c := float32(-1 / math.Sqrt2)
			for i, v := range x {
				y[i] = 0.5 * v * f32(math.Erfc, v*c)
			}
		}
	case uExp:
		for i, v := range x {
			y[i] = f32(math.Exp, v)
		}
	case uLog:
		for i, v := range x {
			y[i] = f32(math.Log, v)
		}
	case uSqrt:
		for i, v := range x {
			y[i] = f32(math.Sqrt, v)
		}
	case uRsqrt:
		for i, v := range x {
			y[i] = 1 / f32(math.Sqrt, v)
		}
	case uSquare:
		for i, v := range x {
			y[i] = v * v
		}
	case uAbs:
		for i, v := range x {
			y[i] = math.Float32frombits(math.Float32bits(v) &^ (1 << 31))
		}
	case uNeg:
		for i, v := range x {
			y[i] = -v
		}
	case uFloor:
		for i, v := range x {
			y[i] = f32(math.Floor, v)
		}
	case uCeil:
		for i, v := range x {
			y[i] = f32(math.Ceil, v)
		}
	case uRound:
		// TFLite's RoundToNearest: halves go to the even neighbour.
		for i, v := range x {
			y[i] = f32(math.RoundToEven, v)
		}
	case uSin:
		for i, v := range x {
			y[i] = f32(math.Sin, v)
		}
	case uCos:
		for i, v := range x {
			y[i] = f32(math.Cos, v)
		}
	}
}
