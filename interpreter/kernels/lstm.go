package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// LSTM and UNIDIRECTIONAL_SEQUENCE_LSTM, float32, as TFLite's
// kernels/lstm.cc, unidirectional_sequence_lstm.cc and lstm_eval.cc
// (LstmStepFloat) compute them: the 24-input layout (20 for LSTM without
// layer normalisation) with optional tensors absent (-1), coupled input and
// forget gates (CIFG: no input gate weights), peephole connections,
// projection, layer normalisation, cell and projection clipping, and the
// output and cell states as variable tensors (inputs 18 and 19) that the
// kernel updates in place.
//
// Each step, per gate: the gate starts at its bias (zero with layer norm),
// accumulates W_x·x and W_h·h (each dot product summed on its own, then added,
// as TFLite's MatrixBatchVectorMultiplyAccumulate), the peephole term
// w_c⊙c (the output gate uses the new cell state), then layer norm
// ((g-mean)/stddev·coef + bias) and the activation (sigmoid; the cell gate
// uses the fused activation). c = f⊙c + i⊙g (i = 1-f with CIFG), clipped to
// ±cell_clip when positive; h = o⊙act(c), projected (W_p·h + b_p, clipped to
// ±proj_clip) when there are projection weights.
//
// Hybrid LSTMs (int8 weights with one scale each, float32 everything else)
// follow LstmStepHybrid: per step the input, the
// output state and (for the projection) the hidden vector are quantized
// symmetrically (q = round(v*127/max|v|)) or, with
// asymmetric_quantize_inputs, asymmetrically with a zero point; each product
// is an int32 dot product (less rowsum*zero point) scaled by
// float(dot)*(vector_scale*weight_scale), and the peephole weights are
// dequantized before use.
const (
	lstmInput = iota
	lstmInputToInput
	lstmInputToForget
	lstmInputToCell
	lstmInputToOutput
	lstmRecurrentToInput
	lstmRecurrentToForget
	lstmRecurrentToCell
	lstmRecurrentToOutput
	lstmCellToInput
	lstmCellToForget
	lstmCellToOutput
	lstmInputGateBias
	lstmForgetGateBias
	lstmCellGateBias
	lstmOutputGateBias
	lstmProjectionWeights
	lstmProjectionBias
	lstmOutputState
	lstmCellState
	lstmInputLayerNorm
	lstmForgetLayerNorm
	lstmCellLayerNorm
	lstmOutputLayerNorm
)

// lstmNormEpsilon is TFLite's kNormalizationEpsilon of MeanStddevNormalization.
const lstmNormEpsilon = 1e-8

type lstmKernel struct {
	sequence   bool // UNIDIRECTIONAL_SEQUENCE_LSTM
	activation tflite.ActivationFunctionType
	cellClip   float32
	projClip   float32
	timeMajor  bool

	// Set by Prepare.
	cifg, peephole, layerNorm, projection bool
	nBatch, nTime, nInput, nCell, nOutput int

	inputGate, forgetGate, cellGate, outputGate []float32 // [nCell] for one batch row
	scratch                                     []float32 // [nCell]

	// Hybrid (int8 weights, float activations).
	asymmetric bool // asymmetric_quantize_inputs
	hybrid     bool
	scales     [24]float32 // per-tensor scales of the int8 weights
	qx, qh, qs []int8      // quantized input, output state, hidden
	sfx, sfh   float32     // their scaling factors (0: all zeros, skipped)
	zpx, zph   int32       // their zero points (asymmetric_quantize_inputs)

	// Full-integer (int8 input): qlstm_integer.go.
	integer bool
	q       *qlstmInt
}

func newLSTM(n *core.Node) (core.Kernel, error) {
	var o tflite.LSTMOptions
	n.BuiltinOptions(tflite.BuiltinOptionsLSTMOptions, &o)
	if o.KernelType() != tflite.LSTMKernelTypeFULL {
		return nil, n.Errorf("LSTM kernel type %s is not supported (only FULL)", o.KernelType())
	}
	k, err := newLSTMKernel(n, false, o.FusedActivationFunction(), o.CellClip(), o.ProjClip(), true)
	if err != nil {
		return nil, err
	}
	k.asymmetric = o.AsymmetricQuantizeInputs()
	return k, nil
}

func newUnidirectionalSequenceLSTM(n *core.Node) (core.Kernel, error) {
	var o tflite.UnidirectionalSequenceLSTMOptions
	n.BuiltinOptions(tflite.BuiltinOptionsUnidirectionalSequenceLSTMOptions, &o)
	if o.DiagonalRecurrentTensors() {
		return nil, n.Errorf("diagonal recurrent tensors (version 4) are not supported")
	}
	k, err := newLSTMKernel(n, true, o.FusedActivationFunction(), o.CellClip(), o.ProjClip(), o.TimeMajor())
	if err != nil {
		return nil, err
	}
	k.asymmetric = o.AsymmetricQuantizeInputs()
	return k, nil
}

func newLSTMKernel(n *core.Node, seq bool, act tflite.ActivationFunctionType, cellClip, projClip float32, timeMajor bool) (*lstmKernel, error) {
	switch act {
	case tflite.ActivationFunctionTypeNONE, tflite.ActivationFunctionTypeRELU, tflite.ActivationFunctionTypeRELU_N1_TO_1,
		tflite.ActivationFunctionTypeRELU6, tflite.ActivationFunctionTypeTANH:
	default:
		return nil, n.Errorf("fused activation %s is not supported", act)
	}
	if cellClip < 0 || projClip < 0 || math.IsNaN(float64(cellClip)) || math.IsNaN(float64(projClip)) {
		return nil, n.Errorf("cell_clip %g and proj_clip %g must be non-negative", cellClip, projClip)
	}
	return &lstmKernel{sequence: seq, activation: act, cellClip: cellClip, projClip: projClip, timeMajor: timeMajor}, nil
}

// lstmWeight reports whether input i is a weight tensor (int8 in hybrid
// LSTMs); biases and layer norm coefficients stay float32.
func lstmWeight(i int) bool {
	return (i >= lstmInputToInput && i <= lstmCellToOutput) || i == lstmProjectionWeights
}

// lstmCheck validates an optional tensor's type and shape (nil is absent)
// and records the scale of a hybrid LSTM's int8 weight.
func (k *lstmKernel) lstmCheck(n *core.Node, i int, shape ...int) error {
	t := n.Input(i)
	if t == nil {
		return nil
	}
	switch {
	case k.integer:
		// Types are checked by qlstmPrepare.
	case k.hybrid && lstmWeight(i):
		if t.Type() != core.Int8 {
			return n.Errorf("input %d (%q) has type %s; a hybrid LSTM needs int8 weights", i, t.Name(), t.Type())
		}
		q := t.Quantization()
		if len(q.Scale) != 1 {
			return n.Errorf("input %d (%q): hybrid LSTM weights need one (per-tensor) scale, have %d", i, t.Name(), len(q.Scale))
		}
		if sc := q.Scale[0]; !(sc > 0) || math.IsInf(float64(sc), 0) {
			return n.Errorf("input %d (%q): scale %g must be positive and finite", i, t.Name(), sc)
		}
		k.scales[i] = q.Scale[0]
	case t.Type() != core.Float32:
		return n.Errorf("input %d (%q) has type %s; want float32 (float LSTM) or int8 weights (hybrid LSTM)", i, t.Name(), t.Type())
	}
	if !sameDims(t.Shape(), shape) {
		return n.Errorf("input %d (%q) has shape %s, want %s", i, t.Name(), core.FormatShape(t.Shape()), core.FormatShape(shape))
	}
	return nil
}

// Prepare implements core.Kernel.
func (k *lstmKernel) Prepare(n *core.Node) error {
	if k.sequence {
		if err := checkCounts(n, 24, 24, 1); err != nil {
			return err
		}
	} else {
		if ni := n.NumInputs(); ni != 20 && ni != 24 {
			return n.Errorf("has %d inputs, want 20 or 24", ni)
		}
		if no := n.NumOutputs(); no != 1 {
			return n.Errorf("has %d outputs, want 1", no)
		}
	}
	in, err := requireInput(n, lstmInput)
	if err != nil {
		return err
	}
	if in.Type() != core.Float32 && in.Type() != core.Int8 {
		return n.Errorf("input has type %s; want float32 or int8", in.Type())
	}
	k.integer = in.Type() == core.Int8
	if k.sequence {
		if in.Rank() != 3 {
			return n.Errorf("input %s: want rank 3", core.FormatShape(in.Shape()))
		}
		if k.timeMajor {
			k.nTime, k.nBatch = in.Dim(0), in.Dim(1)
		} else {
			k.nBatch, k.nTime = in.Dim(0), in.Dim(1)
		}
		k.nInput = in.Dim(2)
	} else {
		if in.Rank() != 2 {
			return n.Errorf("input %s: want rank 2", core.FormatShape(in.Shape()))
		}
		k.nBatch, k.nTime, k.nInput = in.Dim(0), 1, in.Dim(1)
	}
	for _, i := range []int{lstmInputToForget, lstmInputToCell, lstmInputToOutput, lstmRecurrentToForget,
		lstmRecurrentToCell, lstmRecurrentToOutput, lstmForgetGateBias, lstmCellGateBias, lstmOutputGateBias} {
		if _, err := requireInput(n, i); err != nil {
			return err
		}
	}
	w := n.Input(lstmInputToOutput)
	if w.Rank() != 2 {
		return n.Errorf("input_to_output_weights %s: want rank 2", core.FormatShape(w.Shape()))
	}
	k.nCell = w.Dim(0)
	r := n.Input(lstmRecurrentToOutput)
	if r.Rank() != 2 {
		return n.Errorf("recurrent_to_output_weights %s: want rank 2", core.FormatShape(r.Shape()))
	}
	k.nOutput = r.Dim(1)
	nc, ni, no := k.nCell, k.nInput, k.nOutput
	k.hybrid = w.Type() == core.Int8 && !k.integer

	hasII, hasRI := n.Input(lstmInputToInput) != nil, n.Input(lstmRecurrentToInput) != nil
	if hasII != hasRI {
		return n.Errorf("input_to_input and recurrent_to_input weights must both be present or both absent (CIFG)")
	}
	k.cifg = !hasII
	if k.cifg && n.Input(lstmInputGateBias) != nil {
		return n.Errorf("CIFG LSTM (no input gate weights) must not have an input gate bias")
	}
	if !k.cifg && n.Input(lstmInputGateBias) == nil {
		return n.Errorf("input gate bias is missing")
	}
	hasCI, hasCF, hasCO := n.Input(lstmCellToInput) != nil, n.Input(lstmCellToForget) != nil, n.Input(lstmCellToOutput) != nil
	k.peephole = hasCF
	if hasCF != hasCO || (hasCF && !k.cifg && !hasCI) || (!hasCF && hasCI) || (k.cifg && hasCI) {
		return n.Errorf("peephole weights must be all present (cell_to_input only without CIFG) or all absent")
	}
	k.projection = n.Input(lstmProjectionWeights) != nil
	if !k.projection && n.Input(lstmProjectionBias) != nil {
		return n.Errorf("projection bias without projection weights")
	}
	if !k.projection && no != nc {
		return n.Errorf("without projection the output size %d must equal the cell size %d", no, nc)
	}
	k.layerNorm = false
	if n.NumInputs() == 24 {
		hasLI, hasLF := n.Input(lstmInputLayerNorm) != nil, n.Input(lstmForgetLayerNorm) != nil
		hasLC, hasLO := n.Input(lstmCellLayerNorm) != nil, n.Input(lstmOutputLayerNorm) != nil
		k.layerNorm = hasLF
		if hasLF != hasLC || hasLF != hasLO || (hasLF && !k.cifg && !hasLI) || (!hasLF && hasLI) || (k.cifg && hasLI) {
			return n.Errorf("layer norm coefficients must be all present (input only without CIFG) or all absent")
		}
	}
	checks := []struct {
		i     int
		shape []int
	}{
		{lstmInputToInput, []int{nc, ni}}, {lstmInputToForget, []int{nc, ni}}, {lstmInputToCell, []int{nc, ni}}, {lstmInputToOutput, []int{nc, ni}},
		{lstmRecurrentToInput, []int{nc, no}}, {lstmRecurrentToForget, []int{nc, no}}, {lstmRecurrentToCell, []int{nc, no}}, {lstmRecurrentToOutput, []int{nc, no}},
		{lstmCellToInput, []int{nc}}, {lstmCellToForget, []int{nc}}, {lstmCellToOutput, []int{nc}},
		{lstmInputGateBias, []int{nc}}, {lstmForgetGateBias, []int{nc}}, {lstmCellGateBias, []int{nc}}, {lstmOutputGateBias, []int{nc}},
		{lstmProjectionWeights, []int{no, nc}}, {lstmProjectionBias, []int{no}},
	}
	if n.NumInputs() == 24 {
		checks = append(checks, []struct {
			i     int
			shape []int
		}{{lstmInputLayerNorm, []int{nc}}, {lstmForgetLayerNorm, []int{nc}}, {lstmCellLayerNorm, []int{nc}}, {lstmOutputLayerNorm, []int{nc}}}...)
	}
	for _, c := range checks {
		if err := k.lstmCheck(n, c.i, c.shape...); err != nil {
			return err
		}
	}
	for _, s := range []struct {
		i     int
		shape []int
		name  string
	}{{lstmOutputState, []int{k.nBatch, no}, "output state"}, {lstmCellState, []int{k.nBatch, nc}, "cell state"}} {
		t, err := requireInput(n, s.i)
		if err != nil {
			return err
		}
		if !t.IsVariable() {
			return n.Errorf("%s (input %d) must be a variable tensor", s.name, s.i)
		}
		if (t.Type() != core.Float32 && !k.integer) || t.NumElements() != s.shape[0]*s.shape[1] {
			return n.Errorf("%s (input %d) is %s%s; want float32 with %d elements", s.name, s.i, t.Type(), core.FormatShape(t.Shape()), s.shape[0]*s.shape[1])
		}
	}
	out, err := requireOutput(n, 0)
	if err != nil {
		return err
	}
	if out.Type() != core.Float32 && !k.integer {
		return n.Errorf("output has type %s; want float32", out.Type())
	}
	switch {
	case !k.sequence:
		out.SetShape([]int{k.nBatch, no})
	case k.timeMajor:
		out.SetShape([]int{k.nTime, k.nBatch, no})
	default:
		out.SetShape([]int{k.nBatch, k.nTime, no})
	}
	if k.integer {
		return k.qlstmPrepare(n)
	}
	k.inputGate = make([]float32, nc)
	k.forgetGate = make([]float32, nc)
	k.cellGate = make([]float32, nc)
	k.outputGate = make([]float32, nc)
	k.scratch = make([]float32, nc)
	if k.hybrid {
		k.qx = make([]int8, ni)
		k.qh = make([]int8, no)
		k.qs = make([]int8, nc)
	}
	return nil
}

// lstmF32 returns input i's float32 data, nil when absent.
func lstmF32(n *core.Node, i int) []float32 {
	if t := n.Input(i); t != nil {
		return t.Float32s()
	}
	return nil
}

// Eval implements core.Kernel.
func (k *lstmKernel) Eval(n *core.Node) error {
	if k.integer {
		return k.qlstmEval(n)
	}
	x := n.Inputs[lstmInput].Float32s()
	out := n.Outputs[0].Float32s()
	hState := n.Inputs[lstmOutputState].Float32s()
	cState := n.Inputs[lstmCellState].Float32s()
	ni, no, nc := k.nInput, k.nOutput, k.nCell
	for b := 0; b < k.nBatch; b++ {
		h := hState[b*no : (b+1)*no]
		c := cState[b*nc : (b+1)*nc]
		for t := 0; t < k.nTime; t++ {
			var xi, oi int
			if k.timeMajor {
				xi, oi = (t*k.nBatch+b)*ni, (t*k.nBatch+b)*no
			} else {
				xi, oi = (b*k.nTime+t)*ni, (b*k.nTime+t)*no
			}
			k.step(n, x[xi:xi+ni], h, c)
			copy(out[oi:oi+no], h)
		}
	}
	return nil
}

// step runs one time step of one batch row, updating h and c.
func (k *lstmKernel) step(n *core.Node, x, h, c []float32) {
	if k.hybrid {
		// TFLite quantizes the input and the output state once per step
		// (and skips the products of an all-zero vector).
		k.sfx, k.zpx = lstmQuantize(x, k.qx, k.asymmetric)
		k.sfh, k.zph = lstmQuantize(h, k.qh, k.asymmetric)
	}
	if !k.cifg {
		k.gate(n, k.inputGate, x, h, c, lstmInputToInput, lstmRecurrentToInput, lstmCellToInput, lstmInputLayerNorm, lstmInputGateBias, tflite.ActivationFunctionType(-1))
	}
	k.gate(n, k.forgetGate, x, h, c, lstmInputToForget, lstmRecurrentToForget, lstmCellToForget, lstmForgetLayerNorm, lstmForgetGateBias, tflite.ActivationFunctionType(-1))
	k.gate(n, k.cellGate, x, h, c, lstmInputToCell, lstmRecurrentToCell, -1, lstmCellLayerNorm, lstmCellGateBias, k.activation)
	// c = f*c + i*g
	for i := range c {
		c[i] = k.forgetGate[i] * c[i]
	}
	for i := range c {
		ig := k.inputGate[i]
		if k.cifg {
			ig = 1 - k.forgetGate[i]
		}
		c[i] = c[i] + float32(k.cellGate[i]*ig)
	}
	if k.cellClip > 0 {
		for i := range c {
			c[i] = min(max(c[i], -k.cellClip), k.cellClip)
		}
	}
	k.gate(n, k.outputGate, x, h, c, lstmInputToOutput, lstmRecurrentToOutput, lstmCellToOutput, lstmOutputLayerNorm, lstmOutputGateBias, tflite.ActivationFunctionType(-1))
	s := k.scratch
	lstmActivate(c, s, k.activation)
	for i := range s {
		s[i] = k.outputGate[i] * s[i]
	}
	if !k.projection {
		copy(h, s)
		return
	}
	if pb := lstmF32(n, lstmProjectionBias); pb != nil {
		copy(h, pb)
	} else {
		clear(h)
	}
	if k.hybrid {
		if sf, zp := lstmQuantize(s, k.qs, k.asymmetric); sf != 0 {
			lstmMatVecAccInt8(n.Inputs[lstmProjectionWeights].Int8s(), k.qs, zp, float32(sf*k.scales[lstmProjectionWeights]), h)
		}
	} else {
		lstmMatVecAcc(lstmF32(n, lstmProjectionWeights), s, h)
	}
	if k.projClip > 0 {
		for i := range h {
			h[i] = min(max(h[i], -k.projClip), k.projClip)
		}
	}
}

// gate computes one gate for one batch row into g. act -1 is the sigmoid.
func (k *lstmKernel) gate(n *core.Node, g, x, h, c []float32, wx, wh, wc, ln, bias int, act tflite.ActivationFunctionType) {
	b := lstmF32(n, bias)
	if k.layerNorm {
		clear(g)
	} else {
		copy(g, b)
	}
	if k.hybrid {
		if k.sfx != 0 {
			lstmMatVecAccInt8(n.Inputs[wx].Int8s(), k.qx, k.zpx, float32(k.sfx*k.scales[wx]), g)
		}
		if k.sfh != 0 {
			lstmMatVecAccInt8(n.Inputs[wh].Int8s(), k.qh, k.zph, float32(k.sfh*k.scales[wh]), g)
		}
		if k.peephole && wc >= 0 {
			// TFLite recovers the float peephole weights first
			// (VectorScalarMultiply), then accumulates w*c.
			w, sc := n.Inputs[wc].Int8s(), k.scales[wc]
			for i := range g {
				rw := float32(sc * float32(w[i]))
				g[i] = g[i] + float32(rw*c[i])
			}
		}
	} else {
		lstmMatVecAcc(lstmF32(n, wx), x, g)
		lstmMatVecAcc(lstmF32(n, wh), h, g)
		if k.peephole && wc >= 0 {
			w := lstmF32(n, wc)
			for i := range g {
				g[i] = g[i] + float32(w[i]*c[i])
			}
		}
	}
	if k.layerNorm {
		lstmMeanStddevNorm(g)
		coef := lstmF32(n, ln)
		for i := range g {
			g[i] = coef[i] * g[i]
		}
		for i := range g {
			g[i] = g[i] + b[i]
		}
	}
	if act == -1 {
		for i, v := range g {
			g[i] = float32(1 / (1 + math.Exp(-float64(v))))
		}
		return
	}
	lstmActivate(g, g, act)
}

// lstmMatVecAcc adds W·v to out (W row-major [len(out), len(v)]), each row's
// dot product summed on its own first, as TFLite does.
func lstmMatVecAcc(w, v, out []float32) {
	cols := len(v)
	for r := range out {
		row := w[r*cols : (r+1)*cols]
		var dot float32
		for c, wv := range row {
			dot += float32(wv * v[c])
		}
		out[r] += dot
	}
}

// lstmMatVecAccInt8 adds W·(q-zp)·sf to out: an int32 dot product per row
// less rowsum(W)*zp, then out += float(dot)*sf, as TFLite's hybrid
// MatrixBatchVectorMultiplyAccumulate.
func lstmMatVecAccInt8(w, q []int8, zp int32, sf float32, out []float32) {
	cols := len(q)
	for r := range out {
		row := w[r*cols : (r+1)*cols]
		var dot, rowSum int32
		for c, wv := range row {
			dot += int32(wv) * int32(q[c])
			rowSum += int32(wv)
		}
		dot -= rowSum * zp
		out[r] += float32(float32(dot) * sf)
	}
}

// lstmQuantize quantizes v symmetrically or, for asymmetric_quantize_inputs,
// as TFLite's AsymmetricQuantizeFloats: the range [min(v,0), max(v,0)] onto
// [-128, 127] in float64 with a nudged zero point. It returns the scaling
// factor (0 when v is all zeros: the product is skipped) and zero point.
func lstmQuantize(v []float32, q []int8, asymmetric bool) (float32, int32) {
	if !asymmetric {
		return lstmSymQuantize(v, q), 0
	}
	if len(v) == 0 {
		return 0, 0
	}
	lo, hi := v[0], v[0]
	for _, x := range v[1:] {
		lo, hi = min(lo, x), max(hi, x)
	}
	rmin, rmax := float64(min(0, lo)), float64(max(0, hi))
	if rmin == rmax {
		clear(q)
		return 0, 0
	}
	const qmin, qmax = -128.0, 127.0
	scale := (rmax - rmin) / (qmax - qmin)
	zpMin := qmin - rmin/scale
	zpMax := qmax - rmax/scale
	errMin := math.Abs(qmin) + math.Abs(rmin/scale)
	errMax := math.Abs(qmax) + math.Abs(rmax/scale)
	zpD := zpMax
	if errMin < errMax {
		zpD = zpMin
	}
	var zp int32
	switch {
	case zpD <= qmin:
		zp = qmin
	case zpD >= qmax:
		zp = qmax
	default:
		zp = int32(int8(math.Round(zpD)))
	}
	sf := float32(scale)
	inv := 1 / sf
	for i, x := range v {
		qv := int32(math.Round(float64(float32(zp) + float32(x*inv))))
		q[i] = int8(min(max(qv, -128), 127))
	}
	return sf, zp
}

// lstmSymQuantize is TFLite's SymmetricQuantizeFloats: q = round(v*127/r)
// with r = max|v|; it returns the scaling factor r/127, or 0 when v is all
// zeros (TFLite then skips the product: it would add zeros).
func lstmSymQuantize(v []float32, q []int8) float32 {
	if len(v) == 0 {
		return 0
	}
	lo, hi := v[0], v[0]
	for _, x := range v[1:] {
		lo, hi = min(lo, x), max(hi, x)
	}
	r := max(float32(math.Abs(float64(lo))), float32(math.Abs(float64(hi))))
	if r == 0 {
		clear(q)
		return 0
	}
	inv := 127 / r
	for i, x := range v {
		qv := math.Round(float64(x * inv))
		q[i] = int8(min(max(qv, -127), 127))
	}
	return r / 127
}

// lstmMeanStddevNorm is TFLite's MeanStddevNormalization of one vector.
func lstmMeanStddevNorm(g []float32) {
	var sum, sumSq float32
	for _, v := range g {
		sum += v
		sumSq += float32(v * v)
	}
	n := float32(len(g))
	mean := sum / n
	variance := sumSq/n - float32(mean*mean)
	var inv float32
	if variance == 0 {
		inv = float32(1 / math.Sqrt(lstmNormEpsilon))
	} else {
		inv = float32(1 / math.Sqrt(float64(variance)))
	}
	for i, v := range g {
		g[i] = (v - mean) * inv
	}
}

// lstmActivate applies a fused activation (TFLite's ApplyActivationToVector).
func lstmActivate(in, out []float32, act tflite.ActivationFunctionType) {
	switch act {
	case tflite.ActivationFunctionTypeRELU:
		for i, v := range in {
			out[i] = max(v, 0)
		}
	case tflite.ActivationFunctionTypeRELU_N1_TO_1:
		for i, v := range in {
			out[i] = min(max(v, -1), 1)
		}
	case tflite.ActivationFunctionTypeRELU6:
		for i, v := range in {
			out[i] = min(max(v, 0), 6)
		}
	case tflite.ActivationFunctionTypeTANH:
		for i, v := range in {
			out[i] = float32(math.Tanh(float64(v)))
		}
	default:
		copy(out, in)
	}
}
