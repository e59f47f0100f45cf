package cases

import (
	"fmt"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// ConcatConfig is a CONCATENATION case.
type ConcatConfig struct {
	Type   string  `json:"type"`
	Shapes [][]int `json:"shapes"`
	Axis   int     `json:"axis"`
	// Quant gives every input and the output these parameters.
	Quant *QuantParams `json:"quant,omitempty"`
	// ConstInput is the index of an input that is a model constant (-1:
	// none).
	ConstInput int `json:"const_input"`
}

func (c ConcatConfig) version(typ core.TensorType) int {
	switch typ {
	case core.Uint32:
		return 4
	case core.Int16:
		return 3
	case core.Int8:
		return 2
	}
	return 1
}

func (c ConcatConfig) build(name string) func(b *modelbuilder.Builder) error {
	return func(b *modelbuilder.Builder) error {
		typ, err := typeByName(c.Type)
		if err != nil {
			return err
		}
		var opts []modelbuilder.TensorOption
		if c.Quant != nil {
			opts = append(opts, c.Quant.option())
		}
		g := b.Main()
		r := seedOf(name)
		var ins, modelIns []int
		outShape := append([]int(nil), c.Shapes[0]...)
		axis := c.Axis
		if axis < 0 {
			axis += len(outShape)
		}
		for i, s := range c.Shapes {
			name := fmt.Sprintf("x%d", i)
			if i == c.ConstInput {
				ins = append(ins, g.Const(name, typ, s, randomBytes(r, typ, numElements(s)), opts...))
			} else {
				t := g.Tensor(name, typ, s, opts...)
				ins = append(ins, t)
				modelIns = append(modelIns, t)
			}
			if i > 0 {
				outShape[axis] += s[axis]
			}
		}
		y := g.Tensor("y", typ, outShape, opts...)
		g.OpVersion(tflite.BuiltinOperatorCONCATENATION, c.version(typ), ins, []int{y},
			&tflite.ConcatenationOptionsT{Axis: int32(c.Axis), FusedActivationFunction: tflite.ActivationFunctionTypeNONE})
		g.Inputs(modelIns...)
		g.Outputs(y)
		return nil
	}
}

func concatCase(typ core.TensorType, axis int, shapes [][]int, q *QuantParams, constInput int, o Oracle) *Case {
	cfg := ConcatConfig{Type: typeName(typ), Shapes: shapes, Axis: axis, Quant: q, ConstInput: constInput}
	name := fmt.Sprintf("concatenation_%s_axis%d", typeShort(typ), axis)
	for _, s := range shapes {
		name += "_" + shapeName(s)
	}
	if constInput >= 0 {
		name += "_const"
	}
	return &Case{Name: name, Op: "CONCATENATION", Config: cfg, Oracle: o, build: cfg.build(name)}
}

func concatCases() []*Case {
	f32 := core.Float32
	return []*Case{
		concatCase(f32, 1, [][]int{{2, 3}, {2, 5}}, nil, -1, defaultOracle),
		concatCase(f32, 0, [][]int{{2, 3}, {4, 3}}, nil, -1, defaultOracle),
		concatCase(f32, -2, [][]int{{2, 3, 4}, {2, 1, 4}, {2, 2, 4}}, nil, -1, defaultOracle),
		concatCase(f32, 3, [][]int{{1, 2, 2, 3}, {1, 2, 2, 1}, {1, 2, 2, 2}, {1, 2, 2, 3}}, nil, -1, defaultOracle),
		concatCase(f32, -2, [][]int{{2, 1, 2, 1, 3}, {2, 1, 2, 2, 3}}, nil, -1, defaultOracle),
		concatCase(f32, -1, [][]int{{5}, {3}}, nil, -1, defaultOracle),
		concatCase(f32, 0, [][]int{{2, 3}}, nil, -1, defaultOracle),
		concatCase(f32, 1, [][]int{{2, 2}, {2, 3}}, nil, 1, defaultOracle),
		concatCase(f32, 2, [][]int{{1, 3, 1}, {1, 3, 4}, {1, 3, 1}}, nil, -1, defaultOracle),
		concatCase(core.Int32, -1, [][]int{{3, 2}, {3, 4}}, nil, -1, intRange(-1000, 1000)),
		concatCase(core.Int8, 1, [][]int{{2, 3}, {2, 2}}, ptr(perTensor(0.1, -2)), -1, defaultOracle),
		concatCase(core.Uint8, 0, [][]int{{2, 2, 2}, {1, 2, 2}}, ptr(perTensor(0.05, 128)), -1, defaultOracle),
		concatCase(core.Int16, 0, [][]int{{2, 3}, {2, 3}}, ptr(perTensor(1e-3, 0)), -1, intRange(-32768, 32767)),
		concatCase(core.Bool, 1, [][]int{{2, 3}, {2, 1}}, nil, -1, defaultOracle),
	}
}
