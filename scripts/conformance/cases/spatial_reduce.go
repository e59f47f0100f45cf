package cases

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// ReduceConfig is a MEAN, SUM, REDUCE_PROD, REDUCE_MAX or REDUCE_MIN case.
type ReduceConfig struct {
	Op       string `json:"op"`
	Type     string `json:"type"`
	Shape    []int  `json:"shape"`
	Axes     []int  `json:"axes"`
	KeepDims bool   `json:"keep_dims"`
	// AxisInput makes the axes a model input (a dynamic output).
	AxisInput bool `json:"axis_input,omitempty"`
}

func (c ReduceConfig) outShape() []int {
	rank := len(c.Shape)
	red := make([]bool, rank)
	for _, a := range c.Axes {
		if a < 0 {
			a += rank
		}
		red[a] = true
	}
	out := []int{}
	for d, v := range c.Shape {
		switch {
		case !red[d]:
			out = append(out, v)
		case c.KeepDims:
			out = append(out, 1)
		}
	}
	return out
}

var reduceCodes = map[string]tflite.BuiltinOperator{
	"MEAN": tflite.BuiltinOperatorMEAN, "SUM": tflite.BuiltinOperatorSUM,
	"REDUCE_PROD": tflite.BuiltinOperatorREDUCE_PROD, "REDUCE_MAX": tflite.BuiltinOperatorREDUCE_MAX,
	"REDUCE_MIN": tflite.BuiltinOperatorREDUCE_MIN, "REDUCE_ANY": tflite.BuiltinOperatorREDUCE_ANY,
	"REDUCE_ALL": tflite.BuiltinOperatorREDUCE_ALL,
}

func (c ReduceConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	code, ok := reduceCodes[c.Op]
	if !ok {
		return fmt.Errorf("unknown reduce op %q", c.Op)
	}
	g := b.Main()
	x := g.Tensor("x", typ, c.Shape)
	axes := make([]int32, len(c.Axes))
	for i, a := range c.Axes {
		axes[i] = int32(a)
	}
	var axis int
	if c.AxisInput {
		axis = g.Tensor("axis", core.Int32, []int{len(axes)})
	} else {
		axis = g.ConstInt32("axis", []int{len(axes)}, axes)
	}
	y := g.Tensor("y", typ, c.outShape())
	g.OpVersion(code, 1, []int{x, axis}, []int{y}, &tflite.ReducerOptionsT{KeepDims: c.KeepDims})
	if c.AxisInput {
		g.Inputs(x, axis)
	} else {
		g.Inputs(x)
	}
	g.Outputs(y)
	return nil
}

func reduceCase(op string, typ core.TensorType, shape, axes []int, keep, axisInput bool, o Oracle) *Case {
	cfg := ReduceConfig{Op: op, Type: typeName(typ), Shape: shape, Axes: axes, KeepDims: keep, AxisInput: axisInput}
	parts := make([]string, len(axes))
	for i, a := range axes {
		parts[i] = strconv.Itoa(a)
	}
	ax := strings.ReplaceAll(strings.Join(parts, "_"), "-", "m")
	if ax == "" {
		ax = "none"
	}
	name := fmt.Sprintf("%s_%s_%s_axes%s", strings.ToLower(op), typeShort(typ), shapeName(shape), ax)
	if keep {
		name += "_keep"
	}
	c := &Case{Name: name, Op: op, Config: cfg, Oracle: o, build: cfg.build}
	if axisInput {
		c.Name += "_axisinput"
		c.inputs = func() [][]byte { return [][]byte{nil, modelbuilder.Int32Bytes(axisData(axes))} }
	}
	if typ == core.Bool {
		// Mostly true for ALL, mostly false for ANY, so that both outcomes
		// occur (fair bits make ALL false and ANY true almost everywhere).
		c.inputs = func() [][]byte {
			r := seedOf(c.Name)
			data := make([]byte, numElements(shape))
			for i := range data {
				rare := r.Next()%5 == 0
				if rare == (op == "REDUCE_ANY") {
					data[i] = 1
				}
			}
			return [][]byte{data}
		}
	}
	return c
}

func axisData(axes []int) []int32 {
	out := make([]int32, len(axes))
	for i, a := range axes {
		out[i] = int32(a)
	}
	return out
}

func reduceCases() []*Case {
	f := core.Float32
	var out []*Case
	// MEAN over every axis subset of ranks 1 to 4 (some with keep_dims),
	// negative and repeated axes, the 4-D H,W fast path both ways.
	mean := func(shape, axes []int, keep bool) {
		out = append(out, reduceCase("MEAN", f, shape, axes, keep, false, defaultOracle))
	}
	mean([]int{7}, []int{0}, false)
	mean([]int{7}, []int{0}, true)
	mean([]int{3, 5}, []int{0}, false)
	mean([]int{3, 5}, []int{1}, true)
	mean([]int{3, 5}, []int{-1, 0}, false)
	mean([]int{2, 3, 4}, []int{1}, false)
	mean([]int{2, 3, 4}, []int{0, 2}, true)
	mean([]int{2, 3, 4}, []int{-1}, false)
	mean([]int{2, 3, 4}, []int{0, 1, 2}, false)
	mean([]int{2, 5, 6, 3}, []int{1, 2}, true)
	mean([]int{2, 5, 6, 3}, []int{1, 2}, false)
	mean([]int{2, 5, 6, 3}, []int{2, 1}, true)
	mean([]int{1, 7, 7, 8}, []int{-3, -2}, true)
	mean([]int{2, 3, 4, 5}, []int{0}, false)
	mean([]int{2, 3, 4, 5}, []int{3}, true)
	mean([]int{2, 3, 4, 5}, []int{0, 3}, false)
	mean([]int{2, 3, 4, 5}, []int{1, 3}, true)
	mean([]int{2, 3, 4, 5}, []int{0, 1, 2, 3}, false)
	mean([]int{2, 3, 4, 5}, []int{1, 1, -3}, false)
	mean([]int{2, 3, 4, 5}, []int{}, false)
	mean([]int{1, 1, 1, 9}, []int{1, 2}, true)
	// The remaining axis subsets of ranks 3 and 4.
	mean([]int{3, 2, 5}, []int{0}, true)
	mean([]int{3, 2, 5}, []int{1, 2}, false)
	mean([]int{3, 2, 5}, []int{0, 1}, true)
	for i, axes := range [][]int{{1}, {2}, {0, 1}, {0, 2}, {2, 3}, {0, 1, 2}, {0, 1, 3}, {0, 2, 3}, {1, 2, 3}} {
		mean([]int{3, 2, 3, 5}, axes, i%2 == 0)
	}
	out = append(out,
		reduceCase("MEAN", f, []int{2, 3, 4}, []int{-2, 0}, false, true, defaultOracle),
		reduceCase("MEAN", core.Int32, []int{3, 4}, []int{1}, false, false, intRange(-50, 50)),
	)
	for _, op := range []string{"SUM", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_PROD"} {
		o := defaultOracle
		if op == "REDUCE_PROD" {
			o = floatRange(0.5, 1.5)
		}
		out = append(out,
			reduceCase(op, f, []int{9}, []int{0}, false, false, o),
			reduceCase(op, f, []int{3, 5}, []int{1}, true, false, o),
			reduceCase(op, f, []int{2, 3, 4}, []int{0, -1}, false, false, o),
			reduceCase(op, f, []int{2, 3, 4, 5}, []int{1, 2}, true, false, o),
			reduceCase(op, f, []int{2, 3, 4, 5}, []int{3, 0, 3}, false, false, o),
			reduceCase(op, f, []int{2, 3, 4, 5}, []int{0, 1, 2, 3}, true, false, o),
			reduceCase(op, core.Int32, []int{3, 4, 2}, []int{1}, false, false, intRange(-9, 9)),
		)
	}
	// REDUCE_ANY and REDUCE_ALL on BOOL (the oracle draws each element as
	// u&1, so short reductions see both values).
	for _, op := range []string{"REDUCE_ANY", "REDUCE_ALL"} {
		out = append(out,
			reduceCase(op, core.Bool, []int{3, 2}, []int{1}, false, false, defaultOracle),
			reduceCase(op, core.Bool, []int{2, 3, 2}, []int{0, -1}, true, false, defaultOracle),
			reduceCase(op, core.Bool, []int{4, 3}, []int{0}, false, false, defaultOracle),
		)
	}
	return out
}
