package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// rowNormOp is an op that normalises each row of the last axis.
type rowNormOp uint8

const (
	normSoftmax rowNormOp = iota
	normLogSoftmax
	normL2
)

// l2NormEpsilon is the floor of the norm (not of its square) in TFLite's
// float L2_NORMALIZATION (l2norm.cc; checked on the oracle: rows of norm
// 1.5e-4 are normalised as usual).
const l2NormEpsilon = float32(1e-6)

// rowNormKernel implements float32 SOFTMAX (with beta), LOG_SOFTMAX and
// L2_NORMALIZATION over the last axis, as TFLite's activations.cc and
// l2norm.cc do: softmax subtracts each row's maximum before exp.
type rowNormKernel struct {
	op    rowNormOp
	beta  float32
	ready bool
	rows  int
	depth int
	// qs is set for quantized SOFTMAX (softmax_quant.go).
	qs *ewQSoftmax
}

func rowNormFactory(op rowNormOp) core.KernelFactory {
	return func(n *core.Node) (core.Kernel, error) {
		k := &rowNormKernel{op: op}
		switch op {
		case normSoftmax:
			var o tflite.SoftmaxOptions
			n.BuiltinOptions(tflite.BuiltinOptionsSoftmaxOptions, &o)
			k.beta = o.Beta()
		case normL2:
			var o tflite.L2NormOptions
			n.BuiltinOptions(tflite.BuiltinOptionsL2NormOptions, &o)
			if a := o.FusedActivationFunction(); a != tflite.ActivationFunctionTypeNONE {
				return nil, n.Errorf("fused activation %s is not supported (TFLite's L2_NORMALIZATION takes none)", a)
			}
		}
		return k, nil
	}
}

// Prepare implements core.Kernel.
func (k *rowNormKernel) Prepare(n *core.Node) error {
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
	k.qs = nil
	if typ := in.Type(); typ != core.Float32 {
		if !isQuantizedInt(typ) {
			return n.Errorf("%s inputs are not supported", typ)
		}
		qs, err := ewPrepareQRowNorm(k.op, k.beta, in, out)
		if err != nil {
			return n.Errorf("%v", err)
		}
		k.qs = qs
	} else if out.Type() != core.Float32 {
		return n.Errorf("output type %s, want FLOAT32", out.Type())
	}
	shape := in.Shape()
	if len(shape) < 1 {
		return n.Errorf("input must have rank 1 or more, got a scalar")
	}
	if k.op == normL2 && len(shape) > 4 {
		return n.Errorf("input rank %d: TFLite's L2_NORMALIZATION takes at most rank 4", len(shape))
	}
	k.depth = shape[len(shape)-1]
	k.rows = 0
	if k.depth > 0 {
		k.rows = numElements(shape) / k.depth
	}
	out.SetShape(shape)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *rowNormKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	if k.qs != nil {
		return ewEvalQRowNorm(n, k.qs, k.rows, k.depth)
	}
	x, y := n.Inputs[0].Float32s(), n.Outputs[0].Float32s()
	total := k.rows * k.depth
	if len(x) < total || len(y) < total {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	d := k.depth
	for r := 0; r < k.rows; r++ {
		xr, yr := x[r*d:(r+1)*d], y[r*d:(r+1)*d]
		switch k.op {
		case normSoftmax:
			softmaxRow(xr, yr, k.beta)
		case normLogSoftmax:
			logSoftmaxRow(xr, yr)
		case normL2:
			l2NormRow(xr, yr)
		}
	}
	return nil
}

func rowMax(x []float32) float32 {
	m := x[0]
	for _, v := range x[1:] {
		if v > m {
			m = v
		}
	}
	return m
}

func softmaxRow(x, y []float32, beta float32) {
	m := rowMax(x)
	var sum float32
	for i, v := range x {
		e := float32(math.Exp(float64((v - m) * beta)))
		y[i] = e
		sum += e
	}
	for i := range y {
		y[i] /= sum
	}
}

func logSoftmaxRow(x, y []float32) {
	m := rowMax(x)
	var sum float32
	for _, v := range x {
		sum += float32(math.Exp(float64(v - m)))
	}
	logSum := float32(math.Log(float64(sum)))
	for i, v := range x {
		y[i] = v - m - logSum
	}
}

func l2NormRow(x, y []float32) {
	var sq float32
	for _, v := range x {
		sq += v * v
	}
	norm := max(float32(math.Sqrt(float64(sq))), l2NormEpsilon)
	for i, v := range x {
		y[i] = v / norm
	}
}
