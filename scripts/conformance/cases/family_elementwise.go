package cases

import (
	"fmt"
	"math"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// EWTensor is one operand of an elementwise case.
type EWTensor struct {
	Type  string `json:"type"`
	Shape []int  `json:"shape"`
	// Const makes the operand a constant of the model (random data seeded
	// by the case name).
	Const bool `json:"const,omitempty"`
	// From makes the model input of this type and CASTs it to Type first
	// (for types the oracle refuses as model inputs, e.g. INT64).
	From string `json:"from,omitempty"`
}

// ElementwiseConfig is a case of the elementwise family: one op on its
// operands, optionally followed by a CAST of its output (To) so that the
// oracle can return it.
type ElementwiseConfig struct {
	Op      string     `json:"op"`
	Version int        `json:"version"`
	Inputs  []EWTensor `json:"inputs"`
	Output  EWTensor   `json:"output"`
	Options any        `json:"options,omitempty"`
	To      string     `json:"to,omitempty"`
}

func (c ElementwiseConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		code, ok := tflite.EnumValuesBuiltinOperator[c.Op]
		if !ok {
			return fmt.Errorf("unknown op %q", c.Op)
		}
		g := b.Main()
		r := seedOf(name)
		var ins, modelIns []int
		for i, t := range c.Inputs {
			typ, err := typeByName(t.Type)
			if err != nil {
				return err
			}
			tname := fmt.Sprintf("in%d", i)
			switch {
			case t.Const:
				ins = append(ins, g.Const(tname, typ, t.Shape, randomBytes(r, typ, numElements(t.Shape))))
			case t.From != "":
				from, err := typeByName(t.From)
				if err != nil {
					return err
				}
				src := g.Tensor(tname+"_"+strings.ToLower(t.From), from, t.Shape)
				dst := g.Tensor(tname, typ, t.Shape)
				g.OpVersion(tflite.BuiltinOperatorCAST, castVersion(from, typ), []int{src}, []int{dst}, nil)
				modelIns = append(modelIns, src)
				ins = append(ins, dst)
			default:
				x := g.Tensor(tname, typ, t.Shape)
				modelIns = append(modelIns, x)
				ins = append(ins, x)
			}
		}
		otyp, err := typeByName(c.Output.Type)
		if err != nil {
			return err
		}
		out := g.Tensor("out", otyp, c.Output.Shape)
		g.OpVersion(code, c.Version, ins, []int{out}, c.Options)
		if c.To != "" {
			to, err := typeByName(c.To)
			if err != nil {
				return err
			}
			final := g.Tensor("out_"+strings.ToLower(c.To), to, c.Output.Shape)
			g.OpVersion(tflite.BuiltinOperatorCAST, castVersion(otyp, to), []int{out}, []int{final}, nil)
			out = final
		}
		g.Inputs(modelIns...)
		g.Outputs(out)
		return nil
	}
}

// castVersion follows op_version.cc for CAST.
func castVersion(from, to core.TensorType) int {
	has := func(t core.TensorType) bool { return from == t || to == t }
	switch {
	case has(core.Float64) || has(core.Float16):
		return 5
	case has(core.Uint16):
		return 4
	case has(core.Int8):
		return 3
	case has(core.Uint32):
		return 2
	}
	return 1
}

// ewCase makes a case; name is appended to the lower-case op name.
func ewCase(name string, cfg ElementwiseConfig, o Oracle) *Case {
	if cfg.Version == 0 {
		cfg.Version = 1
	}
	name = strings.ToLower(cfg.Op) + "_" + name
	return &Case{Name: name, Op: cfg.Op, Config: cfg, Oracle: o, build: cfg.build(name)}
}

func tens(t core.TensorType, shape ...int) EWTensor {
	return EWTensor{Type: typeName(t), Shape: shape}
}

func constTens(t core.TensorType, shape ...int) EWTensor {
	e := tens(t, shape...)
	e.Const = true
	return e
}

// unaryCase is a float32 (or typ) op on one input of shape.
func unaryCase(op string, typ core.TensorType, shape []int, opts any, o Oracle, suffix string) *Case {
	name := typeShort(typ) + "_" + shapeName(shape)
	if suffix != "" {
		name += "_" + suffix
	}
	return ewCase(name, ElementwiseConfig{Op: op, Inputs: []EWTensor{tens(typ, shape...)}, Output: tens(typ, shape...), Options: opts}, o)
}

// bcCase is a broadcasting binary op with output type out.
func bcCase(op string, typ, out core.TensorType, s1, s2 []int, version int, opts any, o Oracle, suffix string) *Case {
	name := typeShort(typ) + "_" + shapeName(s1) + "_" + shapeName(s2)
	if suffix != "" {
		name += "_" + suffix
	}
	os := broadcastShape(s1, s2)
	return ewCase(name, ElementwiseConfig{Op: op, Version: version, Inputs: []EWTensor{tens(typ, s1...), tens(typ, s2...)}, Output: tens(out, os...), Options: opts}, o)
}

func f32le(v []float32) []byte { return modelbuilder.Float32Bytes(v) }

func elementwiseCases() []*Case {
	f32, i32, i64, b := core.Float32, core.Int32, core.Int64, core.Bool
	var out []*Case
	add := func(c ...*Case) { out = append(out, c...) }

	// Activations (the ones MediaPipe models use first).
	add(
		unaryCase("LOGISTIC", f32, []int{1, 8, 8, 3}, nil, floatRange(-10, 10), ""),
		unaryCase("LOGISTIC", f32, []int{37}, nil, floatRange(-30, 30), "cutoffs"),
		unaryCase("LOGISTIC", f32, []int{2, 3, 4}, nil, defaultOracle, ""),
		unaryCase("RELU", f32, []int{2, 3, 4, 5}, nil, floatRange(-5, 5), ""),
		unaryCase("RELU", f32, []int{7}, nil, defaultOracle, ""),
		unaryCase("HARD_SWISH", f32, []int{1, 8, 8, 4}, nil, floatRange(-6, 6), ""),
		unaryCase("HARD_SWISH", f32, []int{33}, nil, floatRange(-10, 10), ""),
		unaryCase("RELU6", f32, []int{1, 4, 4, 3}, nil, floatRange(-10, 10), ""),
		unaryCase("RELU_N1_TO_1", f32, []int{3, 5}, nil, floatRange(-3, 3), ""),
		unaryCase("LEAKY_RELU", f32, []int{2, 3, 4}, &tflite.LeakyReluOptionsT{Alpha: 0.2}, floatRange(-5, 5), "a0.2"),
		unaryCase("LEAKY_RELU", f32, []int{17}, &tflite.LeakyReluOptionsT{Alpha: 0.01}, floatRange(-100, 100), "a0.01"),
		unaryCase("LEAKY_RELU", f32, []int{2, 7}, &tflite.LeakyReluOptionsT{Alpha: 2}, floatRange(-5, 5), "a2"),
		unaryCase("LEAKY_RELU", f32, []int{2, 7}, &tflite.LeakyReluOptionsT{Alpha: -0.5}, floatRange(-5, 5), "a-0.5"),
		unaryCase("RELU", f32, []int{3, 1, 5}, nil, floatRange(-1e6, 1e6), "large"),
		unaryCase("TANH", f32, []int{2, 3, 4}, nil, floatRange(-5, 5), ""),
		unaryCase("TANH", f32, []int{1, 5, 5, 2}, nil, defaultOracle, ""),
		unaryCase("ELU", f32, []int{2, 3, 4}, nil, floatRange(-5, 5), ""),
		unaryCase("GELU", f32, []int{2, 3, 4}, &tflite.GeluOptionsT{Approximate: false}, floatRange(-5, 5), "erf"),
		unaryCase("GELU", f32, []int{2, 3, 4}, &tflite.GeluOptionsT{Approximate: true}, floatRange(-5, 5), "tanh"),
		unaryCase("GELU", f32, []int{40}, &tflite.GeluOptionsT{Approximate: false}, floatRange(-12, 12), "erf_wide"),
	)

	// Crafted special values: zeros of both signs, the clamps' and
	// HARD_SWISH's corners, tiny and large magnitudes.
	specials := []float32{0, float32(math.Copysign(0, -1)), 3, -3, 6, -6, 1e-7, -1e-7, 1e4, -1e4, 100, -100, 0.5, -0.5, 9, -9}
	for _, op := range []string{"RELU", "RELU6", "RELU_N1_TO_1", "HARD_SWISH", "LOGISTIC", "TANH", "ELU", "GELU", "ABS", "NEG", "FLOOR", "CEIL", "ROUND", "SQUARE"} {
		var opts any
		if op == "GELU" {
			opts = &tflite.GeluOptionsT{}
		}
		c := unaryCase(op, f32, []int{16}, opts, defaultOracle, "special")
		c.inputs = func() [][]byte { return [][]byte{f32le(specials)} }
		add(c)
	}

	// PRELU: alpha broadcast against the input (MediaPipe: per channel).
	preluCase := func(in, alpha []int, constAlpha bool, suffix string) *Case {
		a := tens(f32, alpha...)
		a.Const = constAlpha
		name := "f32_" + shapeName(in) + "_" + shapeName(alpha)
		if suffix != "" {
			name += "_" + suffix
		}
		return ewCase(name, ElementwiseConfig{Op: "PRELU", Inputs: []EWTensor{tens(f32, in...), a}, Output: tens(f32, broadcastShape(in, alpha)...)}, floatRange(-4, 4))
	}
	add(
		preluCase([]int{1, 4, 4, 3}, []int{1, 1, 3}, true, "const"),
		preluCase([]int{1, 4, 4, 3}, []int{3}, true, "const"),
		preluCase([]int{1, 3, 5, 2}, []int{3, 5, 2}, true, "const"),
		preluCase([]int{2, 3}, []int{2, 3}, false, ""),
		preluCase([]int{2, 3, 4}, []int{3, 1}, false, ""),
	)

	// SOFTMAX and friends over the last axis.
	add(
		unaryCase("SOFTMAX", f32, []int{2, 5}, &tflite.SoftmaxOptionsT{Beta: 1}, floatRange(-10, 10), "b1"),
		unaryCase("SOFTMAX", f32, []int{1, 3, 7}, &tflite.SoftmaxOptionsT{Beta: 0.5}, floatRange(-10, 10), "b0.5"),
		unaryCase("SOFTMAX", f32, []int{1, 2, 2, 10}, &tflite.SoftmaxOptionsT{Beta: 2}, floatRange(-5, 5), "b2"),
		unaryCase("SOFTMAX", f32, []int{9}, &tflite.SoftmaxOptionsT{Beta: 1}, floatRange(-50, 50), "b1"),
		unaryCase("LOG_SOFTMAX", f32, []int{2, 5}, &tflite.LogSoftmaxOptionsT{}, floatRange(-10, 10), ""),
		unaryCase("LOG_SOFTMAX", f32, []int{3, 1, 8}, &tflite.LogSoftmaxOptionsT{}, floatRange(-3, 3), ""),
		unaryCase("L2_NORMALIZATION", f32, []int{1, 2, 2, 8}, &tflite.L2NormOptionsT{}, floatRange(-3, 3), ""),
		unaryCase("L2_NORMALIZATION", f32, []int{2, 6}, &tflite.L2NormOptionsT{}, defaultOracle, ""),
		unaryCase("L2_NORMALIZATION", f32, []int{3, 4}, &tflite.L2NormOptionsT{}, floatRange(-1e-4, 1e-4), "tiny"),
		unaryCase("L2_NORMALIZATION", f32, []int{3, 4}, &tflite.L2NormOptionsT{}, floatRange(-1e-8, 1e-8), "below_epsilon"),
	)

	// Broadcasting arithmetic.
	patterns := [][2][]int{
		{{2, 3}, {3}},
		{{1, 3, 1, 5}, {2, 1, 4, 1}},
		{{}, {2, 3}},
		{{4, 1}, {1, 5}},
		{{7}, {7}},
	}
	for _, p := range patterns {
		add(bcCase("DIV", f32, f32, p[0], p[1], 1, &tflite.DivOptionsT{}, floatRange(0.5, 4), "none"))
	}
	add(
		bcCase("DIV", f32, f32, []int{2, 1, 3, 1, 2}, []int{1, 4, 1, 5, 1}, 2, &tflite.DivOptionsT{}, floatRange(-4, -0.25), "none"),
		bcCase("DIV", f32, f32, []int{2, 1, 4}, []int{3, 1}, 1, &tflite.DivOptionsT{}, floatRange(-1000, 1000), "none"),
		// TANH as a fused activation is no clamp in TFLite's DIV (as in ADD).
		bcCase("DIV", f32, f32, []int{3, 4}, []int{4}, 1, &tflite.DivOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeTANH}, floatRange(-4, 4), "tanh"),
		bcCase("DIV", f32, f32, []int{3, 4}, []int{4}, 1, &tflite.DivOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU}, floatRange(-4, 4), "relu"),
		bcCase("DIV", f32, f32, []int{3, 4}, []int{4}, 1, &tflite.DivOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU6}, floatRange(-4, 4), "relu6"),
		bcCase("DIV", f32, f32, []int{3, 4}, []int{4}, 1, &tflite.DivOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU_N1_TO_1}, floatRange(-4, 4), "relu_n1_to_1"),
	)
	// int32 DIV truncates toward zero; divisors are crafted non-zero.
	divInt := ewCase("i32_3x4_4_none", ElementwiseConfig{Op: "DIV", Inputs: []EWTensor{tens(i32, 3, 4), tens(i32, 4)}, Output: tens(i32, 3, 4), Options: &tflite.DivOptionsT{}}, intRange(-100, 100))
	divInt.inputs = func() [][]byte { return [][]byte{nil, modelbuilder.Int32Bytes([]int32{7, -3, 2, -9})} }
	divIntRelu := ewCase("i32_2x3_2x3_relu6", ElementwiseConfig{Op: "DIV", Inputs: []EWTensor{tens(i32, 2, 3), tens(i32, 2, 3)}, Output: tens(i32, 2, 3), Options: &tflite.DivOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU6}}, intRange(-100, 100))
	divIntRelu.inputs = func() [][]byte { return [][]byte{nil, modelbuilder.Int32Bytes([]int32{1, -1, 5, 13, -2, 3})} }
	add(divInt, divIntRelu)

	add(
		bcCase("SQUARED_DIFFERENCE", f32, f32, []int{2, 3}, []int{3}, 1, nil, floatRange(-10, 10), ""),
		bcCase("SQUARED_DIFFERENCE", f32, f32, []int{1, 3, 1, 5}, []int{2, 1, 4, 1}, 1, nil, defaultOracle, ""),
		bcCase("SQUARED_DIFFERENCE", f32, f32, []int{2, 1, 4}, []int{3, 1}, 1, nil, floatRange(-1000, 1000), ""),
		bcCase("SQUARED_DIFFERENCE", i32, i32, []int{4, 1}, []int{1, 5}, 1, nil, intRange(-100, 100), ""),
		bcCase("POW", f32, f32, []int{2, 3}, []int{3}, 1, &tflite.PowOptionsT{}, floatRange(0.1, 3), ""),
		bcCase("POW", f32, f32, []int{4, 1}, []int{1, 5}, 1, &tflite.PowOptionsT{}, floatRange(0.5, 2), ""),
	)
	powInt := ewCase("i32_2x4_4", ElementwiseConfig{Op: "POW", Inputs: []EWTensor{tens(i32, 2, 4), tens(i32, 4)}, Output: tens(i32, 2, 4), Options: &tflite.PowOptionsT{}}, intRange(-6, 6))
	powInt.inputs = func() [][]byte { return [][]byte{nil, modelbuilder.Int32Bytes([]int32{0, 1, 3, 5})} }
	add(powInt)

	for _, op := range []string{"MAXIMUM", "MINIMUM"} {
		add(
			bcCase(op, f32, f32, []int{2, 3}, []int{3}, 1, nil, floatRange(-5, 5), ""),
			bcCase(op, f32, f32, []int{1, 3, 1, 5}, []int{2, 1, 4, 1}, 1, nil, defaultOracle, ""),
			bcCase(op, f32, f32, []int{}, []int{2, 3}, 1, nil, defaultOracle, ""),
			bcCase(op, f32, f32, []int{2, 1, 4}, []int{3, 1}, 1, nil, floatRange(-1e5, 1e5), ""),
			bcCase(op, f32, f32, []int{2, 1, 3, 1, 2}, []int{1, 4, 1, 5, 1}, 3, nil, defaultOracle, ""),
			bcCase(op, i32, i32, []int{4, 1}, []int{1, 5}, 1, nil, intRange(-50, 50), ""),
			bcCase(op, core.Int8, core.Int8, []int{3, 4}, []int{4}, 2, nil, defaultOracle, ""),
			// int64 operands made in the model by CAST from int32, and the
			// result cast back.
			ewCase("i64_3x1_4_via_i32", ElementwiseConfig{Op: op, Inputs: []EWTensor{{Type: "INT64", Shape: []int{3, 1}, From: "INT32"}, {Type: "INT64", Shape: []int{4}, From: "INT32"}}, Output: tens(i64, 3, 4), To: "INT32"}, intRange(-1000, 1000)),
		)
	}

	// Comparisons (bool outputs); float operands are small integers so
	// that equality happens.
	smallInts := func(shapes ...[]int) func() [][]byte {
		return func() [][]byte {
			var res [][]byte
			for i, s := range shapes {
				r := seedOf(fmt.Sprintf("smallints%d", i))
				v := float32s(r, numElements(s), -3, 3)
				for j := range v {
					v[j] = float32(math.Floor(float64(v[j])))
				}
				res = append(res, f32le(v))
			}
			return res
		}
	}
	for _, op := range []string{"EQUAL", "NOT_EQUAL", "LESS", "LESS_EQUAL", "GREATER", "GREATER_EQUAL"} {
		c := bcCase(op, f32, b, []int{2, 3, 4}, []int{3, 1}, 1, nil, defaultOracle, "")
		c.inputs = smallInts([]int{2, 3, 4}, []int{3, 1})
		add(c,
			bcCase(op, i32, b, []int{4, 1}, []int{1, 5}, 1, nil, intRange(-3, 3), ""),
			ewCase("i64_2x3_3_via_i32", ElementwiseConfig{Op: op, Inputs: []EWTensor{{Type: "INT64", Shape: []int{2, 3}, From: "INT32"}, {Type: "INT64", Shape: []int{3}, From: "INT32"}}, Output: tens(b, 2, 3)}, intRange(-2, 2)),
		)
	}
	add(
		bcCase("EQUAL", f32, b, []int{1, 2, 1, 3}, []int{2, 1, 2, 1}, 1, nil, defaultOracle, "random"),
		bcCase("EQUAL", b, b, []int{2, 3}, []int{3}, 1, nil, defaultOracle, ""),
		bcCase("NOT_EQUAL", b, b, []int{4, 1}, []int{1, 5}, 1, nil, defaultOracle, ""),
		bcCase("LOGICAL_AND", b, b, []int{2, 3}, []int{3}, 1, nil, defaultOracle, ""),
		bcCase("LOGICAL_AND", b, b, []int{1, 3, 1, 5}, []int{2, 1, 4, 1}, 1, nil, defaultOracle, ""),
		bcCase("LOGICAL_OR", b, b, []int{4, 1}, []int{1, 5}, 1, nil, defaultOracle, ""),
		bcCase("LOGICAL_OR", b, b, []int{7}, []int{7}, 1, nil, defaultOracle, ""),
		unaryCase("LOGICAL_NOT", b, []int{3, 5}, nil, defaultOracle, ""),
	)

	// Math functions.
	add(
		unaryCase("EXP", f32, []int{2, 3, 4}, nil, floatRange(-10, 10), ""),
		unaryCase("EXP", f32, []int{9}, nil, defaultOracle, ""),
		unaryCase("LOG", f32, []int{2, 3, 4}, nil, floatRange(0.001, 100), ""),
		unaryCase("SQRT", f32, []int{2, 3, 4}, nil, floatRange(0, 100), ""),
		unaryCase("RSQRT", f32, []int{2, 3, 4}, nil, floatRange(0.01, 100), ""),
		unaryCase("SQUARE", f32, []int{2, 3, 4}, nil, floatRange(-10, 10), ""),
		unaryCase("ABS", f32, []int{2, 3, 4}, nil, floatRange(-5, 5), ""),
		unaryCase("NEG", f32, []int{2, 3, 4}, nil, floatRange(-5, 5), ""),
		unaryCase("NEG", i32, []int{3, 5}, nil, intRange(-100, 100), ""),
		ewCase("i64_3x5_via_i32", ElementwiseConfig{Op: "NEG", Inputs: []EWTensor{{Type: "INT64", Shape: []int{3, 5}, From: "INT32"}}, Output: tens(i64, 3, 5), To: "INT32"}, intRange(-100, 100)),
		unaryCase("FLOOR", f32, []int{2, 3, 4}, nil, floatRange(-10, 10), ""),
		unaryCase("CEIL", f32, []int{2, 3, 4}, nil, floatRange(-10, 10), ""),
		unaryCase("ROUND", f32, []int{2, 3, 4}, nil, floatRange(-10, 10), ""),
		unaryCase("SIN", f32, []int{2, 3, 4}, nil, floatRange(-10, 10), ""),
		unaryCase("COS", f32, []int{2, 3, 4}, nil, floatRange(-10, 10), ""),
	)
	// ROUND's halves go to the even neighbour.
	halves := unaryCase("ROUND", f32, []int{12}, nil, defaultOracle, "halves")
	halves.inputs = func() [][]byte {
		return [][]byte{f32le([]float32{-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, -3.5, 0.49999997, 1.4999999, -0.50000006, 4.5})}
	}
	add(halves)

	// SELECT and SELECT_V2.
	selCase := func(op string, version int, c, x, y []int, typ core.TensorType, suffix string) *Case {
		var os []int
		if op == "SELECT" {
			os = x
		} else {
			os = broadcastShape(broadcastShape(c, x), y)
		}
		name := typeShort(typ) + "_" + shapeName(c) + "_" + shapeName(x) + "_" + shapeName(y)
		if suffix != "" {
			name += "_" + suffix
		}
		return ewCase(name, ElementwiseConfig{Op: op, Version: version, Inputs: []EWTensor{tens(b, c...), tens(typ, x...), tens(typ, y...)}, Output: tens(typ, os...)}, intRange(-100, 100))
	}
	add(
		selCase("SELECT", 1, []int{2, 3}, []int{2, 3}, []int{2, 3}, f32, ""),
		selCase("SELECT", 1, []int{}, []int{2, 3}, []int{2, 3}, f32, ""),
		selCase("SELECT", 1, []int{3}, []int{3, 2, 2}, []int{3, 2, 2}, f32, ""),
		selCase("SELECT", 1, []int{4, 2}, []int{4, 2}, []int{4, 2}, i32, ""),
		selCase("SELECT_V2", 1, []int{2, 1}, []int{1, 3}, []int{2, 3}, f32, ""),
		selCase("SELECT_V2", 1, []int{3}, []int{2, 3}, []int{}, f32, ""),
		selCase("SELECT_V2", 1, []int{1, 3, 1, 5}, []int{2, 1, 4, 1}, []int{4, 5}, i32, ""),
		selCase("SELECT_V2", 1, []int{2, 1, 3, 1, 2}, []int{1, 4, 1, 5, 1}, []int{5, 1}, f32, ""),
		selCase("SELECT_V2", 1, []int{2, 3}, []int{2, 3}, []int{2, 3}, b, ""),
	)

	// CAST between the types the oracle can feed and return.
	castCase := func(from, to core.TensorType, shape []int, o Oracle, suffix string) *Case {
		name := typeShort(from) + "_to_" + typeShort(to) + "_" + shapeName(shape)
		if suffix != "" {
			name += "_" + suffix
		}
		return ewCase(name, ElementwiseConfig{Op: "CAST", Version: castVersion(from, to), Inputs: []EWTensor{tens(from, shape...)}, Output: tens(to, shape...)}, o)
	}
	add(
		castCase(f32, i32, []int{3, 7}, floatRange(-100, 100), ""),
		castCase(i32, f32, []int{3, 7}, intRange(-100000, 100000), ""),
		castCase(f32, b, []int{12}, floatRange(-1, 1), ""),
		castCase(b, f32, []int{2, 6}, defaultOracle, ""),
		castCase(b, i32, []int{2, 6}, defaultOracle, ""),
		castCase(i32, b, []int{2, 6}, intRange(-2, 2), ""),
		castCase(core.Uint8, f32, []int{3, 4}, defaultOracle, ""),
		castCase(core.Int8, i32, []int{3, 4}, defaultOracle, ""),
		castCase(f32, core.Uint8, []int{3, 4}, floatRange(0, 255), ""),
		castCase(f32, core.Int8, []int{3, 4}, floatRange(-127, 127), ""),
		castCase(core.Int16, f32, []int{3, 4}, intRange(-30000, 30000), ""),
		castCase(i32, core.Int16, []int{3, 4}, intRange(-30000, 30000), ""),
		castCase(core.Uint8, core.Int8, []int{3, 4}, defaultOracle, ""),
		ewCase("i32_to_i64_to_f32_2x5", ElementwiseConfig{Op: "CAST", Inputs: []EWTensor{{Type: "INT64", Shape: []int{2, 5}, From: "INT32"}}, Output: tens(f32, 2, 5)}, intRange(-1000000, 1000000)),
	)
	return out
}
