package cases

import (
	"fmt"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// BinaryConfig is an ADD, SUB or MUL case.
type BinaryConfig struct {
	Op         string `json:"op"`
	Type       string `json:"type"`
	Shape1     []int  `json:"shape1"`
	Shape2     []int  `json:"shape2"`
	Activation string `json:"activation"`
	// ConstInput2 makes the second operand a constant of the model.
	ConstInput2 bool `json:"const_input2,omitempty"`
}

// broadcastShape is NumPy broadcasting (the shapes are known to be valid).
func broadcastShape(a, b []int) []int {
	rank := max(len(a), len(b))
	out := make([]int, rank)
	for i := 0; i < rank; i++ {
		da, db := 1, 1
		if i < len(a) {
			da = a[len(a)-1-i]
		}
		if i < len(b) {
			db = b[len(b)-1-i]
		}
		if da == 0 || db == 0 {
			out[rank-1-i] = 0
		} else {
			out[rank-1-i] = max(da, db)
		}
	}
	return out
}

// version is the op version TFLite's converter would write
// (tools/versioning/op_version.cc).
func (c BinaryConfig) version(typ core.TensorType) int {
	switch c.Op {
	case "ADD":
		if typ == core.Int64 {
			return 4
		}
	case "SUB":
		if typ == core.Int64 {
			return 4
		}
		if !equalShapes(c.Shape1, c.Shape2) && max(len(c.Shape1), len(c.Shape2)) > 4 {
			return 3
		}
	case "MUL":
		if typ == core.Int64 {
			return 5
		}
	}
	return 1
}

func equalShapes(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (c BinaryConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		typ, err := typeByName(c.Type)
		if err != nil {
			return err
		}
		act, ok := tflite.EnumValuesActivationFunctionType[c.Activation]
		if !ok {
			return fmt.Errorf("unknown activation %q", c.Activation)
		}
		g := b.Main()
		x := g.Tensor("x", typ, c.Shape1)
		var y int
		if c.ConstInput2 {
			r := seedOf(name)
			y = g.Const("y", typ, c.Shape2, randomBytes(r, typ, numElements(c.Shape2)))
		} else {
			y = g.Tensor("y", typ, c.Shape2)
		}
		z := g.Tensor("z", typ, broadcastShape(c.Shape1, c.Shape2))
		var code tflite.BuiltinOperator
		var opts any
		switch c.Op {
		case "ADD":
			code, opts = tflite.BuiltinOperatorADD, &tflite.AddOptionsT{FusedActivationFunction: act, PotScaleInt16: true}
		case "SUB":
			code, opts = tflite.BuiltinOperatorSUB, &tflite.SubOptionsT{FusedActivationFunction: act, PotScaleInt16: true}
		case "MUL":
			code, opts = tflite.BuiltinOperatorMUL, &tflite.MulOptionsT{FusedActivationFunction: act}
		default:
			return fmt.Errorf("unknown binary op %q", c.Op)
		}
		g.OpVersion(code, c.version(typ), []int{x, y}, []int{z}, opts)
		if c.ConstInput2 {
			g.Inputs(x)
		} else {
			g.Inputs(x, y)
		}
		g.Outputs(z)
		return nil
	}
}

func binaryCase(op string, typ core.TensorType, s1, s2 []int, act string, const2 bool, o Oracle) *Case {
	cfg := BinaryConfig{Op: op, Type: typeName(typ), Shape1: s1, Shape2: s2, Activation: act, ConstInput2: const2}
	name := fmt.Sprintf("%s_%s_%s_%s_%s", strings.ToLower(op), typeShort(typ), shapeName(s1), shapeName(s2), strings.ToLower(act))
	if const2 {
		name += "_const"
	}
	return &Case{Name: name, Op: op, Config: cfg, Oracle: o, build: cfg.build(name)}
}

func binaryCases() []*Case {
	// Broadcasting patterns of rank 0 to 6 (rank 6 is the most TFLite's
	// broadcasting kernels take), with size-1 and odd dimensions.
	patterns := [][2][]int{
		{{7}, {7}},
		{{2, 3}, {3}},
		{{2, 1, 4}, {3, 1}},
		{{1, 3, 1, 5}, {2, 1, 4, 1}},
		{{2, 1, 3, 1, 2}, {1, 4, 1, 5, 1}},
		{{}, {2, 3}},
		{{1}, {3, 1, 7}},
		{{4, 1}, {1, 5}},
		{{2, 3, 1, 1, 5}, {5}},
		{{3, 1, 5}, {2, 1, 1, 1, 1}},
		{{1, 2, 1, 2, 1, 3}, {2, 1, 2, 1, 3, 1}},
	}
	var out []*Case
	for _, op := range []string{"ADD", "SUB", "MUL"} {
		for _, p := range patterns {
			out = append(out, binaryCase(op, core.Float32, p[0], p[1], "NONE", false, defaultOracle))
		}
		// Every clamping activation, with inputs wide enough to reach
		// each clamp (MUL squares the range).
		wide := floatRange(-8, 8)
		if op == "MUL" {
			wide = floatRange(-3, 3)
		}
		for _, act := range []string{"RELU", "RELU_N1_TO_1", "RELU6"} {
			out = append(out, binaryCase(op, core.Float32, []int{3, 4}, []int{4}, act, false, wide))
		}
		out = append(out, binaryCase(op, core.Float32, []int{2, 1, 3}, []int{1, 3}, "RELU6", true, wide))
		// int32 runs on TFLite's builtin kernels with the same clamps.
		out = append(out,
			binaryCase(op, core.Int32, []int{2, 3}, []int{3}, "NONE", false, intRange(-1000, 1000)),
			binaryCase(op, core.Int32, []int{4, 1}, []int{1, 5}, "RELU6", false, intRange(-10, 10)),
			binaryCase(op, core.Int32, []int{}, []int{2, 5}, "RELU_N1_TO_1", false, intRange(-3, 3)),
			binaryCase(op, core.Int32, []int{3, 1, 2}, []int{2}, "RELU", false, intRange(-50, 50)),
		)
	}
	return out
}
