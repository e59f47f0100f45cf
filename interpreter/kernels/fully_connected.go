package kernels

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// fullyConnectedKernel implements FULLY_CONNECTED for FLOAT32 input,
// weights and bias as TFLite's reference FullyConnected does: weights are
// [units, input_size] in the DEFAULT format, the input is flattened to
// [batch, input_size] (batch = elements / input_size), the bias is
// optional, and the output is [batch, units], or with keep_num_dims the
// input's shape with its last dimension replaced by units. With constant
// weights (and bias), FLOAT32, INT8 and UINT8 run on the packed GEMM
// (gemm_path.go) instead of the loops below.
type fullyConnectedKernel struct {
	opts                 tflite.FullyConnectedOptionsT
	batch, inSize, units int
	hasBias              bool
	lo, hi               float32
	ready                bool
	q                    *qconvParams   // quantized input
	hybrid               *qconvHybridFC // FLOAT32 input, INT8 weights
	// gemm is the packed-GEMM path (gemm_path.go), set by Prepare for
	// constant weights; reference keeps the loops below (tests);
	// minParallelMACs > 0 replaces gcMinParallelMACs (tests).
	gemm            *gcFC
	reference       bool
	minParallelMACs int
}

func newFullyConnected(n *core.Node) (core.Kernel, error) {
	var o tflite.FullyConnectedOptions
	n.BuiltinOptions(tflite.BuiltinOptionsFullyConnectedOptions, &o)
	k := &fullyConnectedKernel{}
	o.UnPackTo(&k.opts)
	return k, nil
}

// Prepare implements core.Kernel.
func (k *fullyConnectedKernel) Prepare(n *core.Node) error {
	k.ready = false
	if k.opts.WeightsFormat != tflite.FullyConnectedOptionsWeightsFormatDEFAULT {
		return n.Errorf("weights format %s is not supported yet", k.opts.WeightsFormat)
	}
	if err := checkCounts(n, 2, 3, 1); err != nil {
		return err
	}
	in, err := requireInput(n, 0)
	if err != nil {
		return err
	}
	w, err := requireInput(n, 1)
	if err != nil {
		return err
	}
	bias := n.Input(2) // optional: absent or index -1
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	k.q, k.hybrid = nil, nil
	quantized := isQuantizedInt(in.Type())
	hybrid := in.Type() == core.Float32 && (w.Type() == core.Int8 || w.Type() == core.Uint8)
	switch {
	case quantized, hybrid:
	case in.Type() != core.Float32:
		return n.Errorf("%s input is not supported", in.Type())
	case w.Type() != core.Float32:
		return n.Errorf("%s weights with FLOAT32 input are not supported", w.Type())
	case out.Type() != core.Float32:
		return n.Errorf("%s output with FLOAT32 input is not supported", out.Type())
	case bias != nil && bias.Type() != core.Float32:
		return n.Errorf("%s bias with FLOAT32 input is not supported", bias.Type())
	}
	if w.Sparsity() != nil {
		return n.Errorf("sparse weights are not supported yet")
	}
	// TFLite allows only clipping activations here (hybrid kernels aside).
	if k.lo, k.hi, err = activationRange[float32](k.opts.FusedActivationFunction); err != nil {
		return n.Errorf("%v", err)
	}
	if quantized {
		if w.Rank() != 2 {
			return n.Errorf("weights have shape %s; want rank 2 [units, input_size]", core.FormatShape(w.Shape()))
		}
		// The per-tensor kernels subtract the weights' zero point;
		// FullyConnectedPerChannel does not.
		perTensor := len(w.Quantization().Scale) <= 1
		if k.q, err = qconvPrepare(n, in, w, bias, out, w.Dim(0), 0, k.opts.FusedActivationFunction, perTensor); err != nil {
			return err
		}
		k.q.setRounding(tflite.BuiltinOperatorFULLY_CONNECTED, w.Dim(0))
	}
	if w.Rank() != 2 {
		return n.Errorf("weights have shape %s; want rank 2 [units, input_size]", core.FormatShape(w.Shape()))
	}
	k.units, k.inSize = w.Dim(0), w.Dim(1)
	total := in.NumElements()
	if k.inSize == 0 || total%k.inSize != 0 {
		return n.Errorf("input %s does not split into rows of input_size %d", core.FormatShape(in.Shape()), k.inSize)
	}
	k.batch = total / k.inSize
	k.hasBias = bias != nil
	if k.hasBias && bias.NumElements() != k.units {
		return n.Errorf("bias has %d elements for %d units", bias.NumElements(), k.units)
	}
	if hybrid {
		if err := k.prepareHybrid(n, in, w, bias, out); err != nil {
			return err
		}
	}
	if k.opts.KeepNumDims {
		if in.Rank() == 0 || in.Dim(-1) != k.inSize {
			return n.Errorf("keep_num_dims needs the input's last dimension to be input_size %d, input is %s", k.inSize, core.FormatShape(in.Shape()))
		}
		shape := append([]int(nil), in.Shape()...)
		shape[len(shape)-1] = k.units
		out.SetShape(shape)
	} else {
		out.SetShape([]int{k.batch, k.units})
	}
	k.prepareGEMM(n, w, bias)
	k.ready = true
	return nil
}

// Eval implements core.Kernel.
func (k *fullyConnectedKernel) Eval(n *core.Node) error {
	if !k.ready {
		return n.Errorf("kernel was not prepared")
	}
	if k.gemm != nil {
		return k.gemm.eval(n)
	}
	if k.q != nil {
		return k.evalQuantized(n)
	}
	if k.hybrid != nil {
		return k.evalHybrid(n)
	}
	x, w, y := n.Inputs[0].Float32s(), n.Inputs[1].Float32s(), n.Outputs[0].Float32s()
	var b []float32
	if k.hasBias {
		b = n.Inputs[2].Float32s()
		if len(b) < k.units {
			return n.Errorf("tensor storage does not match the prepared shapes")
		}
	}
	if len(x) < k.batch*k.inSize || len(w) < k.units*k.inSize || len(y) < k.batch*k.units {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	for i := 0; i < k.batch; i++ {
		row := x[i*k.inSize : (i+1)*k.inSize]
		dst := y[i*k.units : (i+1)*k.units]
		for u := range dst {
			wrow := w[u*k.inSize : (u+1)*k.inSize]
			var sum float32
			for d, v := range row {
				// The conversion keeps Go from fusing a multiply-add
				// (FMA on arm64), which would round differently from
				// TFLite's reference loop.
				sum += float32(v * wrow[d])
			}
			if b != nil {
				sum += b[u]
			}
			dst[u] = clamp(sum, k.lo, k.hi)
		}
	}
	return nil
}

// evalQuantized runs the uint8, int8 and int16x8 fully connected layer.
func (k *fullyConnectedKernel) evalQuantized(n *core.Node) error {
	p := k.q
	b32, b64, ok := qconvBias(p, n.Input(2), k.units)
	nx, nw, ny := k.batch*k.inSize, k.units*k.inSize, k.batch*k.units
	in, f, out := n.Inputs[0], n.Inputs[1], n.Outputs[0]
	switch p.inType {
	case core.Uint8:
		x, w, y := in.Uint8s(), f.Uint8s(), out.Uint8s()
		if !ok || len(x) < nx || len(w) < nw || len(y) < ny {
			break
		}
		qconvFullyConnectedLoop(k, p, x, w, y, b32, b64)
		return nil
	case core.Int8:
		x, w, y := in.Int8s(), f.Int8s(), out.Int8s()
		if !ok || len(x) < nx || len(w) < nw || len(y) < ny {
			break
		}
		qconvFullyConnectedLoop(k, p, x, w, y, b32, b64)
		return nil
	case core.Int16:
		x, w, y := in.Int16s(), f.Int8s(), out.Int16s()
		if !ok || len(x) < nx || len(w) < nw || len(y) < ny {
			break
		}
		qconvFullyConnectedLoop(k, p, x, w, y, b32, b64)
		return nil
	}
	return n.Errorf("tensor storage does not match the prepared shapes")
}
