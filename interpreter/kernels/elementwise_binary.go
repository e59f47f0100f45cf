package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// ewOp is the arithmetic of a broadcasting two-input elementwise op other
// than ADD, SUB and MUL (binary.go).
type ewOp uint8

const (
	ewDiv ewOp = iota
	ewSquaredDifference
	ewPow
	ewMaximum
	ewMinimum
	ewPrelu
	ewEqual
	ewNotEqual
	ewLess
	ewLessEqual
	ewGreater
	ewGreaterEqual
	ewLogicalAnd
	ewLogicalOr
)

// ewBinaryKernel implements DIV, SQUARED_DIFFERENCE, POW, MAXIMUM, MINIMUM,
// PRELU, the comparisons and LOGICAL_AND/OR with NumPy-style broadcasting,
// as TFLite's div.cc, squared_difference.cc, pow.cc, maximum_minimum.cc,
// prelu.cc, comparisons.cc and logical.cc do for their non-quantized types.
type ewBinaryKernel struct {
	op  ewOp
	act tflite.ActivationFunctionType
	// maxRank is the highest output rank TFLite's broadcasting kernel of
	// the op takes (its Broadcast...4DSlow or 5D variants).
	maxRank int
	typ     core.TensorType
	ready   bool
	bc      broadcast
	// f32lo, f32hi and i32lo, i32hi are DIV's activation clamp.
	f32lo, f32hi float32
	i32lo, i32hi int32
	// q holds the quantized arithmetic (elementwise_binary_quant.go);
	// quant is set when it runs.
	q     ewQBin
	quant bool
	// fast is PRELU's float32 fast path plan (fast_binary.go); reference
	// selects the reference loop instead, for tests.
	fast      binFastKind
	reference bool
	// th splits the fast path over the worker pool (th_split.go).
	th preluTask
}

func ewFactory(op ewOp, maxRank int) core.KernelFactory {
	return func(n *core.Node) (core.Kernel, error) {
		k := &ewBinaryKernel{op: op, maxRank: maxRank}
		if op == ewDiv {
			var o tflite.DivOptions
			n.BuiltinOptions(tflite.BuiltinOptionsDivOptions, &o)
			k.act = o.FusedActivationFunction()
		}
		return k, nil
	}
}

func isComparison(op ewOp) bool { return op >= ewEqual && op <= ewGreaterEqual }

// ewTypeOK reports whether op runs on input type typ in this kernel.
func ewTypeOK(op ewOp, typ core.TensorType) bool {
	switch op {
	case ewDiv, ewSquaredDifference, ewPow:
		return typ == core.Float32 || typ == core.Int32
	case ewMaximum, ewMinimum:
		// TFLite compares the stored values, whatever their quantization.
		switch typ {
		case core.Float32, core.Int32, core.Int64, core.Int8, core.Uint8, core.Int16:
			return true
		}
	case ewPrelu:
		return typ == core.Float32
	case ewEqual, ewNotEqual:
		return typ == core.Float32 || typ == core.Int32 || typ == core.Int64 || typ == core.Bool
	case ewLess, ewLessEqual, ewGreater, ewGreaterEqual:
		return typ == core.Float32 || typ == core.Int32 || typ == core.Int64
	case ewLogicalAnd, ewLogicalOr:
		return typ == core.Bool
	}
	return false
}

// Prepare implements core.Kernel.
func (k *ewBinaryKernel) Prepare(n *core.Node) error {
	k.ready = false
	if err := checkCounts(n, 2, 2, 1); err != nil {
		return err
	}
	in1, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	in2, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	typ := in1.Type()
	if in2.Type() != typ {
		return n.Errorf("input types differ: %s and %s", typ, in2.Type())
	}
	k.quant = false
	if ewQuantOK(k.op, typ) {
		if err := k.prepareQuant(in1, in2, out); err != nil {
			return n.Errorf("%v", err)
		}
		k.quant = true
	} else if !ewTypeOK(k.op, typ) {
		if isQuantizedInt(typ) {
			return n.Errorf("%s inputs (quantized) are not supported yet", typ)
		}
		return n.Errorf("%s inputs are not supported", typ)
	}
	wantOut := typ
	if isComparison(k.op) {
		wantOut = core.Bool
	}
	if out.Type() != wantOut {
		return n.Errorf("output type %s, want %s", out.Type(), wantOut)
	}
	if k.op == ewDiv {
		// As in binary.go: TANH and SIGN_BIT are no clamp in TFLite.
		act := k.act
		if act == tflite.ActivationFunctionTypeTANH || act == tflite.ActivationFunctionTypeSIGN_BIT {
			act = tflite.ActivationFunctionTypeNONE
		}
		if typ == core.Float32 {
			k.f32lo, k.f32hi, err = activationRange[float32](act)
		} else {
			k.i32lo, k.i32hi, err = activationRange[int32](act)
		}
		if err != nil {
			return n.Errorf("%v", err)
		}
	}
	shape, err := k.bc.init(in1.Shape(), in2.Shape())
	if err != nil {
		return n.Errorf("%v", err)
	}
	if k.op == ewPrelu && !sameDims(shape, in1.Shape()) {
		// prelu.cc: after broadcasting, the output must keep the input's
		// shape (alpha only repeats along the input's dimensions).
		return n.Errorf("alpha %s must broadcast to the input shape %s", core.FormatShape(in2.Shape()), core.FormatShape(in1.Shape()))
	}
	if !k.bc.same && len(shape) > k.maxRank {
		return n.Errorf("broadcasting %s and %s: TFLite's kernel takes at most rank %d", core.FormatShape(in1.Shape()), core.FormatShape(in2.Shape()), k.maxRank)
	}
	k.typ = typ
	k.fast = binFastNone
	if k.op == ewPrelu {
		k.fast = binFastPlan(&k.bc, in1.Shape(), in2.Shape())
	}
	out.SetShape(shape)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *ewBinaryKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in1, in2, out := n.Inputs[0], n.Inputs[1], n.Outputs[0]
	if k.quant {
		return k.evalQuant(n, in1, in2, out)
	}
	if isComparison(k.op) {
		o := out.Bytes()
		switch k.typ {
		case core.Float32:
			return evalBroadcast(n, k, &k.bc, in1.Float32s(), in2.Float32s(), o, compareRow[float32])
		case core.Int32:
			return evalBroadcast(n, k, &k.bc, in1.Int32s(), in2.Int32s(), o, compareRow[int32])
		case core.Int64:
			return evalBroadcast(n, k, &k.bc, in1.Int64s(), in2.Int64s(), o, compareRow[int64])
		case core.Bool:
			return evalBroadcast(n, k, &k.bc, in1.Bytes(), in2.Bytes(), o, boolCompareRow)
		}
		return n.Errorf("kernel was not prepared")
	}
	switch k.typ {
	case core.Float32:
		if !k.reference && (k.fast == binFastSame || k.fast == binFastRepeatB) {
			a, b, y := in1.Float32s(), in2.Float32s(), out.Float32s()
			if !k.bc.fits(len(a), len(b), len(y)) {
				return n.Errorf("tensor storage does not match the prepared shapes")
			}
			k.preluRunF32(n, a[:k.bc.n1], b[:k.bc.n2], y[:k.bc.n])
			return nil
		}
		return evalBroadcast(n, k, &k.bc, in1.Float32s(), in2.Float32s(), out.Float32s(), floatRow)
	case core.Int32:
		if k.op == ewDiv && hasZero(in2.Int32s()[:min(k.bc.n2, len(in2.Int32s()))]) {
			return n.Errorf("integer division by zero")
		}
		if k.op == ewPow && hasNegative(in2.Int32s()[:min(k.bc.n2, len(in2.Int32s()))]) {
			return n.Errorf("integer to negative integer power is not supported")
		}
		return evalBroadcast(n, k, &k.bc, in1.Int32s(), in2.Int32s(), out.Int32s(), int32Row)
	case core.Int64:
		return evalBroadcast(n, k, &k.bc, in1.Int64s(), in2.Int64s(), out.Int64s(), minMaxRow[int64])
	case core.Int16:
		return evalBroadcast(n, k, &k.bc, in1.Int16s(), in2.Int16s(), out.Int16s(), minMaxRow[int16])
	case core.Int8:
		return evalBroadcast(n, k, &k.bc, in1.Int8s(), in2.Int8s(), out.Int8s(), minMaxRow[int8])
	case core.Uint8:
		return evalBroadcast(n, k, &k.bc, in1.Uint8s(), in2.Uint8s(), out.Uint8s(), minMaxRow[uint8])
	case core.Bool:
		return evalBroadcast(n, k, &k.bc, in1.Bytes(), in2.Bytes(), out.Bytes(), logicalRow)
	}
	return n.Errorf("kernel was not prepared")
}

func hasZero(v []int32) bool {
	for _, x := range v {
		if x == 0 {
			return true
		}
	}
	return false
}

func hasNegative(v []int32) bool {
	for _, x := range v {
		if x < 0 {
			return true
		}
	}
	return false
}

// ewRow computes one output row: out[i] = a[i*sa] op b[i*sb].
type ewRow[T, O any] func(k *ewBinaryKernel, a []T, sa int, b []T, sb int, out []O)

// evalBroadcast walks the broadcast plan row by row.
func evalBroadcast[T, O any](n *core.Node, k *ewBinaryKernel, bc *broadcast, a, b []T, out []O, row ewRow[T, O]) error {
	if !bc.fits(len(a), len(b), len(out)) {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if bc.n == 0 {
		return nil
	}
	if bc.same {
		row(k, a, 1, b, 1, out[:bc.n])
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
						row(k, a[a4:], s1[5], b[b4:], s2[5], out[o:o+inner])
						o += inner
					}
				}
			}
		}
	}
	return nil
}

func floatRow(k *ewBinaryKernel, a []float32, sa int, b []float32, sb int, out []float32) {
	switch k.op {
	case ewDiv:
		lo, hi := k.f32lo, k.f32hi
		for i := range out {
			out[i] = clamp(a[i*sa]/b[i*sb], lo, hi)
		}
	case ewSquaredDifference:
		for i := range out {
			d := a[i*sa] - b[i*sb]
			out[i] = d * d
		}
	case ewPow:
		for i := range out {
			out[i] = float32(math.Pow(float64(a[i*sa]), float64(b[i*sb])))
		}
	case ewMaximum:
		for i := range out {
			x, y := a[i*sa], b[i*sb]
			if x > y {
				out[i] = x
			} else {
				out[i] = y
			}
		}
	case ewMinimum:
		for i := range out {
			x, y := a[i*sa], b[i*sb]
			if x < y {
				out[i] = x
			} else {
				out[i] = y
			}
		}
	case ewPrelu:
		for i := range out {
			x := a[i*sa]
			if x >= 0 {
				out[i] = x
			} else {
				out[i] = x * b[i*sb]
			}
		}
	}
}

func int32Row(k *ewBinaryKernel, a []int32, sa int, b []int32, sb int, out []int32) {
	switch k.op {
	case ewDiv:
		// Eval has ruled out zero divisors; Go's division truncates toward
		// zero like C++'s.
		lo, hi := k.i32lo, k.i32hi
		for i := range out {
			out[i] = clamp(a[i*sa]/b[i*sb], lo, hi)
		}
	case ewSquaredDifference:
		for i := range out {
			d := a[i*sa] - b[i*sb]
			out[i] = d * d
		}
	case ewPow:
		for i := range out {
			out[i] = intPow(a[i*sa], b[i*sb])
		}
	default:
		minMaxRow(k, a, sa, b, sb, out)
	}
}

// intPow is TFLite's IntegerPow: exponentiation by squaring with
// wrap-around (the exponent is known to be non-negative).
func intPow(base, exp int32) int32 {
	result := int32(1)
	for exp > 0 {
		if exp&1 != 0 {
			result *= base
		}
		base *= base
		exp >>= 1
	}
	return result
}

func minMaxRow[T int8 | uint8 | int16 | int32 | int64](k *ewBinaryKernel, a []T, sa int, b []T, sb int, out []T) {
	if k.op == ewMaximum {
		for i := range out {
			out[i] = max(a[i*sa], b[i*sb])
		}
		return
	}
	for i := range out {
		out[i] = min(a[i*sa], b[i*sb])
	}
}

func b2u(v bool) uint8 {
	if v {
		return 1
	}
	return 0
}

func compareRow[T float32 | int32 | int64](k *ewBinaryKernel, a []T, sa int, b []T, sb int, out []uint8) {
	switch k.op {
	case ewEqual:
		for i := range out {
			out[i] = b2u(a[i*sa] == b[i*sb])
		}
	case ewNotEqual:
		for i := range out {
			out[i] = b2u(a[i*sa] != b[i*sb])
		}
	case ewLess:
		for i := range out {
			out[i] = b2u(a[i*sa] < b[i*sb])
		}
	case ewLessEqual:
		for i := range out {
			out[i] = b2u(a[i*sa] <= b[i*sb])
		}
	case ewGreater:
		for i := range out {
			out[i] = b2u(a[i*sa] > b[i*sb])
		}
	case ewGreaterEqual:
		for i := range out {
			out[i] = b2u(a[i*sa] >= b[i*sb])
		}
	}
}

// boolCompareRow is EQUAL and NOT_EQUAL on bools (any non-zero byte is
// true).
func boolCompareRow(k *ewBinaryKernel, a []uint8, sa int, b []uint8, sb int, out []uint8) {
	eq := k.op == ewEqual
	for i := range out {
		out[i] = b2u(((a[i*sa] != 0) == (b[i*sb] != 0)) == eq)
	}
}

func logicalRow(k *ewBinaryKernel, a []uint8, sa int, b []uint8, sb int, out []uint8) {
	if k.op == ewLogicalAnd {
		for i := range out {
			out[i] = b2u(a[i*sa] != 0 && b[i*sb] != 0)
		}
		return
	}
	for i := range out {
		out[i] = b2u(a[i*sa] != 0 || b[i*sb] != 0)
	}
}
