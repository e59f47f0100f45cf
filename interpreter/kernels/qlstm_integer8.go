package kernels

import (
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// This file holds the "8x8->8" integer LSTM: an int8 LSTM whose model
// carries 12 intermediate tensors (the input and recurrent products of
// each gate and their sums, quantized to int8), as lstm.cc's
// PopulateQuantizedLstmParams8x8_8 and lstm_eval.cc's
// LstmStepInteger8x8_8 compute it (LSTM op only). TFLite's step is
// narrower than the op: it always couples the input and forget gates
// (CIFG; input gate weights are ignored), ignores peepholes, needs layer
// norm coefficients, projection weights and a projection bias, and keeps
// the cell state in Q0.15. Each gate: W_x·x and W_h·h each rescaled to
// int8 with their intermediate's zero point, the two added in int16, then
// layer norm, sigmoid and tanh in float (TFLite's *Float tensor_utils).
//
// TFLite reads the output gate's recurrent rescale multiplier from
// intermediate_scale_a[11], past the end of that 8-element array, which
// lands on intermediate_scale_b[3]; the kernel reproduces that (and the
// zero point it passes there, intermediate 7's).

// qlstm8Gate holds one gate's parameters.
type qlstm8Gate struct {
	inMul, recMul, xMul, hMul         int32
	inShift, recShift, xShift, hShift int
	xZP, hZP                          int32 // the products' zero points (int8)
	lnScale, biasScale                float32
	ln, bias                          int // input indices
	wIn, wRec                         int
}

// qlstm8 is the 8x8->8 state of an lstmKernel.
type qlstm8 struct {
	inZP, stateZP int32
	gates         [3]qlstm8Gate // forget, cell, output
	projMul       int32
	projShift     int
	cellClip      int16
	projClip      int8
	s0, s1        []int8
	g             [3][]int16
	t             []int16
}

// qlstm8Prepare validates an 8x8->8 LSTM and precomputes its parameters.
func (k *lstmKernel) qlstm8Prepare(n *core.Node) error {
	if k.sequence {
		return n.Errorf("integer LSTM with 12 intermediate tensors (8x8->8) is only supported for the LSTM op")
	}
	if !k.layerNorm || !k.projection || n.Input(lstmProjectionBias) == nil {
		return n.Errorf("8x8->8 integer LSTM needs layer norm coefficients, projection weights and a projection bias (TFLite's kernel reads them unconditionally)")
	}
	var inter [12]float32
	var zp [12]int32
	for i, t := range n.Intermediates {
		if t == nil {
			return n.Errorf("intermediate %d is missing", i)
		}
		s, z, err := qlstmScale(n, t, "intermediate")
		if err != nil {
			return err
		}
		inter[i], zp[i] = s, z
	}
	inScale, inZP, err := qlstmScale(n, n.Inputs[lstmInput], "input")
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
	if cellScale != 1.0/32768 {
		return n.Errorf("8x8->8 integer LSTM needs the cell state scale 2^-15, have %g", cellScale)
	}
	outScale, _, err := qlstmScale(n, n.Outputs[0], "output")
	if err != nil {
		return err
	}
	scaleOf := func(i int) (float32, error) {
		s, _, err := qlstmScale(n, n.Inputs[i], "input")
		return s, err
	}
	// intermediate_scale_a/b: each product's scale over its gate sum's.
	var ia [8]int32
	var ib [8]int
	for j, p := range [8][2]int{{1, 0}, {2, 0}, {4, 3}, {5, 3}, {7, 6}, {8, 6}, {10, 9}, {11, 9}} {
		ia[j], ib[j] = quantizeMultiplier(float64(inter[p[0]] / inter[p[1]]))
	}
	q := &qlstm8{inZP: inZP, stateZP: stateZP}
	gateDefs := [3]struct {
		wIn, wRec, ln, bias int
		interIn, interRec   int // effective scale denominators
		x, xzp, h, hzp      int // intermediate_scale index and zero point index
	}{
		{lstmInputToForget, lstmRecurrentToForget, lstmForgetLayerNorm, lstmForgetGateBias, 4, 5, 2, 4, 3, 5},
		{lstmInputToCell, lstmRecurrentToCell, lstmCellLayerNorm, lstmCellGateBias, 7, 8, 4, 7, 5, 8},
		{lstmInputToOutput, lstmRecurrentToOutput, lstmOutputLayerNorm, lstmOutputGateBias, 10, 11, 6, 10, -1, 7},
	}
	for g, d := range gateDefs {
		wi, err := scaleOf(d.wIn)
		if err != nil {
			return err
		}
		wr, err := scaleOf(d.wRec)
		if err != nil {
			return err
		}
		ls, err := scaleOf(d.ln)
		if err != nil {
			return err
		}
		gp := &q.gates[g]
		gp.wIn, gp.wRec, gp.ln, gp.bias = d.wIn, d.wRec, d.ln, d.bias
		gp.inMul, gp.inShift = quantizeMultiplier(float64(wi * inScale / inter[d.interIn]))
		gp.recMul, gp.recShift = quantizeMultiplier(float64(wr * stateScale / inter[d.interRec]))
		gp.xMul, gp.xShift = ia[d.x], ib[d.x]
		if d.h >= 0 {
			gp.hMul, gp.hShift = ia[d.h], ib[d.h]
		} else {
			// intermediate_scale_a[11] is intermediate_scale_b[3].
			gp.hMul, gp.hShift = int32(ib[3]), ib[7]
		}
		gp.xZP, gp.hZP = int32(int8(zp[d.xzp])), int32(int8(zp[d.hzp]))
		lm, lsh := quantizeMultiplier(float64(ls))
		gp.lnScale = float32(float64(lm) * math.Pow(2, float64(lsh-31)))
		gp.biasScale = float32(math.Pow(2, -10) * float64(gp.lnScale))
	}
	ps, err := scaleOf(lstmProjectionWeights)
	if err != nil {
		return err
	}
	q.projMul, q.projShift = quantizeMultiplier(float64(float32(float64(ps) * math.Pow(2, -15) / float64(stateScale))))
	if k.cellClip > 0 && k.cellClip < 1 {
		q.cellClip = int16(min(max(k.cellClip/cellScale, -32768), 32767))
	}
	if k.projClip > 0 {
		q.projClip = int8(min(max(k.projClip/outScale, -128), 127))
	}
	size := k.nBatch * k.nCell
	q.s0, q.s1 = make([]int8, size), make([]int8, size)
	for i := range q.g {
		q.g[i] = make([]int16, size)
	}
	q.t = make([]int16, size)
	k.q = &qlstmInt{v8: q}
	return nil
}

// qlstm8Eval is EvalInteger8x8_8 (one time step, all batch rows).
func (k *lstmKernel) qlstm8Eval(n *core.Node) error {
	q := k.q.v8
	nb, ni, nc, no := k.nBatch, k.nInput, k.nCell, k.nOutput
	x := n.Inputs[lstmInput].Int8s()
	h := n.Inputs[lstmOutputState].Int8s()
	c := n.Inputs[lstmCellState].Int16s()
	out := n.Outputs[0].Int8s()
	size := nb * nc
	if len(x) < nb*ni || len(h) < nb*no || len(c) < size || len(out) < nb*no || len(q.t) < size {
		return n.Errorf("tensor storage does not match the prepared shapes")
	}
	for g := range q.gates {
		k.qlstm8Gate(n, g, x[:nb*ni], h[:nb*no], q.g[g][:size])
	}
	fg, cg, og := q.g[0][:size], q.g[1][:size], q.g[2][:size]
	// The cell update with CIFG and the Q0.15 cell (shift 30-15).
	for i := range c[:size] {
		c[i] = int16(roundingDivideByPOT(int32(fg[i])*int32(c[i]), 15))
	}
	for i := range fg {
		fg[i] = math.MaxInt16 - fg[i]
		s := int16(roundingDivideByPOT(int32(fg[i])*int32(cg[i]), 15))
		c[i] = int16(min(max(int32(c[i])+int32(s), math.MinInt16), math.MaxInt16))
	}
	if clip := q.cellClip; clip > 0 {
		for i := range c[:size] {
			c[i] = min(max(c[i], -clip), clip)
		}
	}
	// hidden = o * tanh(c) >> 15, projected with the projection bias.
	t := q.t[:size]
	for i, v := range c[:size] {
		t[i] = qlstm8Tanh(v, -15)
	}
	for i := range t {
		t[i] = int16(roundingDivideByPOT(int32(og[i])*int32(t[i]), 15))
	}
	w := n.Inputs[lstmProjectionWeights].Int8s()
	bias := n.Inputs[lstmProjectionBias].Int32s()
	for b := range nb {
		hb := t[b*nc : (b+1)*nc]
		for r := range no {
			row := w[r*nc : (r+1)*nc]
			acc := int64(bias[r])
			for j, v := range hb {
				acc += int64(int32(v) * int32(row[j]))
			}
			v := qconvMultiplyByQuantizedMultiplier64(acc, q.projMul, q.projShift) + q.stateZP
			h[b*no+r] = int8(min(max(v, -128), 127))
		}
	}
	if clip := q.projClip; clip > 0 {
		for i := range h[:nb*no] {
			h[i] = min(max(h[i], -clip), clip)
		}
	}
	copy(out[:nb*no], h[:nb*no])
	return nil
}

// qlstm8Gate is CalculateLstmGateInteger8x8_8 for gate g.
func (k *lstmKernel) qlstm8Gate(n *core.Node, g int, x, h []int8, out []int16) {
	q := k.q.v8
	gp := &q.gates[g]
	nb, nc := k.nBatch, k.nCell
	qlstm8MatMul(x, q.inZP, n.Inputs[gp.wIn].Int8s(), gp.inMul, gp.inShift, nb, k.nInput, nc, q.s0, gp.xZP)
	qlstm8MatMul(h, q.stateZP, n.Inputs[gp.wRec].Int8s(), gp.recMul, gp.recShift, nb, k.nOutput, nc, q.s1, gp.hZP)
	for i := range out {
		xs := multiplyByQuantizedMultiplier(int32(q.s0[i])-gp.xZP, gp.xMul, gp.xShift)
		hs := multiplyByQuantizedMultiplier(int32(q.s1[i])-gp.hZP, gp.hMul, gp.hShift)
		out[i] = int16(min(max(hs+xs, math.MinInt16), math.MaxInt16))
	}
	qlstm8LayerNorm(out, n.Inputs[gp.ln].Int16s(), gp.lnScale, gp.biasScale, n.Inputs[gp.bias].Int32s(), nb, nc)
	for i, v := range out {
		if g == 1 {
			out[i] = qlstm8Tanh(v, -12)
		} else {
			out[i] = qlstm8Sigmoid(v)
		}
	}
}

// qlstm8MatMul is TFLite's int8 MatrixBatchVectorMultiply: (x - zp)·W
// rescaled, plus the output zero point, saturated to int8.
func qlstm8MatMul(x []int8, zp int32, w []int8, mul int32, shift, nb, cols, rows int, out []int8, outZP int32) {
	for b := range nb {
		xb := x[b*cols : (b+1)*cols]
		for r := range rows {
			row := w[r*cols : (r+1)*cols]
			var acc int32
			for j, v := range xb {
				acc += (int32(v) - zp) * int32(row[j])
			}
			acc = multiplyByQuantizedMultiplier(acc, mul, shift) + outZP
			out[b*rows+r] = int8(min(max(acc, -128), 127))
		}
	}
}

// qlstm8LayerNorm is TFLite's ApplyLayerNormFloat: mean and variance in
// float, the normalized value times the coefficient and its scale plus the
// bias at scale/1024, rounded to Q3.12. The conversions keep each float
// operation rounded as TFLite's (no fused multiply-add).
func qlstm8LayerNorm(g, w []int16, lnScale, biasScale float32, bias []int32, nb, n int) {
	for b := range nb {
		row := g[b*n : (b+1)*n]
		var sum, sumSq float32
		for _, v := range row {
			f := float32(v)
			sum += f
			sumSq += float32(f * f)
		}
		mean := sum / float32(n)
		variance := float32(sumSq/float32(n)) - float32(mean*mean)
		var inv float32
		if variance == 0 {
			inv = float32(1 / math.Sqrt(1e-8))
		} else {
			inv = 1 / float32(math.Sqrt(float64(variance)))
		}
		for i, v := range row {
			norm := float32((float32(v) - mean) * inv)
			wv := float32(float32(norm*float32(w[i]))*lnScale) + float32(float32(bias[i])*biasScale)
			qv := int64(math.Round(float64(wv) * 4096))
			row[i] = int16(min(max(qv, math.MinInt16), math.MaxInt16))
		}
	}
}

// qlstm8Sigmoid is TFLite's ApplySigmoidFloat of a Q3.12 value: float
// 1/(1+exp(-x)), truncated to Q0.15.
func qlstm8Sigmoid(v int16) int16 {
	x := float32(float64(v) / 4096)
	e := float32(math.Exp(float64(-x)))
	y := 1 / (1 + e)
	return int16(min(max(int64(float64(y)*32768), math.MinInt16), math.MaxInt16))
}

// qlstm8Tanh is TFLite's ApplyTanhFloat: float tanh of v*2^exp, truncated
// to Q0.15.
func qlstm8Tanh(v int16, exp int) int16 {
	x := float32(float64(v) * math.Pow(2, float64(exp)))
	y := float32(math.Tanh(float64(x)))
	return int16(min(max(int64(float64(y)*32768), math.MinInt16), math.MaxInt16))
}
