package cases

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// qspatialCases are the quantized conformance cases of the spatial kernels.
func qspatialCases() []*Case {
	var out []*Case
	out = append(out, spQPoolCases()...)
	out = append(out, spQReduceCases()...)
	out = append(out, spQConcatCases()...)
	out = append(out, spQMoveCases()...)
	out = append(out, spQShapeCases()...)
	out = append(out, spQBatchMatMulCases()...)
	return out
}

// spQVersion is the op version TFLite's op_version.cc gives a pooling or
// reduction of the type (uint8 1, int8 2, int16 3).
func spQVersion(t core.TensorType) int {
	switch t {
	case core.Int8:
		return 2
	case core.Int16:
		return 3
	}
	return 1
}

// QPoolConfig is a quantized MAX_POOL_2D or AVERAGE_POOL_2D case (input and
// output share their parameters, as TFLite requires).
type QPoolConfig struct {
	PoolConfig
	Type  string      `json:"type"`
	Quant QuantParams `json:"quant"`
}

func (c QPoolConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	act, ok := tflite.EnumValuesActivationFunctionType[c.Activation]
	if !ok {
		return fmt.Errorf("unknown activation %q", c.Activation)
	}
	pad, ok := tflite.EnumValuesPadding[c.Padding]
	if !ok {
		return fmt.Errorf("unknown padding %q", c.Padding)
	}
	code := tflite.BuiltinOperatorMAX_POOL_2D
	if c.Op == "AVERAGE_POOL_2D" {
		code = tflite.BuiltinOperatorAVERAGE_POOL_2D
	}
	g := b.Main()
	x := g.Tensor("x", typ, c.Shape, c.Quant.option())
	out := []int{c.Shape[0], poolOutSize(c.Padding, c.Shape[1], c.Filter[0], c.Stride[0]), poolOutSize(c.Padding, c.Shape[2], c.Filter[1], c.Stride[1]), c.Shape[3]}
	y := g.Tensor("y", typ, out, c.Quant.option())
	g.OpVersion(code, spQVersion(typ), []int{x}, []int{y}, &tflite.Pool2DOptionsT{
		Padding: pad, StrideH: int32(c.Stride[0]), StrideW: int32(c.Stride[1]),
		FilterHeight: int32(c.Filter[0]), FilterWidth: int32(c.Filter[1]), FusedActivationFunction: act,
	})
	g.Inputs(x)
	g.Outputs(y)
	return nil
}

func spQPoolCase(op string, typ core.TensorType, q QuantParams, shape []int, fh, fw, sh, sw int, padding, act string) *Case {
	cfg := QPoolConfig{
		PoolConfig: PoolConfig{Op: op, Shape: shape, Filter: [2]int{fh, fw}, Stride: [2]int{sh, sw}, Padding: padding, Activation: act},
		Type:       typeName(typ), Quant: q,
	}
	short := map[string]string{"MAX_POOL_2D": "maxpool", "AVERAGE_POOL_2D": "avgpool"}[op]
	name := fmt.Sprintf("q_sp_%s_%s_%s_f%dx%d_s%dx%d_%s_%s_zp%s", short, typeShort(typ), shapeName(shape), fh, fw, sh, sw,
		strings.ToLower(padding), strings.ToLower(act), strings.ReplaceAll(strconv.FormatInt(q.ZeroPoints[0], 10), "-", "m"))
	o := defaultOracle
	if typ == core.Int16 {
		o = intRange(-32768, 32767)
	}
	return &Case{Name: name, Op: op, Config: cfg, Oracle: o, build: cfg.build}
}

func spQPoolCases() []*Case {
	var out []*Case
	for _, op := range []string{"AVERAGE_POOL_2D", "MAX_POOL_2D"} {
		for _, tq := range []struct {
			t core.TensorType
			q QuantParams
		}{
			{core.Uint8, perTensor(0.0235, 128)},
			{core.Uint8, perTensor(0.0078125, 3)},
			{core.Int8, perTensor(0.0123, -7)},
			{core.Int8, perTensor(0.05, 5)},
			{core.Int16, perTensor(1.0/4096, 0)},
		} {
			out = append(out,
				spQPoolCase(op, tq.t, tq.q, []int{1, 5, 5, 3}, 2, 2, 2, 2, "VALID", "NONE"),
				spQPoolCase(op, tq.t, tq.q, []int{1, 7, 6, 2}, 3, 3, 1, 1, "SAME", "RELU"),
				spQPoolCase(op, tq.t, tq.q, []int{2, 5, 7, 3}, 2, 3, 1, 2, "SAME", "RELU6"),
				spQPoolCase(op, tq.t, tq.q, []int{1, 4, 4, 2}, 3, 3, 3, 3, "SAME", "RELU_N1_TO_1"),
				spQPoolCase(op, tq.t, tq.q, []int{1, 9, 8, 2}, 3, 1, 2, 3, "VALID", "NONE"),
			)
		}
	}
	// mobilenet_v1's average pool: 4x4 window over the whole 4x4 map.
	out = append(out,
		spQPoolCase("AVERAGE_POOL_2D", core.Uint8, perTensor(0.0235, 0), []int{1, 4, 4, 16}, 4, 4, 2, 2, "VALID", "NONE"),
		spQPoolCase("AVERAGE_POOL_2D", core.Int8, perTensor(0.02, -128), []int{1, 3, 3, 8}, 3, 3, 1, 1, "VALID", "NONE"),
	)
	return out
}

// QReduceConfig is a quantized MEAN, SUM, REDUCE_MAX or REDUCE_MIN case.
type QReduceConfig struct {
	Op       string      `json:"op"`
	Type     string      `json:"type"`
	Shape    []int       `json:"shape"`
	Axes     []int       `json:"axes"`
	KeepDims bool        `json:"keep_dims"`
	In       QuantParams `json:"in"`
	Out      QuantParams `json:"out"`
	// AxisInput makes the axis a model input (crafted data): the oracle's
	// XNNPACK then leaves the op to TFLite's builtin kernel.
	AxisInput bool `json:"axis_input,omitempty"`
}

func (c QReduceConfig) outShape() []int {
	return ReduceConfig{Shape: c.Shape, Axes: c.Axes, KeepDims: c.KeepDims}.outShape()
}

func (c QReduceConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	code, ok := reduceCodes[c.Op]
	if !ok {
		return fmt.Errorf("unknown reduce op %q", c.Op)
	}
	g := b.Main()
	x := g.Tensor("x", typ, c.Shape, c.In.option())
	var axis int
	if c.AxisInput {
		axis = g.Tensor("axis", core.Int32, []int{len(c.Axes)})
	} else {
		axis = g.ConstInt32("axis", []int{len(c.Axes)}, axisData(c.Axes))
	}
	y := g.Tensor("y", typ, c.outShape(), c.Out.option())
	v := spQVersion(typ)
	if c.Op == "SUM" && v > 2 {
		v = 2
	}
	g.OpVersion(code, v, []int{x, axis}, []int{y}, &tflite.ReducerOptionsT{KeepDims: c.KeepDims})
	if c.AxisInput {
		g.Inputs(x, axis)
	} else {
		g.Inputs(x)
	}
	g.Outputs(y)
	return nil
}

func spQReduceCase(op string, typ core.TensorType, shape, axes []int, keep bool, in, outQ QuantParams) *Case {
	cfg := QReduceConfig{Op: op, Type: typeName(typ), Shape: shape, Axes: axes, KeepDims: keep, In: in, Out: outQ}
	parts := make([]string, len(axes))
	for i, a := range axes {
		parts[i] = strings.ReplaceAll(strconv.Itoa(a), "-", "m")
	}
	name := fmt.Sprintf("q_sp_%s_%s_%s_axes%s", strings.ToLower(op), typeShort(typ), shapeName(shape), strings.Join(parts, "_"))
	if keep {
		name += "_keep"
	}
	zp := func(v int64) string { return strings.ReplaceAll(strconv.FormatInt(v, 10), "-", "m") }
	if in.Scales[0] == outQ.Scales[0] && in.ZeroPoints[0] == outQ.ZeroPoints[0] {
		name += "_same_zp" + zp(in.ZeroPoints[0])
	} else {
		dir := "up"
		if outQ.Scales[0] > in.Scales[0] {
			dir = "down"
		}
		name += fmt.Sprintf("_rescale%s_zp%s_%s", dir, zp(in.ZeroPoints[0]), zp(outQ.ZeroPoints[0]))
	}
	o := defaultOracle
	if typ == core.Int16 {
		o = intRange(-3000, 3000)
	}
	c := &Case{Name: name, Op: op, Config: cfg, Oracle: o, build: cfg.build}
	hw := len(shape) == 4 && len(axes) == 2 && ((axes[0] == 1 && axes[1] == 2) || (axes[0] == 2 && axes[1] == 1))
	if op == "MEAN" && typ != core.Int16 && hw {
		twin := *c
		tcfg := cfg
		tcfg.AxisInput = true
		twin.Name += "_axisinput"
		twin.Config = tcfg
		twin.build = tcfg.build
		twin.inputs = func() [][]byte { return [][]byte{nil, modelbuilder.Int32Bytes(axisData(axes))} }
		twin.OffByOne, twin.Note = false, "axis as a model input: TFLite's builtin MEAN computes the reference (exact)"
		if typ == core.Int8 && keep {
			twin.Note = "axis as a model input: TFLite's builtin MEAN computes the reference (exact). It is MEAN_OPT " +
				"(optimized_integer_ops::Mean: truncated float bias, 1/count in the multiplier, half-up rounding on " +
				"16-channel blocks), registered wherever USE_NEON is defined, which includes x86 with SSE4.1 (NEON_2_SSE) " +
				"and the oracle's wasm build; the native x86 Coral reference of tf2_mobilenet_v2 needs it too"
		}
		spQTwins = append(spQTwins, &twin)
		c.OffByOne = true
		c.Note = "the oracle's XNNPACK computes 8-bit MEAN over height and width (requantizing through fp32); " +
			"Edgelite follows TFLite's reference kernel (reference_ops::Mean for UINT8, " +
			"reference_integer_ops::Mean for INT8 with keep_dims; the truncating or float path otherwise)"
	}
	return c
}

// spQTwins collects the axis-input twins spQReduceCase makes.
var spQTwins []*Case

func spQReduceCases() []*Case {
	spQTwins = nil
	var out []*Case
	u8, i8, i16 := core.Uint8, core.Int8, core.Int16
	type qq struct {
		t       core.TensorType
		in, out QuantParams
	}
	grid := []qq{
		{u8, perTensor(0.0235, 128), perTensor(0.0235, 128)},
		{u8, perTensor(0.0235, 128), perTensor(0.0123, 3)},
		{u8, perTensor(0.02, 0), perTensor(0.0078125, 131)},
		{i8, perTensor(0.0123, -7), perTensor(0.0123, -7)},
		{i8, perTensor(0.0123, -7), perTensor(0.0078125, 3)},
		{i8, perTensor(0.05, -128), perTensor(0.0213, 9)},
		{i16, perTensor(1.0/4096, 0), perTensor(1.0/4096, 0)},
		{i16, perTensor(1.0/4096, 0), perTensor(0.0003, 0)},
		{i16, perTensor(0.0003, 0), perTensor(1.0/4096, 0)},
	}
	for _, g := range grid {
		out = append(out,
			// TFLite's 4-D height/width special case, both axis orders.
			spQReduceCase("MEAN", g.t, []int{1, 5, 4, 6}, []int{1, 2}, true, g.in, g.out),
			spQReduceCase("MEAN", g.t, []int{2, 3, 7, 3}, []int{2, 1}, true, g.in, g.out),
			// The same axes without keep_dims, negative axes: general paths.
			spQReduceCase("MEAN", g.t, []int{1, 5, 4, 6}, []int{1, 2}, false, g.in, g.out),
			spQReduceCase("MEAN", g.t, []int{2, 3, 7, 3}, []int{-3, -2}, true, g.in, g.out),
			spQReduceCase("MEAN", g.t, []int{3, 4, 5}, []int{2}, false, g.in, g.out),
			spQReduceCase("MEAN", g.t, []int{3, 4, 5}, []int{0, 2}, true, g.in, g.out),
		)
		same := g.in.Scales[0] == g.out.Scales[0] && g.in.ZeroPoints[0] == g.out.ZeroPoints[0]
		if same || g.t != i16 {
			// TFLite's INT16 SUM requires equal parameters.
			out = append(out,
				spQReduceCase("SUM", g.t, []int{3, 4, 5}, []int{1}, false, g.in, g.out),
				spQReduceCase("SUM", g.t, []int{2, 3, 4}, []int{0, 2}, true, g.in, g.out),
			)
		}
		if same {
			out = append(out,
				spQReduceCase("REDUCE_MAX", g.t, []int{3, 4, 5}, []int{1}, false, g.in, g.out),
				spQReduceCase("REDUCE_MIN", g.t, []int{2, 3, 4}, []int{0, 2}, true, g.in, g.out),
			)
		}
	}
	// tf2_mobilenet_v2's MEAN: int8 over 7x7 with keep_dims (smaller depth).
	out = append(out, spQReduceCase("MEAN", i8, []int{1, 7, 7, 16}, []int{1, 2}, true, perTensor(0.0235, -128), perTensor(0.0106, -128)))
	return append(out, spQTwins...)
}
