package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// binOp is the arithmetic of ADD, SUB and MUL.
type binOp uint8

const (
	opAdd binOp = iota
	opSub
	opMul
)

// binaryKernel implements ADD, SUB and MUL for float32, int32 and int64
// with NumPy-style broadcasting up to rank 6 and a fused activation clamp,
// as TFLite's add.cc, sub.cc and mul.cc do for their non-quantized types.
type binaryKernel struct {
	op  binOp
	act tflite.ActivationFunctionType
	typ core.TensorType
	// ready is set once Prepare succeeded.
	ready bool
	bc    broadcast
	// The activation clamp for the prepared type.
	f32lo, f32hi float32
	i32lo, i32hi int32
	i64lo, i64hi int64
	// pot16 is the AddOptions/SubOptions pot_scale_int16 flag.
	pot16 bool
	// q holds the quantized arithmetic's parameters (binary_quant.go).
	q ewQBinary
	// fast is the float32 fast path's plan (fast_binary.go); reference
	// selects the reference loop instead, for tests.
	fast      binFastKind
	reference bool
	// th splits the fast path over the worker pool (th_split.go).
	th binTask
}

func newAdd(n *core.Node) (core.Kernel, error) {
	var o tflite.AddOptions
	// Without options TFLite's pot_scale_int16 is false (zeroed params).
	has := n.BuiltinOptions(tflite.BuiltinOptionsAddOptions, &o)
	return &binaryKernel{op: opAdd, act: o.FusedActivationFunction(), pot16: has && o.PotScaleInt16()}, nil
}

func newSub(n *core.Node) (core.Kernel, error) {
	var o tflite.SubOptions
	// Without options TFLite's pot_scale_int16 is false (zeroed params).
	has := n.BuiltinOptions(tflite.BuiltinOptionsSubOptions, &o)
	return &binaryKernel{op: opSub, act: o.FusedActivationFunction(), pot16: has && o.PotScaleInt16()}, nil
}

func newMul(n *core.Node) (core.Kernel, error) {
	var o tflite.MulOptions
	n.BuiltinOptions(tflite.BuiltinOptionsMulOptions, &o)
	return &binaryKernel{op: opMul, act: o.FusedActivationFunction()}, nil
}

// Prepare implements core.Kernel.
func (k *binaryKernel) Prepare(n *core.Node) error {
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
	if out.Type() != typ {
		return n.Errorf("output type %s differs from the input type %s", out.Type(), typ)
	}
	// TFLite's arithmetic kernels run TANH and SIGN_BIT as no activation
	// (CalculateActivationRange knows only the clamps; checked on the
	// oracle: ADD+TANH of 1+2 gives 3). Run what TFLite runs.
	act := k.act
	if act == tflite.ActivationFunctionTypeTANH || act == tflite.ActivationFunctionTypeSIGN_BIT {
		act = tflite.ActivationFunctionTypeNONE
	}
	switch typ {
	case core.Float32:
		k.f32lo, k.f32hi, err = activationRange[float32](act)
	case core.Int32:
		k.i32lo, k.i32hi, err = activationRange[int32](act)
	case core.Int64:
		k.i64lo, k.i64hi, err = activationRange[int64](act)
	case core.Uint8, core.Int8, core.Int16:
		err = k.prepareQuant(in1, in2, out)
	default:
		return n.Errorf("%s inputs are not supported", typ)
	}
	if err != nil {
		return n.Errorf("%v", err)
	}
	k.typ = typ
	shape, err := k.bc.init(in1.Shape(), in2.Shape())
	if err != nil {
		return n.Errorf("%v", err)
	}
	k.fast = binFastPlan(&k.bc, in1.Shape(), in2.Shape())
	out.SetShape(shape)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *binaryKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	in1, in2, out := n.Inputs[0], n.Inputs[1], n.Outputs[0]
	switch k.typ {
	case core.Float32:
		a, b, y := in1.Float32s(), in2.Float32s(), out.Float32s()
		if k.fast != binFastNone && !k.reference {
			if !k.bc.fits(len(a), len(b), len(y)) {
				return n.Errorf("tensor storage does not match the prepared shapes")
			}
			k.binRunF32(n, a[:k.bc.n1], b[:k.bc.n2], y[:k.bc.n])
			return nil
		}
		return evalBinary(n, k.op, &k.bc, a, b, y, k.f32lo, k.f32hi)
	case core.Int32:
		return evalBinary(n, k.op, &k.bc, in1.Int32s(), in2.Int32s(), out.Int32s(), k.i32lo, k.i32hi)
	case core.Int64:
		return evalBinary(n, k.op, &k.bc, in1.Int64s(), in2.Int64s(), out.Int64s(), k.i64lo, k.i64hi)
	case core.Uint8:
		return ewEvalQBinary(n, &k.q, &k.bc, in1.Uint8s(), in2.Uint8s(), out.Uint8s())
	case core.Int8:
		return ewEvalQBinary(n, &k.q, &k.bc, in1.Int8s(), in2.Int8s(), out.Int8s())
	case core.Int16:
		return ewEvalQBinary(n, &k.q, &k.bc, in1.Int16s(), in2.Int16s(), out.Int16s())
	}
	return n.Errorf("kernel was not prepared")
}

func evalBinary[T number](n *core.Node, op binOp, bc *broadcast, a, b, out []T, lo, hi T) error {
	if !bc.fits(len(a), len(b), len(out)) {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if bc.n == 0 {
		return nil
	}
	if bc.same {
		binaryRow(op, a, 1, b, 1, out[:bc.n], lo, hi)
		return nil
	}
	// Walk the five outer dimensions; the innermost one is a row.
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
						binaryRow(op, a[a4:], s1[5], b[b4:], s2[5], out[o:o+inner], lo, hi)
						o += inner
					}
				}
			}
		}
	}
	return nil
}

// binaryRow computes out[i] = clamp(a[i*sa] op b[i*sb]); a stride of 0
// repeats a broadcast element.
func binaryRow[T number](op binOp, a []T, sa int, b []T, sb int, out []T, lo, hi T) {
	switch op {
	case opAdd:
		for i := range out {
			out[i] = clamp(a[i*sa]+b[i*sb], lo, hi)
		}
	case opSub:
		for i := range out {
			out[i] = clamp(a[i*sa]-b[i*sb], lo, hi)
		}
	case opMul:
		for i := range out {
			out[i] = clamp(a[i*sa]*b[i*sb], lo, hi)
		}
	}
}
