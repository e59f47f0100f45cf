package cases

import (
	"math"

	"github.com/edgelite/edgelite/internal/inputgen"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// QuantParams are affine quantization parameters: one scale is per-tensor,
// more are per-channel along Axis.
type QuantParams struct {
	Scales     []float32 `json:"scales"`
	ZeroPoints []int64   `json:"zero_points"`
	Axis       int       `json:"axis,omitempty"`
}

func (q QuantParams) option() modelbuilder.TensorOption {
	if len(q.Scales) == 1 {
		return modelbuilder.Quant(q.Scales[0], q.ZeroPoints[0])
	}
	return modelbuilder.PerAxisQuant(q.Scales, q.ZeroPoints, q.Axis)
}

func perTensor(scale float32, zp int64) QuantParams {
	return QuantParams{Scales: []float32{scale}, ZeroPoints: []int64{zp}}
}

// DequantizeConfig is a DEQUANTIZE case.
type DequantizeConfig struct {
	Type  string      `json:"type"`
	Shape []int       `json:"shape"`
	Quant QuantParams `json:"quant"`
	// Const makes the input a constant of the model (always so for
	// FLOAT16, which the oracle cannot feed).
	Const bool `json:"const,omitempty"`
	// Special adds IEEE special values (FLOAT16 only).
	Special bool `json:"special,omitempty"`
}

// float16Data returns n half-precision values: random ones in [-lo, hi),
// with the special values first when special is set.
func float16Data(r *inputgen.SplitMix32, n int, special bool) []uint16 {
	out := make([]uint16, 0, n)
	if special {
		out = append(out,
			0x0000, 0x8000, // +0, -0
			0x0001, 0x8001, 0x03ff, // subnormals
			0x0400,         // smallest normal
			0x7bff, 0xfbff, // +-65504
			0x7c00, 0xfc00, // +-Inf
			0x3c00, 0xbc00, 0x3555, // 1, -1, ~1/3
			0x7e00, // NaN
		)
	}
	for _, f := range float32s(r, n-len(out), -10, 10) {
		out = append(out, core.Float32ToFloat16(f))
	}
	return out
}

func (c DequantizeConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		typ, err := typeByName(c.Type)
		if err != nil {
			return err
		}
		g := b.Main()
		var x int
		var opts []modelbuilder.TensorOption
		if typ != core.Float16 {
			opts = append(opts, c.Quant.option())
		}
		n := numElements(c.Shape)
		r := seedOf(name)
		switch {
		case typ == core.Float16:
			x = g.Const("x", typ, c.Shape, modelbuilder.Uint16Bytes(float16Data(r, n, c.Special)), opts...)
		case c.Const:
			x = g.Const("x", typ, c.Shape, randomBytes(r, typ, n), opts...)
		default:
			x = g.Tensor("x", typ, c.Shape, opts...)
		}
		if !c.isConst(typ) {
			y := g.Tensor("y", core.Float32, c.Shape)
			g.OpVersion(tflite.BuiltinOperatorDEQUANTIZE, c.version(typ), []int{x}, []int{y}, nil)
			g.Inputs(x)
			g.Outputs(y)
			return nil
		}
		// The oracle's XNNPACK cannot run a graph of constants only, so the
		// dequantized constant is concatenated with a model input: a byte
		// copy that keeps every float (-0.0, Inf and NaN included).
		d := g.Tensor("dequantized", core.Float32, c.Shape)
		xs := append([]int{1}, c.Shape[1:]...)
		x2 := g.Tensor("x2", core.Float32, xs)
		ys := append([]int(nil), c.Shape...)
		ys[0]++
		y := g.Tensor("y", core.Float32, ys)
		g.OpVersion(tflite.BuiltinOperatorDEQUANTIZE, c.version(typ), []int{x}, []int{d}, nil)
		g.Op(tflite.BuiltinOperatorCONCATENATION, []int{d, x2}, []int{y}, &tflite.ConcatenationOptionsT{Axis: 0})
		g.Inputs(x2)
		g.Outputs(y)
		return nil
	}
}

// isConst reports whether the input is a model constant.
func (c DequantizeConfig) isConst(typ core.TensorType) bool { return c.Const || typ == core.Float16 }

func (c DequantizeConfig) version(typ core.TensorType) int {
	switch {
	case typ == core.Int16 || typ == core.Float16:
		return 3
	case typ == core.Int8 && len(c.Quant.Scales) > 1:
		return 5
	case typ == core.Int8:
		return 2
	}
	return 1
}

func dequantizeCase(name string, cfg DequantizeConfig, o Oracle) *Case {
	name = "dequantize_" + name
	c := &Case{Name: name, Op: "DEQUANTIZE", Config: cfg, Oracle: o, build: cfg.build(name)}
	if typ, _ := typeByName(cfg.Type); cfg.isConst(typ) {
		c.Note = "constant input: the DEQUANTIZE output is concatenated with a model input (the oracle's XNNPACK cannot run a constant-only graph)"
	}
	return c
}

func dequantizeCases() []*Case {
	i8, u8, i16, f16 := typeName(core.Int8), typeName(core.Uint8), typeName(core.Int16), typeName(core.Float16)
	full16 := intRange(-32768, 32767)
	return []*Case{
		dequantizeCase("f16_special", DequantizeConfig{Type: f16, Shape: []int{4, 5}, Const: true, Special: true}, defaultOracle),
		dequantizeCase("f16_random", DequantizeConfig{Type: f16, Shape: []int{3, 7}, Const: true}, defaultOracle),
		dequantizeCase("i8_per_tensor", DequantizeConfig{Type: i8, Shape: []int{2, 3, 5}, Quant: perTensor(0.037, -3)}, defaultOracle),
		dequantizeCase("i8_per_tensor_odd_scale", DequantizeConfig{Type: i8, Shape: []int{17}, Quant: perTensor(3.3e-3, 127)}, defaultOracle),
		dequantizeCase("i8_const", DequantizeConfig{Type: i8, Shape: []int{5, 5}, Quant: perTensor(0.125, 9), Const: true}, defaultOracle),
		dequantizeCase("u8_per_tensor", DequantizeConfig{Type: u8, Shape: []int{4, 6}, Quant: perTensor(0.1, 127)}, defaultOracle),
		dequantizeCase("u8_per_tensor_zp0", DequantizeConfig{Type: u8, Shape: []int{1, 9}, Quant: perTensor(1.0/255, 0)}, defaultOracle),
		dequantizeCase("i16_per_tensor", DequantizeConfig{Type: i16, Shape: []int{3, 11}, Quant: perTensor(1.0/3000, 0)}, full16),
		dequantizeCase("i16_odd_scale", DequantizeConfig{Type: i16, Shape: []int{13}, Quant: perTensor(0.0071, 0)}, full16),
		dequantizeCase("i8_per_channel_axis0", DequantizeConfig{Type: i8, Shape: []int{3, 4}, Quant: QuantParams{Scales: []float32{0.1, 0.02, 0.5}, ZeroPoints: []int64{0, 3, -5}, Axis: 0}}, defaultOracle),
		dequantizeCase("i8_per_channel_axis1", DequantizeConfig{Type: i8, Shape: []int{2, 3, 4}, Quant: QuantParams{Scales: []float32{0.3, 0.0123, 1.7}, ZeroPoints: []int64{1, 0, -2}, Axis: 1}}, defaultOracle),
		dequantizeCase("i8_per_channel_last", DequantizeConfig{Type: i8, Shape: []int{2, 2, 5}, Quant: QuantParams{Scales: []float32{0.01, 0.02, 0.03, 0.04, 0.05}, ZeroPoints: []int64{0, 0, 0, 0, 0}, Axis: 2}}, defaultOracle),
		dequantizeCase("i8_per_channel_const", DequantizeConfig{Type: i8, Shape: []int{4, 3}, Quant: QuantParams{Scales: []float32{0.5, 0.25, 0.125, 0.0625}, ZeroPoints: []int64{0, 0, 0, 0}, Axis: 0}, Const: true}, defaultOracle),
		dequantizeCase("u8_per_channel_axis0", DequantizeConfig{Type: u8, Shape: []int{4, 3}, Quant: QuantParams{Scales: []float32{0.1, 0.2, 0.3, 0.4}, ZeroPoints: []int64{128, 127, 0, 255}, Axis: 0}}, defaultOracle),
	}
}

// QuantizeConfig is a QUANTIZE case: FLOAT32 to an integer type, or an
// integer requantization.
type QuantizeConfig struct {
	InType  string       `json:"in_type"`
	OutType string       `json:"out_type"`
	Shape   []int        `json:"shape"`
	InQuant *QuantParams `json:"in_quant,omitempty"`
	Quant   QuantParams  `json:"quant"`
	// Ties feeds crafted inputs at and around rounding ties: Ties[0] +
	// k*Ties[1] for k = 0, 1, ...
	Ties []float32 `json:"ties,omitempty"`
}

func (c QuantizeConfig) version(out core.TensorType) int {
	switch {
	case len(c.Quant.Scales) > 1:
		return 3
	case out == core.Int16:
		return 2
	}
	return 1
}

func (c QuantizeConfig) build(b *modelbuilder.Builder) error {
	in, err := typeByName(c.InType)
	if err != nil {
		return err
	}
	out, err := typeByName(c.OutType)
	if err != nil {
		return err
	}
	g := b.Main()
	var opts []modelbuilder.TensorOption
	if c.InQuant != nil {
		opts = append(opts, c.InQuant.option())
	}
	x := g.Tensor("x", in, c.Shape, opts...)
	y := g.Tensor("y", out, c.Shape, c.Quant.option())
	g.OpVersion(tflite.BuiltinOperatorQUANTIZE, c.version(out), []int{x}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	return nil
}

func quantizeCase(name string, cfg QuantizeConfig, o Oracle) *Case {
	c := &Case{Name: "quantize_" + name, Op: "QUANTIZE", Config: cfg, Oracle: o, build: cfg.build}
	if cfg.Ties != nil {
		n := numElements(cfg.Shape)
		start, step := cfg.Ties[0], cfg.Ties[1]
		c.inputs = func() [][]byte {
			v := make([]float32, n)
			for k := range v {
				v[k] = start + float32(float32(k)*step) // no fused multiply-add
			}
			return [][]byte{modelbuilder.Float32Bytes(v)}
		}
	}
	return c
}

// tiesNear returns n float32 values x with x/scale within a few ulps of
// k + 0.5, walking k from k0: the neighbourhood where dividing in float
// and multiplying by 1/scale can round differently.
func tiesNear(scale float32, k0, n int) []float32 {
	out := make([]float32, 0, n)
	for k := k0; len(out) < n; k++ {
		x := (float32(k) + 0.5) * scale
		out = append(out, math.Nextafter32(x, float32(math.Inf(-1))), x, math.Nextafter32(x, float32(math.Inf(1))))
	}
	return out[:n]
}

// rank7 pads a shape with leading 1s to rank 7: XNNPACK takes tensors of
// rank 6 at most, so TFLite's builtin kernel computes such a case.
func rank7(shape ...int) []int {
	out := []int{1, 1, 1, 1, 1, 1, 1}
	copy(out[7-len(shape):], shape)
	return out
}

const (
	xnnpackTies    = "reference by XNNPACK, which rounds ties to even where TFLite's reference AffineQuantize rounds them away from zero (the _builtin twin of this case, run by TFLite's QUANTIZE kernel, is bit-exact): differences of one unit at ties only"
	xnnpackRequant = "reference by XNNPACK, whose requantization arithmetic differs from TFLite's reference Requantize (the _builtin twin, run by TFLite's QUANTIZE kernel, is bit-exact): differences of one unit at rounding ties"
	builtinNote    = "rank 7 keeps the node away from XNNPACK (6-D at most): TFLite's builtin QUANTIZE kernel computes the reference"
)

func offByOne(c *Case, note string) *Case {
	c.OffByOne, c.Note = true, note
	return c
}

func noted(c *Case, note string) *Case {
	c.Note = note
	return c
}

func quantizeCases() []*Case {
	f32, i8, u8, i16, i32 := typeName(core.Float32), typeName(core.Int8), typeName(core.Uint8), typeName(core.Int16), typeName(core.Int32)
	cs := []*Case{
		quantizeCase("f32_i8_clamp", QuantizeConfig{InType: f32, OutType: i8, Shape: []int{2, 3, 5}, Quant: perTensor(0.02, -3)}, floatRange(-3, 3)),
		quantizeCase("f32_u8", QuantizeConfig{InType: f32, OutType: u8, Shape: []int{4, 7}, Quant: perTensor(1.0/255, 127)}, defaultOracle),
		quantizeCase("f32_u8_clamp", QuantizeConfig{InType: f32, OutType: u8, Shape: []int{33}, Quant: perTensor(0.0173, 3)}, floatRange(-1, 5)),
		quantizeCase("f32_i16", QuantizeConfig{InType: f32, OutType: i16, Shape: []int{3, 9}, Quant: perTensor(3.0517578e-5, 0)}, floatRange(-1.2, 1.2)),
		quantizeCase("f32_i16_zero_point", QuantizeConfig{InType: f32, OutType: i16, Shape: []int{19}, Quant: perTensor(0.0013, 5)}, floatRange(-50, 50)),
		// Exact ties (power-of-two scales): TFLite's reference rounds
		// them away from zero.
		offByOne(quantizeCase("f32_i8_ties", QuantizeConfig{InType: f32, OutType: i8, Shape: []int{189}, Quant: perTensor(0.5, 1), Ties: []float32{-70, 0.75}}, defaultOracle), xnnpackTies),
		offByOne(quantizeCase("f32_u8_ties", QuantizeConfig{InType: f32, OutType: u8, Shape: []int{121}, Quant: perTensor(0.25, 100), Ties: []float32{-26, 0.625}}, defaultOracle), xnnpackTies),
		noted(quantizeCase("f32_i8_ties_builtin", QuantizeConfig{InType: f32, OutType: i8, Shape: rank7(7, 27), Quant: perTensor(0.5, 1), Ties: []float32{-70, 0.75}}, defaultOracle), builtinNote),
		noted(quantizeCase("f32_u8_ties_builtin", QuantizeConfig{InType: f32, OutType: u8, Shape: rank7(11, 11), Quant: perTensor(0.25, 100), Ties: []float32{-26, 0.625}}, defaultOracle), builtinNote),
		noted(quantizeCase("f32_i8_clamp_builtin", QuantizeConfig{InType: f32, OutType: i8, Shape: rank7(2, 3, 5), Quant: perTensor(0.02, -3)}, floatRange(-3, 3)), builtinNote),
		noted(quantizeCase("f32_u8_builtin", QuantizeConfig{InType: f32, OutType: u8, Shape: rank7(4, 7), Quant: perTensor(1.0/255, 127)}, defaultOracle), builtinNote),
		quantizeCase("f32_i16_ties", QuantizeConfig{InType: f32, OutType: i16, Shape: []int{81}, Quant: perTensor(1.0/1024, 0), Ties: []float32{-40, 2049.0 / 2048}}, defaultOracle),
		// Per-channel (QUANTIZE version 3) runs on TFLite's reference
		// PerChannelQuantize.
		quantizeCase("f32_i8_per_channel_axis0", QuantizeConfig{InType: f32, OutType: i8, Shape: []int{3, 5}, Quant: QuantParams{Scales: []float32{0.01, 0.05, 0.2}, ZeroPoints: []int64{0, -10, 10}, Axis: 0}}, floatRange(-2, 2)),
		quantizeCase("f32_i8_per_channel_axis2", QuantizeConfig{InType: f32, OutType: i8, Shape: []int{2, 3, 4}, Quant: QuantParams{Scales: []float32{0.011, 0.007, 0.5, 0.25}, ZeroPoints: []int64{1, 2, 3, -4}, Axis: 2}}, floatRange(-2, 2)),
		quantizeCase("f32_u8_per_channel_axis1", QuantizeConfig{InType: f32, OutType: u8, Shape: []int{2, 3, 2}, Quant: QuantParams{Scales: []float32{0.01, 0.02, 0.03}, ZeroPoints: []int64{128, 0, 255}, Axis: 1}}, defaultOracle),
		quantizeCase("f32_i16_per_channel", QuantizeConfig{InType: f32, OutType: i16, Shape: []int{2, 7}, Quant: QuantParams{Scales: []float32{1e-4, 3e-5}, ZeroPoints: []int64{0, 0}, Axis: 0}}, defaultOracle),
		quantizeCase("f32_i8_per_channel_ties", QuantizeConfig{InType: f32, OutType: i8, Shape: []int{2, 24}, Quant: QuantParams{Scales: []float32{0.5, 0.25}, ZeroPoints: []int64{0, -1}, Axis: 0}, Ties: []float32{-3, 0.125}}, defaultOracle),
		// Integer requantization (reference_ops::Requantize).
		quantizeCase("i8_i8", QuantizeConfig{InType: i8, OutType: i8, Shape: []int{4, 8}, InQuant: ptr(perTensor(0.05, 3)), Quant: perTensor(0.03, -7)}, defaultOracle),
		noted(quantizeCase("i8_i8_builtin", QuantizeConfig{InType: i8, OutType: i8, Shape: rank7(4, 8), InQuant: ptr(perTensor(0.05, 3)), Quant: perTensor(0.03, -7)}, defaultOracle), builtinNote),
		quantizeCase("u8_i8_shift", QuantizeConfig{InType: u8, OutType: i8, Shape: []int{20}, InQuant: ptr(perTensor(0.1, 128)), Quant: perTensor(0.1, 0)}, defaultOracle),
		quantizeCase("i8_u8", QuantizeConfig{InType: i8, OutType: u8, Shape: []int{3, 7}, InQuant: ptr(perTensor(0.02, -1)), Quant: perTensor(0.045, 120)}, defaultOracle),
		offByOne(quantizeCase("u8_u8", QuantizeConfig{InType: u8, OutType: u8, Shape: []int{25}, InQuant: ptr(perTensor(0.7, 10)), Quant: perTensor(0.2, 133)}, defaultOracle), xnnpackRequant),
		noted(quantizeCase("u8_u8_builtin", QuantizeConfig{InType: u8, OutType: u8, Shape: rank7(5, 5), InQuant: ptr(perTensor(0.7, 10)), Quant: perTensor(0.2, 133)}, defaultOracle), builtinNote),
		quantizeCase("i16_i8", QuantizeConfig{InType: i16, OutType: i8, Shape: []int{2, 9}, InQuant: ptr(perTensor(1e-4, 0)), Quant: perTensor(0.01, 2)}, intRange(-32768, 32767)),
		quantizeCase("i16_i16", QuantizeConfig{InType: i16, OutType: i16, Shape: []int{15}, InQuant: ptr(perTensor(2e-4, 0)), Quant: perTensor(3e-4, 0)}, intRange(-32768, 32767)),
		quantizeCase("i32_i16", QuantizeConfig{InType: i32, OutType: i16, Shape: []int{12}, InQuant: ptr(perTensor(1e-3, 0)), Quant: perTensor(0.5, 0)}, intRange(-100000, 100000)),
	}
	// Float division vs multiplication by 1/scale near ties, non-power-of-2
	// scale.
	near := tiesNear(0.1, -20, 120)
	for _, builtin := range []bool{false, true} {
		cfg := QuantizeConfig{InType: f32, OutType: i8, Shape: []int{len(near)}, Quant: perTensor(0.1, 0)}
		c := &Case{Name: "quantize_f32_i8_near_ties", Op: "QUANTIZE", Oracle: defaultOracle,
			Note: "crafted input: (k+0.5)*0.1 in float32 for k from -20, and the float32 values either side; " + xnnpackTies, OffByOne: true}
		if builtin {
			cfg.Shape = rank7(2, 60)
			c.Name += "_builtin"
			c.Note, c.OffByOne = "crafted input as quantize_f32_i8_near_ties; "+builtinNote, false
		}
		c.Config, c.build = cfg, cfg.build
		c.inputs = func() [][]byte { return [][]byte{modelbuilder.Float32Bytes(near)} }
		cs = append(cs, c)
	}
	// Per channel, TFLite's PerChannelQuantize divides in float (unlike the
	// per-tensor kernel, which divides in double).
	cfg := QuantizeConfig{InType: f32, OutType: i8, Shape: []int{2, 60}, Quant: QuantParams{Scales: []float32{0.1, 0.1}, ZeroPoints: []int64{0, 3}, Axis: 0}}
	c := &Case{Name: "quantize_f32_i8_per_channel_near_ties", Op: "QUANTIZE", Oracle: defaultOracle, Config: cfg, build: cfg.build,
		Note: "crafted input as quantize_f32_i8_near_ties"}
	c.inputs = func() [][]byte { return [][]byte{modelbuilder.Float32Bytes(near)} }
	cs = append(cs, c)
	return cs
}

func ptr[T any](v T) *T { return &v }
