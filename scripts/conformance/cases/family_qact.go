package cases

import (
	"fmt"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// qactCases are the conformance cases of the remaining quantized
// activation and elementwise kernels (prefix qa_): int16 LOGISTIC/TANH
// (version 3), int16 SOFTMAX (3), int8 LOG_SOFTMAX (2), int8 ELU (1),
// int8/uint8 GELU (2), quantized REDUCE_PROD (2), ABS (2-4), int8 RSQRT
// (2), RELU_0_TO_1 (1) and uint8 DIV (1-2). int16 uses zero point 0.
// executed_node_types in each case.json says which kernel made the
// reference: TFLite's builtin kernels for all but the three rank-2 ELU
// cases, which XNNPACK ran (their rank-7 _builtin twins have the same
// inputs). Every case is bit-exact; none needs OffByOne.
func qactCases() []*Case {
	var out []*Case
	out = append(out, qactAct16Cases()...)
	out = append(out, qactRowCases()...)
	out = append(out, qactLUT8Cases()...)
	out = append(out, qactProdCases()...)
	out = append(out, qactMiscUnaryCases()...)
	out = append(out, qactDivCases()...)
	return out
}

const qactBuiltinNote = "TFLite's builtin kernel computes the reference (executed_node_types)"

// QActUnaryConfig is a one-input quantized activation case.
type QActUnaryConfig struct {
	Op          string      `json:"op"`
	Type        string      `json:"type"`
	Shape       []int       `json:"shape"`
	Approximate bool        `json:"approximate,omitempty"`
	Quant       QuantParams `json:"quant"`
	QuantOut    QuantParams `json:"quant_out"`
	Version     int         `json:"version"`
}

func (c QActUnaryConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	code, ok := tflite.EnumValuesBuiltinOperator[c.Op]
	if !ok {
		return fmt.Errorf("unknown op %q", c.Op)
	}
	g := b.Main()
	x := g.Tensor("x", typ, c.Shape, qactQuantOpts(c.Quant)...)
	y := g.Tensor("y", typ, c.Shape, qactQuantOpts(c.QuantOut)...)
	var opts any
	if code == tflite.BuiltinOperatorGELU {
		opts = &tflite.GeluOptionsT{Approximate: c.Approximate}
	}
	g.OpVersion(code, c.Version, []int{x}, []int{y}, opts)
	g.Inputs(x)
	g.Outputs(y)
	return nil
}

// qactQuantOpts gives no quantization for empty parameters (float32, or
// int16 ABS unquantized).
func qactQuantOpts(q QuantParams) []modelbuilder.TensorOption {
	if len(q.Scales) == 0 {
		return nil
	}
	return []modelbuilder.TensorOption{q.option()}
}

func qactUnaryCase(op string, typ core.TensorType, shape []int, version int, q, qo QuantParams, tag string) *Case {
	cfg := QActUnaryConfig{Op: op, Type: typeName(typ), Shape: shape, Quant: q, QuantOut: qo, Version: version}
	name := fmt.Sprintf("qa_%s_%s_%s", strings.ToLower(op), typeShort(typ), shapeName(shape))
	if tag != "" {
		name += "_" + tag
	}
	o := defaultOracle
	if typ == core.Int16 {
		o = intRange(-32768, 32767)
	}
	return &Case{Name: name, Op: op, Config: cfg, Oracle: o, build: cfg.build, Note: qactBuiltinNote}
}

// qactSweep16 gives an int16 input that walks the whole range in steps of
// step (both ends included), for the shape's element count.
func qactSweep16(n, step int) func() [][]byte {
	return func() [][]byte {
		v := make([]int16, n)
		x := -32768
		for i := range v {
			v[i] = int16(min(x, 32767))
			x += step
		}
		return [][]byte{modelbuilder.Int16Bytes(v)}
	}
}

func qactAct16Cases() []*Case {
	i16 := core.Int16
	o := perTensor(1.0/32768, 0)
	var cs []*Case
	for _, op := range []string{"LOGISTIC", "TANH"} {
		type sc struct {
			scale float32
			tag   string
		}
		scales := []sc{
			{1.0 / 4096, "pot"},       // gemmlowp path
			{1.0 / 1024, "pot_wide"},  // power of two, table path
			{1.0 / 16384, "pot_fine"}, // power of two, table path
			{0.0007, "awkward"},
			{1.0 / 3000, "third"},
			{0.01, "saturating"},
		}
		if op == "TANH" {
			scales = append(scales, sc{1.0 / 2048, "pot_shift1"}) // gemmlowp with a doubling
		}
		for _, s := range scales {
			cs = append(cs, qactUnaryCase(op, i16, []int{8, 64}, 3, perTensor(s.scale, 0), o, s.tag))
		}
		// Sweeps of the whole input range through both paths.
		for _, s := range []sc{{1.0 / 4096, "pot_sweep"}, {0.0007, "awkward_sweep"}} {
			c := qactUnaryCase(op, i16, []int{9363}, 3, perTensor(s.scale, 0), o, s.tag)
			c.inputs = qactSweep16(9363, 7)
			cs = append(cs, c)
		}
	}
	c := qactUnaryCase("TANH", i16, []int{9363}, 3, perTensor(1.0/2048, 0), o, "pot_shift1_sweep")
	c.inputs = qactSweep16(9363, 7)
	return append(cs, c)
}

func qactRowCase(op string, it, ot core.TensorType, shape []int, version int, beta float32, q, qo QuantParams, tag string) *Case {
	cfg := QEwRowConfig{Op: op, InType: typeName(it), OutType: typeName(ot), Shape: shape, Beta: beta, Quant: q, QuantOut: qo, Version: version}
	name := fmt.Sprintf("qa_%s_%s_%s_%s", strings.ToLower(op), typeShort(it), typeShort(ot), shapeName(shape))
	if tag != "" {
		name += "_" + tag
	}
	o := defaultOracle
	if it == core.Int16 {
		o = intRange(-32768, 32767)
	}
	return &Case{Name: name, Op: op, Config: cfg, Oracle: o, build: cfg.build, Note: qactBuiltinNote}
}

func qactRowCases() []*Case {
	i8, i16 := core.Int8, core.Int16
	o16 := perTensor(1.0/32768, 0)
	const sm = "SOFTMAX"
	cs := []*Case{
		qactRowCase(sm, i16, i16, []int{3, 10}, 3, 1, perTensor(0.0005, 0), o16, ""),
		qactRowCase(sm, i16, i16, []int{2, 4, 33}, 3, 1, perTensor(1.0/4096, 0), o16, "pot"),
		qactRowCase(sm, i16, i16, []int{1, 2, 3, 40}, 3, 0.5, perTensor(0.00031, 0), o16, "beta"),
		qactRowCase(sm, i16, i16, []int{4, 16}, 3, 1.7, perTensor(0.01, 0), o16, "saturating"),
		qactRowCase(sm, i16, i16, []int{300}, 3, 1, perTensor(1.0/32768, 0), o16, "flat"),
		qactRowCase(sm, i16, i16, []int{2, 1000}, 3, 1, perTensor(0.002, 0), o16, "long"),
	}
	ol := perTensor(16.0/256, 127)
	const ls = "LOG_SOFTMAX"
	cs = append(cs,
		qactRowCase(ls, i8, i8, []int{3, 10}, 2, 0, perTensor(0.1, -7), ol, ""),
		qactRowCase(ls, i8, i8, []int{2, 2, 33}, 2, 0, perTensor(0.0123, 100), ol, "odd_zp"),
		qactRowCase(ls, i8, i8, []int{4, 6}, 2, 0, perTensor(0.5, 0), ol, "wide"),
		qactRowCase(ls, i8, i8, []int{1, 300}, 2, 0, perTensor(0.03, -128), ol, "long"),
	)
	return cs
}

func qactLUT8Cases() []*Case {
	i8, u8 := core.Int8, core.Uint8
	var cs []*Case
	// ELU (int8 only, version 1): XNNPACK may take rank <= 6.
	for _, c := range []struct {
		qi, qo QuantParams
		tag    string
	}{
		{perTensor(0.05, 10), perTensor(0.03, -60), ""},
		{perTensor(0.0123, -3), perTensor(0.0079, 5), "fine"},
		{perTensor(0.2, 0), perTensor(0.05, -100), "saturating"},
	} {
		cs = append(cs,
			noted(qactUnaryCase("ELU", i8, []int{16, 16}, 1, c.qi, c.qo, c.tag),
				"reference by XNNPACK (executed_node_types); bit-exact here, as is the _builtin twin with the same inputs"),
			qactUnaryCase("ELU", i8, rank7(16, 16), 1, c.qi, c.qo, strings.TrimPrefix(c.tag+"_builtin", "_")),
		)
	}
	// GELU (version 2), exact and tanh forms.
	for _, c := range []struct {
		typ    core.TensorType
		approx bool
		qi, qo QuantParams
		tag    string
	}{
		{i8, false, perTensor(0.04, -5), perTensor(0.03, -60), ""},
		{i8, true, perTensor(0.04, -5), perTensor(0.03, -60), "approx"},
		{i8, false, perTensor(0.0123, 20), perTensor(0.011, -110), "fine"},
		{u8, false, perTensor(0.05, 128), perTensor(0.04, 30), ""},
		{u8, true, perTensor(0.05, 128), perTensor(0.04, 30), "approx"},
		{u8, false, perTensor(0.1, 90), perTensor(0.05, 7), "wide"},
		// Scales where the erf form of the transform (the oracle's) and the
		// later erfc form round one entry differently.
		{i8, false, perTensor(0.016126856, 0), perTensor(0.023978224, 0), "form_check"},
		{i8, false, perTensor(0.018350344, 0), perTensor(0.005348768, 0), "form_check2"},
	} {
		for _, shape := range [][]int{{16, 16}, rank7(16, 16)} {
			tag := c.tag
			if len(shape) == 7 {
				tag = strings.TrimPrefix(tag+"_builtin", "_")
			}
			uc := qactUnaryCase("GELU", c.typ, shape, 2, c.qi, c.qo, tag)
			cfg := uc.Config.(QActUnaryConfig)
			cfg.Approximate = c.approx
			uc.Config, uc.build = cfg, cfg.build
			cs = append(cs, uc)
		}
	}
	return cs
}

// QActProdConfig is a quantized REDUCE_PROD case (axis as a constant).
type QActProdConfig struct {
	Type     string      `json:"type"`
	Shape    []int       `json:"shape"`
	Axis     []int32     `json:"axis"`
	KeepDims bool        `json:"keep_dims"`
	Quant    QuantParams `json:"quant"`
	QuantOut QuantParams `json:"quant_out"`
	Version  int         `json:"version"`
}

func (c QActProdConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	g := b.Main()
	x := g.Tensor("x", typ, c.Shape, c.Quant.option())
	ax := g.ConstInt32("axis", []int{len(c.Axis)}, c.Axis)
	y := g.Tensor("y", typ, qactReducedShape(c.Shape, c.Axis, c.KeepDims), c.QuantOut.option())
	g.OpVersion(tflite.BuiltinOperatorREDUCE_PROD, c.Version, []int{x, ax}, []int{y}, &tflite.ReducerOptionsT{KeepDims: c.KeepDims})
	g.Inputs(x)
	g.Outputs(y)
	return nil
}

func qactReducedShape(shape []int, axis []int32, keep bool) []int {
	red := make([]bool, len(shape))
	for _, a := range axis {
		if a < 0 {
			a += int32(len(shape))
		}
		red[a] = true
	}
	var out []int
	for i, d := range shape {
		switch {
		case !red[i]:
			out = append(out, d)
		case keep:
			out = append(out, 1)
		}
	}
	return out
}

func qactProdCase(typ core.TensorType, shape []int, axis []int32, keep bool, q, qo QuantParams, tag string) *Case {
	cfg := QActProdConfig{Type: typeName(typ), Shape: shape, Axis: axis, KeepDims: keep, Quant: q, QuantOut: qo, Version: 2}
	name := fmt.Sprintf("qa_reduce_prod_%s_%s", typeShort(typ), shapeName(shape))
	if tag != "" {
		name += "_" + tag
	}
	o := defaultOracle
	if typ == core.Int16 {
		o = intRange(-32768, 32767)
	}
	return &Case{Name: name, Op: "REDUCE_PROD", Config: cfg, Oracle: o, build: cfg.build, Note: qactBuiltinNote}
}

func qactProdCases() []*Case {
	i8, i16 := core.Int8, core.Int16
	// Scales keep most products inside the output range; one case
	// saturates.
	return []*Case{
		qactProdCase(i8, []int{4, 3}, []int32{1}, false, perTensor(0.05, 0), perTensor(1, 3), "last"),
		qactProdCase(i8, []int{2, 3, 4}, []int32{0, 2}, true, perTensor(0.01, -5), perTensor(0.0005, 10), "two_axes"),
		qactProdCase(i8, []int{5, 2}, []int32{0}, false, perTensor(0.02, 7), perTensor(0.05, -20), "first"),
		qactProdCase(i8, []int{2, 1, 3}, []int32{1, 2}, false, perTensor(0.03, 1), perTensor(0.004, -3), "unit_dim"),
		qactProdCase(i8, []int{3, 2, 2}, []int32{-1}, false, perTensor(0.9, 0), perTensor(0.7, 0), "saturating"),
		qactProdCase(i16, []int{4, 3}, []int32{1}, false, perTensor(1.0/32768, 0), perTensor(1.0/40000, 0), "last"),
		qactProdCase(i16, []int{2, 3, 2}, []int32{1, 2}, true, perTensor(0.00005, 0), perTensor(0.0001, 0), "two_axes"),
		qactProdCase(i16, []int{3, 4}, []int32{0}, false, perTensor(0.0003, 0), perTensor(0.0007, 0), "first"),
	}
}

// qactRange8 gives an 8-bit input of n values cycling through [lo, hi].
func qactRange8(n int, lo, hi int) func() [][]byte {
	return func() [][]byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(lo + i%(hi-lo+1))
		}
		return [][]byte{b}
	}
}

// qactMiscUnaryCases: ABS (int8 v2, int16 v3 and unquantized v4), RSQRT
// (int8 v2) and RELU_0_TO_1 (float32, uint8, int8; v1).
func qactMiscUnaryCases() []*Case {
	i8, u8, i16, f32 := core.Int8, core.Uint8, core.Int16, core.Float32
	cs := []*Case{
		qactUnaryCase("ABS", i8, []int{16, 16}, 2, perTensor(0.05, -7), perTensor(0.03, -100), "rescale"),
		qactUnaryCase("ABS", i8, []int{16, 16}, 2, perTensor(0.05, 9), perTensor(0.05, -128), "same_scale"),
		qactUnaryCase("ABS", i8, []int{16, 16}, 2, perTensor(0.02, -128), perTensor(0.1, 0), "narrowing"),
		qactUnaryCase("ABS", i16, []int{8, 64}, 3, perTensor(0.0007, 0), perTensor(0.0005, 0), "rescale"),
		qactUnaryCase("ABS", i16, []int{8, 64}, 3, perTensor(1.0/4096, 0), perTensor(1.0/4096, 0), "same_scale"),
		qactUnaryCase("ABS", i16, []int{8, 64}, 4, QuantParams{}, QuantParams{}, "plain"),
	}
	// RSQRT needs inputs at or above the zero point.
	for _, c := range []struct {
		qi, qo QuantParams
		lo     int
		tag    string
	}{
		{perTensor(0.05, -20), perTensor(0.02, -128), -20, ""},
		{perTensor(0.0123, 3), perTensor(0.1, -100), 3, "fine"},
		{perTensor(1.5, -128), perTensor(0.003, -50), -128, "coarse"},
	} {
		uc := qactUnaryCase("RSQRT", i8, []int{16, 16}, 2, c.qi, c.qo, c.tag)
		uc.inputs = qactRange8(256, c.lo, 127)
		cs = append(cs, uc)
	}
	for _, c := range []struct {
		typ    core.TensorType
		qi, qo QuantParams
		tag    string
	}{
		{u8, perTensor(0.01, 120), perTensor(0.0045, 10), ""},
		{i8, perTensor(0.0123, -5), perTensor(0.005, -120), ""},
		{i8, perTensor(0.003, 0), perTensor(0.0039, -128), "narrow"},
	} {
		cs = append(cs, qactUnaryCase("RELU_0_TO_1", c.typ, []int{16, 16}, 1, c.qi, c.qo, c.tag))
	}
	fc := qactUnaryCase("RELU_0_TO_1", f32, []int{4, 25}, 1, QuantParams{}, QuantParams{}, "")
	fc.Oracle = floatRange(-2, 2)
	return append(cs, fc)
}

// QActDivConfig is a quantized uint8 DIV case.
type QActDivConfig struct {
	Shape1     []int       `json:"shape1"`
	Shape2     []int       `json:"shape2"`
	Activation string      `json:"activation"`
	Quant1     QuantParams `json:"quant1"`
	Quant2     QuantParams `json:"quant2"`
	QuantOut   QuantParams `json:"quant_out"`
	Version    int         `json:"version"`
}

func (c QActDivConfig) build(b *modelbuilder.Builder) error {
	act, ok := tflite.EnumValuesActivationFunctionType[c.Activation]
	if !ok {
		return fmt.Errorf("unknown activation %q", c.Activation)
	}
	g := b.Main()
	x := g.Tensor("x", core.Uint8, c.Shape1, c.Quant1.option())
	y := g.Tensor("y", core.Uint8, c.Shape2, c.Quant2.option())
	z := g.Tensor("z", core.Uint8, broadcastShape(c.Shape1, c.Shape2), c.QuantOut.option())
	g.OpVersion(tflite.BuiltinOperatorDIV, c.Version, []int{x, y}, []int{z}, &tflite.DivOptionsT{FusedActivationFunction: act})
	g.Inputs(x, y)
	g.Outputs(z)
	return nil
}

// qactDivCase crafts its inputs: the dividends cycle through every
// stored value, the divisors through every value but the zero point (a
// zero divisor is undefined in TFLite's kernel).
func qactDivCase(s1, s2 []int, act string, q1, q2, qo QuantParams, tag string) *Case {
	v := 1
	if !equalShapes(s1, s2) && max(len(s1), len(s2)) > 4 {
		v = 2
	}
	cfg := QActDivConfig{Shape1: s1, Shape2: s2, Activation: act, Quant1: q1, Quant2: q2, QuantOut: qo, Version: v}
	name := fmt.Sprintf("qa_div_u8_%s_%s_%s", shapeName(s1), shapeName(s2), strings.ToLower(act))
	if tag != "" {
		name += "_" + tag
	}
	zp2 := int(q2.ZeroPoints[0])
	inputs := func() [][]byte {
		a := make([]byte, numElements(s1))
		for i := range a {
			a[i] = byte(i * 7)
		}
		b := make([]byte, numElements(s2))
		for i := range b {
			d := (i*13 + 5) % 255
			if d >= zp2 {
				d++
			}
			b[i] = byte(d)
		}
		return [][]byte{a, b}
	}
	return &Case{Name: name, Op: "DIV", Config: cfg, Oracle: defaultOracle, build: cfg.build, inputs: inputs,
		Note: qactBuiltinNote + "; the oracle's XNNPACK takes float DIV only"}
}

func qactDivCases() []*Case {
	return []*Case{
		qactDivCase([]int{4, 64}, []int{4, 64}, "NONE", perTensor(0.02, 128), perTensor(0.0078125, 131), perTensor(0.05, 120), ""),
		qactDivCase([]int{2, 3, 4}, []int{4}, "RELU", perTensor(0.1, 100), perTensor(0.03, 17), perTensor(0.2, 10), ""),
		qactDivCase([]int{3, 5}, []int{3, 1}, "RELU6", perTensor(0.05, 0), perTensor(0.05, 255), perTensor(0.04, 3), ""),
		qactDivCase([]int{16, 16}, []int{16, 16}, "NONE", perTensor(0.001, 128), perTensor(0.5, 128), perTensor(0.01, 0), "small_multiplier"),
		qactDivCase([]int{16, 16}, []int{16, 16}, "RELU_N1_TO_1", perTensor(0.3, 77), perTensor(0.002, 200), perTensor(0.05, 128), "large_multiplier"),
		qactDivCase([]int{2, 1, 3, 1, 2}, []int{1, 2, 1, 4, 1}, "NONE", perTensor(0.02, 128), perTensor(0.01, 100), perTensor(0.03, 128), "rank5"),
	}
}
