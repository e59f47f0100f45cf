package cases

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// LSTMConfig is a float32 LSTM or UNIDIRECTIONAL_SEQUENCE_LSTM case: constant
// weights, zero-initialised variable state tensors, the input from the
// oracle.
type LSTMConfig struct {
	Sequence   bool    `json:"sequence"` // UNIDIRECTIONAL_SEQUENCE_LSTM, else LSTM
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
	Inputs20   bool    `json:"inputs20,omitempty"` // LSTM without the layer norm inputs
	CellClip   float32 `json:"cell_clip,omitempty"`
	ProjClip   float32 `json:"proj_clip,omitempty"`
	Activation string  `json:"activation"`
	// Hybrid makes the weight matrices, peepholes and projection int8 with
	// scale WeightScale (version 2 / LSTM version 3).
	Hybrid      bool    `json:"hybrid,omitempty"`
	WeightScale float32 `json:"weight_scale,omitempty"`
	Asymmetric  bool    `json:"asymmetric_quantize_inputs,omitempty"`
}

func (c LSTMConfig) version() int {
	switch {
	case c.Hybrid && c.Asymmetric && c.Sequence:
		return 3
	case c.Hybrid && c.Asymmetric:
		return 4
	case c.Hybrid && c.Sequence:
		return 2
	case c.Hybrid:
		return 3
	}
	return 1
}

func (c LSTMConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		g := b.Main()
		r := seedOf(name)
		f := func(nm string, shape ...int) int {
			return g.ConstFloat32(nm, shape, float32s(r, numElements(shape), -0.5, 0.5))
		}
		w := f
		if c.Hybrid {
			w = func(nm string, shape ...int) int {
				v := int32s(r, numElements(shape), -127, 127)
				q := make([]byte, len(v))
				for i, x := range v {
					q[i] = byte(int8(x))
				}
				return g.Const(nm, core.Int8, shape, q, modelbuilder.Quant(c.WeightScale, 0))
			}
		}
		nc, ni, no := c.Cell, c.Input, c.Output
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
		ins[0] = g.Tensor("input", core.Float32, inShape)
		if !c.CIFG {
			ins[1] = w("input_to_input", nc, ni)
			ins[5] = w("recurrent_to_input", nc, no)
			ins[12] = f("input_gate_bias", nc)
		}
		ins[2] = w("input_to_forget", nc, ni)
		ins[3] = w("input_to_cell", nc, ni)
		ins[4] = w("input_to_output", nc, ni)
		ins[6] = w("recurrent_to_forget", nc, no)
		ins[7] = w("recurrent_to_cell", nc, no)
		ins[8] = w("recurrent_to_output", nc, no)
		if c.Peephole {
			if !c.CIFG {
				ins[9] = w("cell_to_input", nc)
			}
			ins[10] = w("cell_to_forget", nc)
			ins[11] = w("cell_to_output", nc)
		}
		ins[13] = f("forget_gate_bias", nc)
		ins[14] = f("cell_gate_bias", nc)
		ins[15] = f("output_gate_bias", nc)
		if c.Projection {
			ins[16] = w("projection_weights", no, nc)
			if c.ProjBias {
				ins[17] = f("projection_bias", no)
			}
		}
		ins[18] = g.Tensor("output_state", core.Float32, []int{c.Batch, no}, modelbuilder.Variable())
		ins[19] = g.Tensor("cell_state", core.Float32, []int{c.Batch, nc}, modelbuilder.Variable())
		if c.LayerNorm {
			if !c.CIFG {
				ins[20] = f("input_layer_norm", nc)
			}
			ins[21] = f("forget_layer_norm", nc)
			ins[22] = f("cell_layer_norm", nc)
			ins[23] = f("output_layer_norm", nc)
		}
		if c.Inputs20 {
			ins = ins[:20]
		}
		outShape := append(append([]int(nil), inShape[:len(inShape)-1]...), no)
		out := g.Tensor("output", core.Float32, outShape)
		act := tflite.EnumValuesActivationFunctionType[c.Activation]
		if c.Sequence {
			g.OpVersion(tflite.BuiltinOperatorUNIDIRECTIONAL_SEQUENCE_LSTM, c.version(), ins, []int{out}, &tflite.UnidirectionalSequenceLSTMOptionsT{
				FusedActivationFunction: act, CellClip: c.CellClip, ProjClip: c.ProjClip, TimeMajor: c.TimeMajor, AsymmetricQuantizeInputs: c.Asymmetric})
		} else {
			g.OpVersion(tflite.BuiltinOperatorLSTM, c.version(), ins, []int{out}, &tflite.LSTMOptionsT{
				FusedActivationFunction: act, CellClip: c.CellClip, ProjClip: c.ProjClip, KernelType: tflite.LSTMKernelTypeFULL, AsymmetricQuantizeInputs: c.Asymmetric})
		}
		g.Inputs(ins[0])
		g.Outputs(out)
		return nil
	}
}

func lstmCase(name string, cfg LSTMConfig, o Oracle) *Case {
	name = "lstm_" + name
	op := "LSTM"
	if cfg.Sequence {
		op = "UNIDIRECTIONAL_SEQUENCE_LSTM"
	}
	if cfg.Activation == "" {
		cfg.Activation = "TANH"
	}
	return &Case{Name: name, Op: op, Config: cfg, Oracle: o, build: cfg.build(name)}
}

func lstmCases() []*Case {
	base := LSTMConfig{Sequence: true, Batch: 2, Time: 3, Input: 3, Cell: 4, Output: 4}
	with := func(f func(c *LSTMConfig)) LSTMConfig {
		c := base
		f(&c)
		return c
	}
	return []*Case{
		lstmCase("seq_basic", base, defaultOracle),
		lstmCase("seq_time_major", with(func(c *LSTMConfig) { c.TimeMajor = true; c.Time = 4 }), defaultOracle),
		lstmCase("seq_cifg", with(func(c *LSTMConfig) { c.CIFG = true }), defaultOracle),
		lstmCase("seq_peephole", with(func(c *LSTMConfig) { c.Peephole = true }), defaultOracle),
		lstmCase("seq_cifg_peephole", with(func(c *LSTMConfig) { c.CIFG = true; c.Peephole = true }), defaultOracle),
		lstmCase("seq_projection", with(func(c *LSTMConfig) { c.Projection = true; c.Output = 3 }), defaultOracle),
		lstmCase("seq_projection_bias_clip", with(func(c *LSTMConfig) {
			c.Projection, c.ProjBias, c.Output, c.ProjClip, c.CellClip = true, true, 2, 0.3, 0.5
		}), floatRange(-3, 3)),
		lstmCase("seq_cell_clip", with(func(c *LSTMConfig) { c.CellClip = 0.2 }), floatRange(-3, 3)),
		lstmCase("seq_layer_norm", with(func(c *LSTMConfig) { c.LayerNorm = true }), defaultOracle),
		lstmCase("seq_layer_norm_cifg_peephole_proj", with(func(c *LSTMConfig) {
			c.LayerNorm, c.CIFG, c.Peephole, c.Projection, c.ProjBias, c.Output, c.Cell = true, true, true, true, true, 3, 5
		}), defaultOracle),
		lstmCase("seq_full", with(func(c *LSTMConfig) {
			c.LayerNorm, c.Peephole, c.Projection, c.ProjBias, c.Output, c.Cell, c.TimeMajor = true, true, true, true, 3, 5, true
		}), defaultOracle),
		lstmCase("seq_relu", with(func(c *LSTMConfig) { c.Activation = "RELU" }), defaultOracle),
		lstmCase("seq_long", with(func(c *LSTMConfig) { c.Time, c.Batch, c.Input, c.Cell, c.Output = 12, 1, 5, 8, 8 }), defaultOracle),
		lstmCase("seq_hybrid", with(func(c *LSTMConfig) { c.Hybrid, c.WeightScale = true, 0.004 }), defaultOracle),
		lstmCase("seq_hybrid_time_major_cifg", with(func(c *LSTMConfig) { c.Hybrid, c.WeightScale, c.TimeMajor, c.CIFG = true, 0.0123, true, true }), defaultOracle),
		lstmCase("seq_hybrid_full", with(func(c *LSTMConfig) {
			c.Hybrid, c.WeightScale = true, 0.0039
			c.LayerNorm, c.Peephole, c.Projection, c.ProjBias, c.Output, c.Cell, c.CellClip, c.ProjClip = true, true, true, true, 3, 5, 0.8, 0.25
		}), floatRange(-2, 2)),
		lstmCase("seq_hybrid_long", with(func(c *LSTMConfig) {
			c.Hybrid, c.WeightScale, c.Time, c.Batch, c.Input, c.Cell, c.Output, c.Peephole = true, 0.005, 10, 2, 6, 8, 8, true
		}), defaultOracle),
		lstmCase("step_hybrid_proj", LSTMConfig{Batch: 2, Input: 3, Cell: 4, Output: 2, Projection: true, Hybrid: true, WeightScale: 0.006}, defaultOracle),
		lstmCase("seq_hybrid_asym", with(func(c *LSTMConfig) { c.Hybrid, c.WeightScale, c.Asymmetric = true, 0.004, true }), floatRange(-0.3, 1)),
		lstmCase("seq_hybrid_asym_full", with(func(c *LSTMConfig) {
			c.Hybrid, c.WeightScale, c.Asymmetric = true, 0.0061, true
			c.LayerNorm, c.Peephole, c.Projection, c.ProjBias, c.Output, c.Cell, c.TimeMajor = true, true, true, true, 3, 5, true
		}), defaultOracle),
		lstmCase("step_hybrid_asym_proj", LSTMConfig{Batch: 2, Input: 3, Cell: 4, Output: 2, Projection: true, Hybrid: true, WeightScale: 0.006, Asymmetric: true}, floatRange(0, 2)),
		lstmCase("step", LSTMConfig{Batch: 2, Input: 3, Cell: 4, Output: 4}, defaultOracle),
		lstmCase("step_inputs20_peephole_proj", LSTMConfig{Batch: 3, Input: 2, Cell: 4, Output: 3, Peephole: true, Projection: true, Inputs20: true}, defaultOracle),
		lstmCase("step_layer_norm_cifg", LSTMConfig{Batch: 1, Input: 4, Cell: 3, Output: 3, LayerNorm: true, CIFG: true}, defaultOracle),
	}
}
