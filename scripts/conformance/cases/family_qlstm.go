package cases

import (
	"fmt"
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// qlstmCases are the conformance cases of the full-integer LSTM (ql_lstm_)
// and the hybrid per-channel kernels (ql_hybrid_).
func qlstmCases() []*Case {
	var all []*Case
	all = append(all, qlstmIntCases()...)
	all = append(all, qlstmHybridCases()...)
	return all
}

// QLSTMConfig is a full-integer ("8x8->16") LSTM or
// UNIDIRECTIONAL_SEQUENCE_LSTM case: int8 input, output and output state,
// int8 weights, int16 cell state, peepholes and layer norm coefficients,
// int32 biases, and the five intermediate tensors that carry the gates'
// scales (layer norm) and the hidden state's scale and zero point, laid
// out as TFLite's quantizer emits them. Weights are constants (XNNPACK
// does not take LSTM, so TFLite's builtin kernel runs).
type QLSTMConfig struct {
	Sequence   bool    `json:"sequence"`
	TimeMajor  bool    `json:"time_major,omitempty"`
	Batch      int     `json:"batch"`
	Time       int     `json:"time"`
	Input      int     `json:"input"`
	Cell       int     `json:"cell"`
	Output     int     `json:"output"`
	CIFG       bool    `json:"cifg,omitempty"`
	Peephole   bool    `json:"peephole,omitempty"`
	Projection bool    `json:"projection,omitempty"`
	ProjBias   bool    `json:"proj_bias,omitempty"`
	LayerNorm  bool    `json:"layer_norm,omitempty"`
	Inputs20   bool    `json:"inputs20,omitempty"`
	CellClip   float32 `json:"cell_clip,omitempty"`
	ProjClip   float32 `json:"proj_clip,omitempty"`
	// Quantization: input, output (= output state), hidden (intermediate
	// 4), cell state 2^CellLog2, the gates' intermediates (layer norm).
	InScale     float32    `json:"in_scale"`
	InZP        int64      `json:"in_zp"`
	OutScale    float32    `json:"out_scale"`
	OutZP       int64      `json:"out_zp"`
	HiddenScale float32    `json:"hidden_scale"`
	HiddenZP    int64      `json:"hidden_zp"`
	CellLog2    int        `json:"cell_log2"`
	GateScales  [4]float32 `json:"gate_scales"`
	// Real ranges of the weights (symmetric), biases and coefficients.
	WeightRange float32 `json:"weight_range"`
	// Inter12 gives the model TFLite's 12 int8 intermediates of the
	// "8x8->8" kernel instead of the five: per gate its sum (W_x·x +
	// W_h·h, scale SumScale) and its two products (ProductScale), zero
	// points odd and varied.
	Inter12 bool `json:"inter12,omitempty"`
	// Steps chains that many LSTM ops over the same state (LSTM only).
	Steps        int     `json:"steps,omitempty"`
	SumScale     float32 `json:"sum_scale,omitempty"`
	ProductScale float32 `json:"product_scale,omitempty"`
}

func (c QLSTMConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		g := b.Main()
		r := seedOf(name)
		nc, ni, no := c.Cell, c.Input, c.Output
		// int8 weights over the full range with the scale of WeightRange,
		// perturbed per tensor so scales differ between gates.
		wcount := 0
		w8 := func(nm string, shape ...int) (int, float32) {
			wcount++
			s := c.WeightRange / 127 * (1 + 0.07*float32(wcount%5))
			v := int32s(r, numElements(shape), -127, 127)
			q := make([]int8, len(v))
			for i, x := range v {
				q[i] = int8(x)
			}
			return g.Const(nm, core.Int8, shape, modelbuilder.Int8Bytes(q), modelbuilder.Quant(s, 0)), s
		}
		i16 := func(nm string, scale float32, lo, hi int64, shape ...int) int {
			v := int32s(r, numElements(shape), lo, hi)
			q := make([]int16, len(v))
			for i, x := range v {
				q[i] = int16(x)
			}
			return g.Const(nm, core.Int16, shape, modelbuilder.Int16Bytes(q), modelbuilder.Quant(scale, 0))
		}
		// An int32 bias of real range [-0.5, 0.5) at the given scale.
		bias := func(nm string, scale float32, n int) int {
			lim := int64(math.Min(0.5/float64(scale), 1<<30))
			return g.ConstInt32(nm, []int{n}, int32s(r, n, -lim, lim), modelbuilder.Quant(scale, 0))
		}
		var inShape []int
		switch {
		case !c.Sequence:
			inShape = []int{c.Batch, ni}
		case c.TimeMajor:
			inShape = []int{c.Time, c.Batch, ni}
		default:
			inShape = []int{c.Batch, c.Time, ni}
		}
		ins := make([]int, 24)
		for i := range ins {
			ins[i] = -1
		}
		ins[0] = g.Tensor("input", core.Int8, inShape, modelbuilder.Quant(c.InScale, c.InZP))
		lnScale := float32(1.5 / 32767)
		gateBias := func(nm string, wScale float32) int {
			if c.LayerNorm {
				// The quantizer gives layer norm biases the coefficients'
				// scale / 1024.
				return bias(nm, lnScale/1024, nc)
			}
			return bias(nm, wScale*c.InScale, nc)
		}
		var s float32
		if !c.CIFG {
			ins[1], s = w8("input_to_input", nc, ni)
			ins[5], _ = w8("recurrent_to_input", nc, no)
			ins[12] = gateBias("input_gate_bias", s)
		}
		ins[2], s = w8("input_to_forget", nc, ni)
		ins[13] = gateBias("forget_gate_bias", s)
		ins[3], s = w8("input_to_cell", nc, ni)
		ins[14] = gateBias("cell_gate_bias", s)
		ins[4], s = w8("input_to_output", nc, ni)
		ins[15] = gateBias("output_gate_bias", s)
		ins[6], _ = w8("recurrent_to_forget", nc, no)
		ins[7], _ = w8("recurrent_to_cell", nc, no)
		ins[8], _ = w8("recurrent_to_output", nc, no)
		if c.Peephole {
			ps := float32(0.5 / 32767)
			if !c.CIFG {
				ins[9] = i16("cell_to_input", ps, -32767, 32767, nc)
			}
			ins[10] = i16("cell_to_forget", ps*1.1, -32767, 32767, nc)
			ins[11] = i16("cell_to_output", ps*0.9, -32767, 32767, nc)
		}
		if c.Projection {
			ins[16], s = w8("projection_weights", no, nc)
			if c.ProjBias {
				ins[17] = bias("projection_bias", s*c.HiddenScale, no)
			}
		}
		ins[18] = g.Tensor("output_state", core.Int8, []int{c.Batch, no}, modelbuilder.Variable(), modelbuilder.Quant(c.OutScale, c.OutZP))
		ins[19] = g.Tensor("cell_state", core.Int16, []int{c.Batch, nc}, modelbuilder.Variable(), modelbuilder.Quant(float32(math.Ldexp(1, c.CellLog2)), 0))
		if c.LayerNorm {
			// Coefficients in [0.5, 1.5).
			lo, hi := int64(0.5/float64(lnScale)), int64(32767)
			if !c.CIFG {
				ins[20] = i16("input_layer_norm", lnScale, lo, hi, nc)
			}
			ins[21] = i16("forget_layer_norm", lnScale, lo, hi, nc)
			ins[22] = i16("cell_layer_norm", lnScale, lo, hi, nc)
			ins[23] = i16("output_layer_norm", lnScale, lo, hi, nc)
		}
		if c.Inputs20 {
			ins = ins[:20]
		}
		// The intermediates: the gates' int16 (symmetric) and the hidden
		// state's int8, scalar tensors without data as the quantizer
		// emits them.
		var inter []int32
		if c.Inter12 {
			for i := range 12 {
				sc := c.ProductScale * (1 + 0.05*float32(i%4))
				if i%3 == 0 {
					sc = c.SumScale * (1 + 0.05*float32(i%4))
				}
				inter = append(inter, int32(g.Tensor(fmt.Sprintf("intermediate_%d", i), core.Int8, []int{}, modelbuilder.Quant(sc, int64(2*i-11)))))
			}
		} else {
			for i, gs := range c.GateScales {
				if gs == 0 {
					gs = 1.0 / 4096
				}
				inter = append(inter, int32(g.Tensor(fmt.Sprintf("intermediate_%d", i), core.Int16, []int{}, modelbuilder.Quant(gs, 0))))
			}
			inter = append(inter, int32(g.Tensor("intermediate_4", core.Int8, []int{}, modelbuilder.Quant(c.HiddenScale, c.HiddenZP))))
		}
		outShape := append(append([]int(nil), inShape[:len(inShape)-1]...), no)
		act := tflite.ActivationFunctionTypeTANH
		if c.Sequence {
			out := g.Tensor("output", core.Int8, outShape, modelbuilder.Quant(c.OutScale, c.OutZP))
			op := g.OpVersion(tflite.BuiltinOperatorUNIDIRECTIONAL_SEQUENCE_LSTM, 1, ins, []int{out}, &tflite.UnidirectionalSequenceLSTMOptionsT{
				FusedActivationFunction: act, CellClip: c.CellClip, ProjClip: c.ProjClip, TimeMajor: c.TimeMajor})
			op.Intermediates = inter
			g.Inputs(ins[0])
			g.Outputs(out)
			return nil
		}
		// LSTM: Steps ops in a row sharing the weights and the state
		// variables, each with its own input and output, so later steps
		// start from a state the earlier ones wrote.
		steps := max(c.Steps, 1)
		var xs, ys []int
		for st := range steps {
			if st > 0 {
				ins = append([]int(nil), ins...)
				ins[0] = g.Tensor(fmt.Sprintf("input_%d", st), core.Int8, inShape, modelbuilder.Quant(c.InScale, c.InZP))
			}
			out := g.Tensor(fmt.Sprintf("output_%d", st), core.Int8, outShape, modelbuilder.Quant(c.OutScale, c.OutZP))
			op := g.OpVersion(tflite.BuiltinOperatorLSTM, 1, ins, []int{out}, &tflite.LSTMOptionsT{
				FusedActivationFunction: act, CellClip: c.CellClip, ProjClip: c.ProjClip, KernelType: tflite.LSTMKernelTypeFULL})
			op.Intermediates = inter
			xs, ys = append(xs, ins[0]), append(ys, out)
		}
		g.Inputs(xs...)
		g.Outputs(ys...)
		return nil
	}
}

func qlstmIntCase(name string, cfg QLSTMConfig) *Case {
	name = "ql_lstm_" + name
	op := "LSTM"
	if cfg.Sequence {
		op = "UNIDIRECTIONAL_SEQUENCE_LSTM"
	}
	return &Case{Name: name, Op: op, Config: cfg, Oracle: defaultOracle, build: cfg.build(name),
		Note: "TFLite's builtin integer LSTM (XNNPACK takes no LSTM): bit-exact"}
}

func qlstmIntCases() []*Case {
	// Ranges a calibration of a small LSTM gives: inputs in about [-1, 1],
	// outputs in about [-0.9, 1.1], the hidden state o*tanh(c) in
	// (-1, 1), the cell state in Q4.11, gate pre-activations in about
	// [-6, 6] (layer norm intermediates).
	base := QLSTMConfig{Sequence: true, Batch: 2, Time: 3, Input: 4, Cell: 5, Output: 5,
		InScale: 2.0 / 255, InZP: -3, OutScale: 2.0 / 255, OutZP: 13, HiddenScale: 1.9 / 255, HiddenZP: -7,
		CellLog2: -11, WeightRange: 0.6}
	with := func(f func(c *QLSTMConfig)) QLSTMConfig {
		c := base
		f(&c)
		return c
	}
	ln := [4]float32{6.0 / 32767, 5.0 / 32767, 7.0 / 32767, 4.5 / 32767}
	return []*Case{
		qlstmIntCase("seq_basic", base),
		qlstmIntCase("seq_time_major", with(func(c *QLSTMConfig) { c.TimeMajor = true; c.Time = 4 })),
		qlstmIntCase("seq_cifg", with(func(c *QLSTMConfig) { c.CIFG = true })),
		qlstmIntCase("seq_peephole", with(func(c *QLSTMConfig) { c.Peephole = true })),
		qlstmIntCase("seq_projection", with(func(c *QLSTMConfig) { c.Projection, c.Output = true, 3 })),
		qlstmIntCase("seq_projection_bias_clip", with(func(c *QLSTMConfig) {
			c.Projection, c.ProjBias, c.Output, c.ProjClip, c.CellClip = true, true, 3, 0.3, 0.5
		})),
		qlstmIntCase("seq_peephole_projection", with(func(c *QLSTMConfig) { c.Peephole, c.Projection, c.ProjBias, c.Output = true, true, true, 3 })),
		qlstmIntCase("seq_tm_peephole_projection", with(func(c *QLSTMConfig) {
			c.Peephole, c.Projection, c.Output, c.TimeMajor = true, true, 3, true
		})),
		qlstmIntCase("seq_layer_norm", with(func(c *QLSTMConfig) { c.LayerNorm, c.GateScales = true, ln })),
		qlstmIntCase("seq_full", with(func(c *QLSTMConfig) {
			c.LayerNorm, c.GateScales, c.Peephole, c.Projection, c.ProjBias, c.Output, c.CellClip, c.ProjClip = true, ln, true, true, true, 3, 1.5, 0.8
		})),
		qlstmIntCase("seq_ln_cifg_tm", with(func(c *QLSTMConfig) {
			c.LayerNorm, c.GateScales, c.CIFG, c.TimeMajor, c.Cell, c.Output, c.CellLog2 = true, ln, true, true, 8, 8, -12
		})),
		qlstmIntCase("seq_long_cell_clip", with(func(c *QLSTMConfig) {
			c.Time, c.Batch, c.Input, c.Cell, c.Output, c.CellClip, c.WeightRange, c.CellLog2 = 12, 1, 6, 8, 8, 0.25, 1.2, -9
		})),
		qlstmIntCase("step", QLSTMConfig{Batch: 2, Input: 4, Cell: 5, Output: 5, InScale: 0.011, InZP: 9, OutScale: 0.0085, OutZP: -21,
			HiddenScale: 0.0079, HiddenZP: 3, CellLog2: -11, WeightRange: 0.8}),
		qlstmIntCase("step_inputs20_peephole_proj", QLSTMConfig{Batch: 3, Input: 4, Cell: 5, Output: 3, Peephole: true, Projection: true, ProjBias: true,
			Inputs20: true, InScale: 0.009, InZP: -1, OutScale: 0.012, OutZP: 7, HiddenScale: 0.0077, HiddenZP: -11, CellLog2: -11, WeightRange: 0.7}),
		qlstmIntCase("seq_big_saturating", with(func(c *QLSTMConfig) {
			c.Time, c.Input, c.Cell, c.Output, c.TimeMajor, c.WeightRange = 8, 6, 16, 8, true, 2.5
			c.LayerNorm, c.GateScales, c.Peephole, c.Projection, c.ProjBias, c.CellClip = true, ln, true, true, true, 3
		})),
		qlstmIntCase("step_ln_cifg_peephole_proj", QLSTMConfig{Batch: 3, Input: 5, Cell: 6, Output: 4, LayerNorm: true, GateScales: ln, CIFG: true,
			Peephole: true, Projection: true, InScale: 0.0102, InZP: 17, OutScale: 0.0093, OutZP: -5, HiddenScale: 0.0076, HiddenZP: 9, CellLog2: -10, WeightRange: 0.9, ProjClip: 0.6}),
		// 8x8->8 (12 intermediates): TFLite's kernel takes CIFG, layer
		// norm, projection with bias, and a Q0.15 cell.
		qlstmIntCase("step_8x8_8", QLSTMConfig{Batch: 2, Input: 4, Cell: 5, Output: 3, CIFG: true, LayerNorm: true, GateScales: ln,
			Projection: true, ProjBias: true, InScale: 0.0081, InZP: -3, OutScale: 0.0089, OutZP: 7, CellLog2: -15, WeightRange: 0.7,
			Inter12: true, SumScale: 0.047, ProductScale: 0.031, HiddenScale: 1.0 / 32768}),
		qlstmIntCase("steps4_8x8_8", QLSTMConfig{Batch: 2, Input: 4, Cell: 5, Output: 3, CIFG: true, LayerNorm: true, GateScales: ln,
			Projection: true, ProjBias: true, InScale: 0.0081, InZP: -3, OutScale: 0.0089, OutZP: 7, CellLog2: -15, WeightRange: 0.7,
			Inter12: true, SumScale: 0.047, ProductScale: 0.031, HiddenScale: 1.0 / 32768, Steps: 4}),
		qlstmIntCase("steps3_peephole_proj_ln", QLSTMConfig{Batch: 2, Input: 4, Cell: 5, Output: 3, Peephole: true, Projection: true, ProjBias: true,
			LayerNorm: true, GateScales: ln, InScale: 0.009, InZP: -1, OutScale: 0.012, OutZP: 7, HiddenScale: 0.0077, HiddenZP: -11,
			CellLog2: -11, WeightRange: 0.7, CellClip: 2, Steps: 3}),
		qlstmIntCase("step_8x8_8_clip", QLSTMConfig{Batch: 3, Input: 6, Cell: 8, Output: 4, CIFG: true, LayerNorm: true, GateScales: ln,
			Projection: true, ProjBias: true, InScale: 0.0102, InZP: 11, OutScale: 0.0071, OutZP: -13, CellLog2: -15, WeightRange: 1.1,
			Inter12: true, SumScale: 0.06, ProductScale: 0.04, CellClip: 0.7, ProjClip: 0.5, HiddenScale: 1.0 / 32768}),
		qlstmIntCase("step_layer_norm", QLSTMConfig{Batch: 2, Input: 4, Cell: 4, Output: 4, LayerNorm: true, GateScales: ln,
			InScale: 0.0078, InZP: 5, OutScale: 0.008, OutZP: -9, HiddenScale: 0.0078, HiddenZP: 1, CellLog2: -11, WeightRange: 0.5}),
	}
}

// qlstmHybridCases are the hybrid cases: BATCH_MATMUL with FLOAT32 lhs
// and INT8 rhs. None for the per-channel hybrid FULLY_CONNECTED: the
// oracle's TFLite (2.12-2.13) has no FULLY_CONNECTED version 12 (its
// resolver refuses the model) and, at a lower version, its hybrid kernel
// ignores per-channel weight scales (every output came out as the bias);
// that kernel is tested against an independent float64 derivation in
// interpreter/kernels/qlstm_hybrid_test.go instead.
func qlstmHybridCases() []*Case {
	return []*Case{
		qlBMMCase("2d", QLBMMConfig{LHS: []int{3, 5}, RHS: []int{5, 4}, Scale: 0.013}, defaultOracle),
		qlBMMCase("2d_asym", QLBMMConfig{LHS: []int{3, 5}, RHS: []int{5, 4}, Scale: 0.013, Asymmetric: true}, floatRange(-0.3, 1.7)),
		qlBMMCase("3d_adj_y", QLBMMConfig{LHS: []int{2, 3, 6}, RHS: []int{2, 4, 6}, AdjY: true, Scale: 0.0071}, floatRange(-2, 2)),
		qlBMMCase("3d_adj_x_asym", QLBMMConfig{LHS: []int{2, 6, 3}, RHS: []int{2, 6, 4}, AdjX: true, Scale: 0.021, Asymmetric: true}, floatRange(-1, 0.5)),
		qlBMMCase("bcast_rhs", QLBMMConfig{LHS: []int{2, 2, 3, 5}, RHS: []int{5, 3}, Scale: 0.004}, defaultOracle),
		qlBMMCase("bcast_lhs_asym_adj_xy", QLBMMConfig{LHS: []int{1, 5, 3}, RHS: []int{3, 2, 5}, AdjX: true, AdjY: true, Scale: 0.009, Asymmetric: true}, floatRange(0.2, 3)),
		qlBMMCase("const_rhs", QLBMMConfig{LHS: []int{2, 4, 7}, RHS: []int{7, 3}, Scale: 0.006, ConstRHS: true}, defaultOracle),
		// Two batch dimensions: TFLite's per-batch scale lookup (see
		// qlstm_bmm_hybrid.go) differs from the flat batch index here.
		qlBMMCase("4d_asym", QLBMMConfig{LHS: []int{2, 3, 2, 4}, RHS: []int{2, 3, 4, 3}, Scale: 0.017, Asymmetric: true}, floatRange(-0.7, 1.9)),
		qlBMMCase("4d_bcast_mixed_asym", QLBMMConfig{LHS: []int{2, 1, 3, 4}, RHS: []int{1, 3, 4, 2}, Scale: 0.011, Asymmetric: true}, floatRange(-1.5, 0.4)),
		qlBMMCase("4d_sym", QLBMMConfig{LHS: []int{2, 2, 3, 5}, RHS: []int{2, 2, 5, 2}, Scale: 0.008}, defaultOracle),
		qlBMMCase("const_rhs_asym", QLBMMConfig{LHS: []int{2, 4, 7}, RHS: []int{7, 3}, Scale: 0.006, ConstRHS: true, Asymmetric: true}, floatRange(-0.5, 2)),
		// Per-tensor hybrid FULLY_CONNECTED with constant weights, as
		// converters emit it (the q_hybrid_fc_ cases feed the weights as
		// an input); executed_node_types shows whether XNNPACK took it.
		qlConstFCCase("sym", QLConstFCConfig{InShape: []int{3, 11}, Units: 6, Scale: 0.0093, Activation: "NONE"}, defaultOracle),
		qlConstFCCase("asym_relu", QLConstFCConfig{InShape: []int{3, 11}, Units: 6, Scale: 0.0093, Asymmetric: true, Activation: "RELU"}, floatRange(-0.6, 1.4)),
		qlConstFCCase("keepdims_relu6", QLConstFCConfig{InShape: []int{2, 2, 9}, Units: 5, Scale: 0.021, KeepDims: true, Activation: "RELU6"}, floatRange(-3, 7)),
	}
}

// QLBMMConfig is a hybrid BATCH_MATMUL case: FLOAT32 lhs and output, INT8
// rhs with one scale (version 1; 4 with asymmetric_quantize_inputs), the
// rhs a model input (TFLite's builtin kernel runs) or a constant.
type QLBMMConfig struct {
	LHS        []int   `json:"lhs"`
	RHS        []int   `json:"rhs"`
	AdjX       bool    `json:"adj_x,omitempty"`
	AdjY       bool    `json:"adj_y,omitempty"`
	Scale      float32 `json:"scale"`
	Asymmetric bool    `json:"asymmetric_quantize_inputs,omitempty"`
	ConstRHS   bool    `json:"const_rhs,omitempty"`
}

func (c QLBMMConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		g := b.Main()
		r := seedOf(name)
		lhs := g.Tensor("lhs", core.Float32, c.LHS)
		var rhs int
		if c.ConstRHS {
			v := int32s(r, numElements(c.RHS), -127, 127)
			d := make([]int8, len(v))
			for i, x := range v {
				d[i] = int8(x)
			}
			rhs = g.Const("rhs", core.Int8, c.RHS, modelbuilder.Int8Bytes(d), modelbuilder.Quant(c.Scale, 0))
		} else {
			rhs = g.Tensor("rhs", core.Int8, c.RHS, modelbuilder.Quant(c.Scale, 0))
		}
		m, k := c.LHS[len(c.LHS)-2], c.LHS[len(c.LHS)-1]
		if c.AdjX {
			m = k
		}
		nn := c.RHS[len(c.RHS)-1]
		if c.AdjY {
			nn = c.RHS[len(c.RHS)-2]
		}
		// Broadcast batch dimensions.
		lb, rb := c.LHS[:len(c.LHS)-2], c.RHS[:len(c.RHS)-2]
		nb := max(len(lb), len(rb))
		var out []int
		for i := 0; i < nb; i++ {
			ld, rd := 1, 1
			if j := i - (nb - len(lb)); j >= 0 {
				ld = lb[j]
			}
			if j := i - (nb - len(rb)); j >= 0 {
				rd = rb[j]
			}
			out = append(out, max(ld, rd))
		}
		out = append(out, m, nn)
		y := g.Tensor("y", core.Float32, out)
		version := 1
		if c.Asymmetric {
			version = 4
		}
		g.OpVersion(tflite.BuiltinOperatorBATCH_MATMUL, version, []int{lhs, rhs}, []int{y},
			&tflite.BatchMatMulOptionsT{AdjX: c.AdjX, AdjY: c.AdjY, AsymmetricQuantizeInputs: c.Asymmetric})
		if c.ConstRHS {
			g.Inputs(lhs)
		} else {
			g.Inputs(lhs, rhs)
		}
		g.Outputs(y)
		return nil
	}
}

func qlBMMCase(tag string, c QLBMMConfig, o Oracle) *Case {
	name := "ql_hybrid_bmm_" + tag
	return &Case{Name: name, Op: "BATCH_MATMUL", Config: c, Oracle: o, build: c.build(name)}
}

// QLConstFCConfig is a hybrid FULLY_CONNECTED with constant INT8 weights
// (one scale) and a FLOAT32 bias.
type QLConstFCConfig struct {
	InShape    []int   `json:"in_shape"`
	Units      int     `json:"units"`
	Scale      float32 `json:"scale"`
	Asymmetric bool    `json:"asymmetric_quantize_inputs,omitempty"`
	KeepDims   bool    `json:"keep_num_dims,omitempty"`
	Activation string  `json:"activation"`
}

func (c QLConstFCConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		act, ok := tflite.EnumValuesActivationFunctionType[c.Activation]
		if !ok {
			return fmt.Errorf("unknown activation %q", c.Activation)
		}
		g := b.Main()
		r := seedOf(name)
		in := c.InShape[len(c.InShape)-1]
		x := g.Tensor("x", core.Float32, c.InShape)
		v := int32s(r, c.Units*in, -127, 127)
		d := make([]int8, len(v))
		for i, e := range v {
			d[i] = int8(e)
		}
		w := g.Const("w", core.Int8, []int{c.Units, in}, modelbuilder.Int8Bytes(d), modelbuilder.Quant(c.Scale, 0))
		bias := g.ConstFloat32("b", []int{c.Units}, float32s(r, c.Units, -1, 1))
		outShape := []int{numElements(c.InShape) / in, c.Units}
		version := 3
		switch {
		case c.KeepDims:
			outShape = append(append([]int(nil), c.InShape[:len(c.InShape)-1]...), c.Units)
			version = 5
		case c.Asymmetric:
			version = 9
		}
		y := g.Tensor("y", core.Float32, outShape)
		g.OpVersion(tflite.BuiltinOperatorFULLY_CONNECTED, version, []int{x, w, bias}, []int{y},
			&tflite.FullyConnectedOptionsT{FusedActivationFunction: act, KeepNumDims: c.KeepDims, AsymmetricQuantizeInputs: c.Asymmetric})
		g.Inputs(x)
		g.Outputs(y)
		return nil
	}
}

func qlConstFCCase(tag string, c QLConstFCConfig, o Oracle) *Case {
	name := "ql_hybrid_fc_const_" + tag
	return &Case{Name: name, Op: "FULLY_CONNECTED", Config: c, Oracle: o, build: c.build(name)}
}
