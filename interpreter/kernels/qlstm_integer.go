package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

// This file holds the full-integer LSTM (LSTM and
// UNIDIRECTIONAL_SEQUENCE_LSTM with int8 input and output, int8 weights,
// int16 cell state, int32 biases): TFLite's "8x8->16" kernel, lstm.cc's
// PopulateQuantizedLstmParams8x8_16 and PopulatePrecomputedZPTimesWeights-
// WithBias for the parameters and lstm_eval.cc's EvalInteger8x8_16 with
// the portable tensor_utils for the arithmetic.
//
// The model carries five intermediate tensors whose quantization gives the
// gates' scales (used only with layer norm; otherwise the gates are Q3.12)
// and the hidden state's scale and zero point (intermediate 4). Each step
// and gate: int8 x and h are dotted with the int8 weights in int32, the
// zero points folded into the biases, each product rescaled to the gate's
// int16 scale and added with saturation, the int16 peephole term added,
// then the integer layer norm and the fixed-point sigmoid (tanh for the
// cell gate). The int16 cell is f*c>>15 + i*g rescaled, clipped; the
// hidden state is o*tanh(c) rescaled to int8, then projected when there
// are projection weights.
//
// TFLite's peephole product runs over n_output elements per batch row
// instead of n_cell (lstm_eval.cc passes n_output as the vector size); the
// kernel reproduces that, so with projection and peepholes the results
// match TFLite's, and it rejects peepholes with n_output > n_cell, where
// TFLite reads past its buffers.

// qlstmGate holds one gate's precomputed integer parameters.
type qlstmGate struct {
	inMul, recMul, cellMul, lnMul         int32
	inShift, recShift, cellShift, lnShift int
	varianceGuard                         int32
	// inBias and recBias are the effective biases: the gate bias (not
	// with layer norm) plus -zero_point * row sums of the weights.
	inBias, recBias []int32
}

// qlstmInt is the integer state of an lstmKernel.
type qlstmInt struct {
	cellScale     int // log2 of the cell state's scale
	cellClip      int16
	projClip      int8
	inZP, stateZP int32
	hiddenZP      int32
	hiddenMul     int32
	hiddenShift   int
	projMul       int32
	projShift     int
	gates         [4]qlstmGate // input, forget, cell, output
	projBias      []int32      // effective projection bias [nOutput]
	constWeights  bool         // effective biases computed once in Prepare

	// v8 is the 8x8->8 variant (qlstm_integer8.go); nil for 8x8->16.
	v8 *qlstm8

	// Scratch, [nBatch*nCell] each.
	gate   [4][]int16
	tanhC  []int16
	hidden []int8
}

// Gate input indices, per gate: input weights, recurrent weights, peephole
// weights, layer norm coefficients and bias (-1 where the gate has none).
var qlstmGateInputs = [4][5]int{
	{lstmInputToInput, lstmRecurrentToInput, lstmCellToInput, lstmInputLayerNorm, lstmInputGateBias},
	{lstmInputToForget, lstmRecurrentToForget, lstmCellToForget, lstmForgetLayerNorm, lstmForgetGateBias},
	{lstmInputToCell, lstmRecurrentToCell, -1, lstmCellLayerNorm, lstmCellGateBias},
	{lstmInputToOutput, lstmRecurrentToOutput, lstmCellToOutput, lstmOutputLayerNorm, lstmOutputGateBias},
}

// qlstmScale returns a tensor's single (per-tensor) scale, checked.
func qlstmScale(n *core.Node, t *core.Tensor, what string) (float32, int32, error) {
	q := t.Quantization()
	if len(q.Scale) != 1 {
		return 0, 0, n.Errorf("%s (%q) needs one (per-tensor) scale, has %d", what, t.Name(), len(q.Scale))
	}
	s := q.Scale[0]
	if !(s > 0) || math.IsInf(float64(s), 0) {
		return 0, 0, n.Errorf("%s (%q): scale %g must be positive and finite", what, t.Name(), s)
	}
	var zp int64
	if len(q.ZeroPoint) > 0 {
		zp = q.ZeroPoint[0]
	}
	return s, int32(zp), nil
}

// qlstmType checks an optional input's type (nil is absent).
func qlstmType(n *core.Node, i int, want core.TensorType) error {
	if t := n.Input(i); t != nil && t.Type() != want {
		return n.Errorf("input %d (%q) has type %s; an integer LSTM needs %s", i, t.Name(), t.Type(), want)
	}
	return nil
}

// qlstmPrepare validates an integer LSTM and precomputes its parameters;
// the common shape checks are done by Prepare.
func (k *lstmKernel) qlstmPrepare(n *core.Node) error {
	if k.activation != tflite.ActivationFunctionTypeTANH {
		return n.Errorf("integer LSTM needs the TANH activation, have %s", k.activation)
	}
	switch ni := len(n.Intermediates); ni {
	case 5:
	case 12:
	default:
		return n.Errorf("integer LSTM has %d intermediate tensors, want 5 (or 12 for 8x8->8)", ni)
	}
	for i := range 24 {
		want := core.Int8
		switch {
		case i == lstmInput || i == lstmOutputState:
		case i >= lstmCellToInput && i <= lstmCellToOutput, i == lstmCellState, i >= lstmInputLayerNorm:
			want = core.Int16
		case i >= lstmInputGateBias && i <= lstmOutputGateBias, i == lstmProjectionBias:
			want = core.Int32
		}
		if i < n.NumInputs() {
			if err := qlstmType(n, i, want); err != nil {
				return err
			}
		}
	}
	if out := n.Outputs[0]; out.Type() != core.Int8 {
		return n.Errorf("output has type %s; an integer LSTM needs int8", out.Type())
	}
	if len(n.Intermediates) == 12 {
		return k.qlstm8Prepare(n)
	}
	if k.peephole && k.nOutput > k.nCell {
		return n.Errorf("integer LSTM with peepholes needs output size %d <= cell size %d (TFLite's peephole runs over the output size)", k.nOutput, k.nCell)
	}
	in := n.Inputs[lstmInput]
	inScale, inZP, err := qlstmScale(n, in, "input")
	if err != nil {
		return err
	}
	stateScale, stateZP, err := qlstmScale(n, n.Inputs[lstmOutputState], "output state")
	if err != nil {
		return err
	}
	cellScale, _, err := qlstmScale(n, n.Inputs[lstmCellState], "cell state")
	if err != nil {
		return err
	}
	// TFLite's CheckedLog2 in float.
	log2 := float32(math.Log(float64(cellScale))) * float32(1/math.Log(2))
	rounded := float32(math.Round(float64(log2)))
	if math.Abs(float64(log2-rounded)) >= 1e-3 || rounded > -9 || rounded < -15 {
		return n.Errorf("cell state scale %g must be a power of two between 2^-15 and 2^-9", cellScale)
	}
	outScale, _, err := qlstmScale(n, n.Outputs[0], "output")
	if err != nil {
		return err
	}
	q := &qlstmInt{cellScale: int(rounded), inZP: inZP, stateZP: stateZP}
	if k.cellClip > 0 {
		q.cellClip = int16(min(max(k.cellClip/cellScale, -32768), 32767))
	}
	if k.projClip > 0 {
		q.projClip = int8(min(max(k.projClip/outScale, -128), 127))
	}
	// Intermediate scales: the gates' (layer norm only; else Q3.12) and
	// the hidden state's.
	var interScale [5]float32
	for i := range 4 {
		interScale[i] = 1.0 / 4096
		if k.layerNorm {
			t := n.Intermediates[i]
			if t == nil {
				return n.Errorf("intermediate %d is missing", i)
			}
			if interScale[i], _, err = qlstmScale(n, t, "intermediate"); err != nil {
				return err
			}
		}
	}
	hidden := n.Intermediates[4]
	if hidden == nil {
		return n.Errorf("intermediate 4 (hidden state) is missing")
	}
	if interScale[4], q.hiddenZP, err = qlstmScale(n, hidden, "intermediate 4 (hidden state)"); err != nil {
		return err
	}
	scaleOf := func(i int) (float32, error) {
		t := n.Input(i)
		if t == nil {
			return 1, nil
		}
		s, _, err := qlstmScale(n, t, "input")
		return s, err
	}
	pow2Cell := math.Pow(2, float64(q.cellScale))
	for g := range q.gates {
		gi := qlstmGateInputs[g]
		if g == 0 && k.cifg {
			continue
		}
		wIn, err := scaleOf(gi[0])
		if err != nil {
			return err
		}
		wRec, err := scaleOf(gi[1])
		if err != nil {
			return err
		}
		gp := &q.gates[g]
		// float products as lstm.cc computes them.
		gp.inMul, gp.inShift = quantizeMultiplier(float64(wIn * inScale / interScale[g]))
		gp.recMul, gp.recShift = quantizeMultiplier(float64(wRec * stateScale / interScale[g]))
		gp.cellMul, gp.cellShift = quantizeMultiplier(1)
		if k.peephole && gi[2] >= 0 {
			wc, err := scaleOf(gi[2])
			if err != nil {
				return err
			}
			gp.cellMul, gp.cellShift = quantizeMultiplier(float64(float32(pow2Cell * float64(wc) / float64(interScale[g]))))
		}
		gp.lnMul, gp.lnShift = quantizeMultiplier(1)
		gp.varianceGuard = 1
		if k.layerNorm {
			ls, err := scaleOf(gi[3])
			if err != nil {
				return err
			}
			gp.lnMul, gp.lnShift = quantizeMultiplier(float64(ls))
			gp.varianceGuard = max(1, int32(10000*ls))
		}
		gp.inBias = make([]int32, k.nCell)
		gp.recBias = make([]int32, k.nCell)
	}
	q.hiddenMul, q.hiddenShift = quantizeMultiplier(float64(float32(math.Pow(2, -15) / float64(interScale[4]) * math.Pow(2, -15))))
	if k.projection {
		ps, err := scaleOf(lstmProjectionWeights)
		if err != nil {
			return err
		}
		q.projMul, q.projShift = quantizeMultiplier(float64(ps * interScale[4] / stateScale))
		q.projBias = make([]int32, k.nOutput)
	}
	size := k.nBatch * k.nCell
	for i := range q.gate {
		q.gate[i] = make([]int16, size)
	}
	q.tanhC = make([]int16, size)
	q.hidden = make([]int8, size)
	q.constWeights = true
	for _, i := range []int{lstmInputToInput, lstmInputToForget, lstmInputToCell, lstmInputToOutput,
		lstmRecurrentToInput, lstmRecurrentToForget, lstmRecurrentToCell, lstmRecurrentToOutput,
		lstmInputGateBias, lstmForgetGateBias, lstmCellGateBias, lstmOutputGateBias, lstmProjectionWeights, lstmProjectionBias} {
		if t := n.Input(i); t != nil && !t.IsConstant() {
			q.constWeights = false
		}
	}
	k.q = q
	if q.constWeights {
		k.qlstmBiases(n)
	}
	return nil
}

// qlstmRowSumsAcc sets out to bias (zero when nil) plus zp times each row
// sum of w (rows of cols), as PrecomputeZeroPointTimesWeightWithBias.
func qlstmRowSumsAcc(w []int8, cols int, bias []int32, zp int32, out []int32) {
	for r := range out {
		var b int32
		if bias != nil {
			b = bias[r]
		}
		var sum int32
		for _, v := range w[r*cols : (r+1)*cols] {
			sum += int32(v)
		}
		out[r] = b + sum*zp
	}
}

// qlstmBiases computes the effective biases from the weights.
func (k *lstmKernel) qlstmBiases(n *core.Node) {
	q := k.q
	for g := range q.gates {
		if g == 0 && k.cifg {
			continue
		}
		gi := qlstmGateInputs[g]
		var bias []int32
		if !k.layerNorm {
			bias = n.Inputs[gi[4]].Int32s()
		}
		qlstmRowSumsAcc(n.Inputs[gi[0]].Int8s(), k.nInput, bias, -q.inZP, q.gates[g].inBias)
		qlstmRowSumsAcc(n.Inputs[gi[1]].Int8s(), k.nOutput, nil, -q.stateZP, q.gates[g].recBias)
	}
	if k.projection {
		var bias []int32
		if t := n.Input(lstmProjectionBias); t != nil {
			bias = t.Int32s()
		}
		// TFLite adds +hidden_zp * row sums here, matching the hidden
		// state's "- zero point" in qlstmCwiseMulInt8.
		qlstmRowSumsAcc(n.Inputs[lstmProjectionWeights].Int8s(), k.nCell, bias, q.hiddenZP, q.projBias)
	}
}

// qlstmEval runs the integer LSTM over the whole sequence.
func (k *lstmKernel) qlstmEval(n *core.Node) error {
	q := k.q
	if q.v8 != nil {
		return k.qlstm8Eval(n)
	}
	if !q.constWeights {
		k.qlstmBiases(n)
	}
	x := n.Inputs[lstmInput].Int8s()
	out := n.Outputs[0].Int8s()
	h := n.Inputs[lstmOutputState].Int8s()
	c := n.Inputs[lstmCellState].Int16s()
	ni, no, nc, nb := k.nInput, k.nOutput, k.nCell, k.nBatch
	if len(x) < nb*k.nTime*ni || len(out) < nb*k.nTime*no || len(h) < nb*no || len(c) < nb*nc {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	if k.timeMajor {
		// All batch rows step together (the LSTM op is time-major).
		for t := 0; t < k.nTime; t++ {
			k.qlstmStep(n, nb, x[t*nb*ni:(t+1)*nb*ni], h[:nb*no], c[:nb*nc], out[t*nb*no:(t+1)*nb*no])
		}
		return nil
	}
	for b := 0; b < nb; b++ {
		for t := 0; t < k.nTime; t++ {
			off := b*k.nTime + t
			k.qlstmStep(n, 1, x[off*ni:(off+1)*ni], h[b*no:(b+1)*no], c[b*nc:(b+1)*nc], out[off*no:(off+1)*no])
		}
	}
	return nil
}

// qlstmStep is LstmStepInteger8x8_16 for nb batch rows.
func (k *lstmKernel) qlstmStep(n *core.Node, nb int, x, h []int8, c []int16, out []int8) {
	q := k.q
	size := nb * k.nCell
	ig, fg, cg, og := q.gate[0][:size], q.gate[1][:size], q.gate[2][:size], q.gate[3][:size]
	if !k.cifg {
		k.qlstmGate(n, 0, nb, x, h, c, ig, false)
	}
	k.qlstmGate(n, 1, nb, x, h, c, fg, false)
	k.qlstmGate(n, 2, nb, x, h, c, cg, true)
	// c = f*c >> 15 + i*g rescaled (i = 1-f with CIFG), clipped.
	cs := 30 + q.cellScale
	for i := range c[:size] {
		c[i] = int16(roundingDivideByPOT(int32(fg[i])*int32(c[i]), 15))
	}
	if k.cifg {
		for i := range fg {
			fg[i] = math.MaxInt16 - fg[i]
		}
		ig = fg
	}
	for i := range c[:size] {
		s := int16(roundingDivideByPOT(int32(ig[i])*int32(cg[i]), cs))
		c[i] = int16(min(max(int32(c[i])+int32(s), math.MinInt16), math.MaxInt16))
	}
	if clip := q.cellClip; clip > 0 {
		for i := range c[:size] {
			c[i] = min(max(c[i], -clip), clip)
		}
	}
	k.qlstmGate(n, 3, nb, x, h, c, og, false)
	// hidden = o * tanh(c), rescaled to int8 less the hidden zero point.
	th := q.tanhC[:size]
	bits := 15 + q.cellScale
	for i, v := range c[:size] {
		th[i] = qlstmTanh16(v, bits)
	}
	hid := q.hidden[:size]
	for i := range hid {
		v := multiplyByQuantizedMultiplier(int32(og[i])*int32(th[i]), q.hiddenMul, q.hiddenShift) - q.hiddenZP
		hid[i] = int8(min(max(v, -128), 127))
	}
	no := k.nOutput
	if k.projection {
		w := n.Inputs[lstmProjectionWeights].Int8s()
		for b := range nb {
			xb := hid[b*k.nCell : (b+1)*k.nCell]
			for r := range no {
				row := w[r*k.nCell : (r+1)*k.nCell]
				acc := q.projBias[r]
				for j, v := range xb {
					acc += int32(v) * int32(row[j])
				}
				acc = multiplyByQuantizedMultiplier(acc, q.projMul, q.projShift) + q.stateZP
				h[b*no+r] = int8(min(max(acc, -128), 127))
			}
		}
		if clip := q.projClip; clip > 0 {
			for i := range h[:nb*no] {
				h[i] = min(max(h[i], -clip), clip)
			}
		}
	} else {
		copy(h[:nb*no], hid[:nb*no])
	}
	copy(out[:nb*no], h[:nb*no])
}

// qlstmGate is CalculateLstmGateInteger8x8_16 for gate g of nb batch rows:
// the int16 result in out (Q0.15 after the activation).
func (k *lstmKernel) qlstmGate(n *core.Node, g, nb int, x, h []int8, c []int16, out []int16, tanh bool) {
	q := k.q
	gp := &q.gates[g]
	gi := qlstmGateInputs[g]
	clear(out)
	qlstmMatMulAcc16(x, gp.inBias, n.Inputs[gi[0]].Int8s(), gp.inMul, gp.inShift, nb, k.nInput, k.nCell, out)
	qlstmMatMulAcc16(h, gp.recBias, n.Inputs[gi[1]].Int8s(), gp.recMul, gp.recShift, nb, k.nOutput, k.nCell, out)
	if k.peephole && gi[2] >= 0 {
		// TFLite's vector size here is n_output (see the file comment).
		w := n.Inputs[gi[2]].Int16s()
		no := k.nOutput
		for i := range nb * no {
			p := multiplyByQuantizedMultiplier(int32(w[i%no])*int32(c[i]), gp.cellMul, gp.cellShift)
			out[i] = int16(min(max(p+int32(out[i]), math.MinInt16), math.MaxInt16))
		}
	}
	if k.layerNorm {
		qlstmLayerNorm(out, n.Inputs[gi[3]].Int16s(), n.Inputs[gi[4]].Int32s(), gp.lnMul, gp.lnShift, gp.varianceGuard, nb, k.nCell)
	}
	if tanh {
		for i, v := range out {
			out[i] = qlstmTanh16(v, 3)
		}
		return
	}
	for i, v := range out {
		out[i] = qlstmLogistic16(v)
	}
}

// qlstmMatMulAcc16 adds W·x rescaled to out with int16 saturation, as
// TFLite's integer MatrixBatchVectorMultiplyAccumulate: per row an int32
// dot product from the effective bias, MultiplyByQuantizedMultiplier, plus
// the accumulated value.
func qlstmMatMulAcc16(x []int8, bias []int32, w []int8, mul int32, shift, nb, cols, rows int, out []int16) {
	for b := range nb {
		xb := x[b*cols : (b+1)*cols]
		ob := out[b*rows : (b+1)*rows]
		for r := range ob {
			row := w[r*cols : (r+1)*cols]
			acc := bias[r]
			for j, v := range xb {
				acc += int32(v) * int32(row[j])
			}
			acc = multiplyByQuantizedMultiplier(acc, mul, shift) + int32(ob[r])
			ob[r] = int16(min(max(acc, math.MinInt16), math.MaxInt16))
		}
	}
}

// qlstmLayerNorm is TFLite's PortableApplyLayerNorm in place over nb rows
// of n: integer mean and variance (the variance guard when it is below 1),
// the inverse square root as a multiplier, then the int16 coefficient and
// int32 bias with the layer norm scale, to Q3.12.
func qlstmLayerNorm(g, w []int16, bias []int32, mul int32, shift int, guard int32, nb, n int) {
	const twoTo20 = 1 << 20
	for b := range nb {
		row := g[b*n : (b+1)*n]
		var sum, sumSq int64
		for _, v := range row {
			sum += int64(v)
			sumSq += int64(int32(v) * int32(v))
		}
		mean := int32(sum * 1024 / int64(n))
		temp := int32(twoTo20 / n)
		variance := sumSq*int64(temp) - int64(mean)*int64(mean)
		v2 := int32(variance / twoTo20)
		if v2 < 1 {
			v2 = guard
		}
		im, is := ewInvSqrtMultiplierExp(v2)
		for j, v := range row {
			shifted := 1024*int32(v) - mean
			rescaled := multiplyByQuantizedMultiplier(shifted, im, is)
			// int32 arithmetic (wrapping) as TFLite's, then widened.
			v3 := int64(rescaled*int32(w[j]) + bias[j])
			if v3 > 0 {
				v3 += 512
			} else {
				v3 -= 512
			}
			v5 := multiplyByQuantizedMultiplier(int32(v3/1024), mul, shift+12)
			row[j] = int16(min(max(v5, math.MinInt16), math.MaxInt16))
		}
	}
}
