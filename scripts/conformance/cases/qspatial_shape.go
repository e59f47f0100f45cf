package cases

import (
	"fmt"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// QShapeConst is a constant INT32 input of a QShapeConfig.
type QShapeConst struct {
	Shape  []int   `json:"shape"`
	Values []int32 `json:"values"`
}

// QShapeConfig is a shape-family op on quantized tensors (they move stored
// values, so input and outputs share the parameters): Inputs quantized
// model inputs, then Consts (before them with ConstFirst, as SPLIT's axis).
type QShapeConfig struct {
	Op         string         `json:"op"`
	Type       string         `json:"type"`
	Quant      QuantParams    `json:"quant"`
	Inputs     [][]int        `json:"inputs"`
	Consts     []QShapeConst  `json:"consts"`
	ConstFirst bool           `json:"const_first,omitempty"`
	Outputs    [][]int        `json:"outputs"`
	IntOutput  bool           `json:"int_output,omitempty"`
	Opts       map[string]int `json:"opts,omitempty"`
}

var spQShapeCodes = map[string]tflite.BuiltinOperator{
	"TRANSPOSE": tflite.BuiltinOperatorTRANSPOSE, "SLICE": tflite.BuiltinOperatorSLICE, "STRIDED_SLICE": tflite.BuiltinOperatorSTRIDED_SLICE,
	"GATHER": tflite.BuiltinOperatorGATHER, "SPLIT": tflite.BuiltinOperatorSPLIT, "SPLIT_V": tflite.BuiltinOperatorSPLIT_V,
	"PACK": tflite.BuiltinOperatorPACK, "UNPACK": tflite.BuiltinOperatorUNPACK, "TILE": tflite.BuiltinOperatorTILE,
	"ARG_MAX": tflite.BuiltinOperatorARG_MAX, "ARG_MIN": tflite.BuiltinOperatorARG_MIN, "RESHAPE": tflite.BuiltinOperatorRESHAPE,
	"SQUEEZE": tflite.BuiltinOperatorSQUEEZE, "EXPAND_DIMS": tflite.BuiltinOperatorEXPAND_DIMS,
}

func (c QShapeConfig) options() any {
	o := c.Opts
	switch c.Op {
	case "STRIDED_SLICE":
		return &tflite.StridedSliceOptionsT{BeginMask: int32(o["begin_mask"]), EndMask: int32(o["end_mask"]), ShrinkAxisMask: int32(o["shrink_axis_mask"])}
	case "GATHER":
		return &tflite.GatherOptionsT{Axis: int32(o["axis"])}
	case "SPLIT":
		return &tflite.SplitOptionsT{NumSplits: int32(len(c.Outputs))}
	case "SPLIT_V":
		return &tflite.SplitVOptionsT{NumSplits: int32(len(c.Outputs))}
	case "PACK":
		return &tflite.PackOptionsT{ValuesCount: int32(len(c.Inputs)), Axis: int32(o["axis"])}
	case "UNPACK":
		return &tflite.UnpackOptionsT{Num: int32(len(c.Outputs)), Axis: int32(o["axis"])}
	case "ARG_MAX":
		return &tflite.ArgMaxOptionsT{OutputType: tflite.TensorTypeINT32}
	case "ARG_MIN":
		return &tflite.ArgMinOptionsT{OutputType: tflite.TensorTypeINT32}
	case "SQUEEZE":
		return &tflite.SqueezeOptionsT{}
	}
	return nil
}

func (c QShapeConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	code, ok := spQShapeCodes[c.Op]
	if !ok {
		return fmt.Errorf("unknown op %q", c.Op)
	}
	g := b.Main()
	var xs, consts []int
	for i, s := range c.Inputs {
		xs = append(xs, g.Tensor(fmt.Sprintf("x%d", i), typ, s, c.Quant.option()))
	}
	for i, k := range c.Consts {
		consts = append(consts, g.ConstInt32(fmt.Sprintf("c%d", i), k.Shape, k.Values))
	}
	ins := append(append([]int(nil), xs...), consts...)
	if c.ConstFirst {
		ins = append(append([]int(nil), consts...), xs...)
	}
	var ys []int
	for i, s := range c.Outputs {
		if c.IntOutput {
			ys = append(ys, g.Tensor(fmt.Sprintf("y%d", i), core.Int32, s))
		} else {
			ys = append(ys, g.Tensor(fmt.Sprintf("y%d", i), typ, s, c.Quant.option()))
		}
	}
	g.OpVersion(code, 1, ins, ys, c.options())
	g.Inputs(xs...)
	g.Outputs(ys...)
	return nil
}

func spQShapeCases() []*Case {
	var out []*Case
	for _, tq := range []struct {
		t core.TensorType
		q QuantParams
	}{
		{core.Uint8, perTensor(0.0235, 131)},
		{core.Int8, perTensor(0.0123, -7)},
		{core.Int16, perTensor(1.0/4096, 0)},
	} {
		ts := typeShort(tq.t)
		mk := func(name string, cfg QShapeConfig) {
			cfg.Type, cfg.Quant = typeName(tq.t), tq.q
			o := defaultOracle
			if tq.t == core.Int16 {
				o = intRange(-32768, 32767)
			}
			out = append(out, &Case{Name: "q_sp_" + name + "_" + ts, Op: cfg.Op, Config: cfg, Oracle: o, build: cfg.build})
		}
		c1 := func(shape []int, v ...int32) []QShapeConst { return []QShapeConst{{Shape: shape, Values: v}} }
		mk("transpose", QShapeConfig{Op: "TRANSPOSE", Inputs: [][]int{{2, 3, 4}}, Consts: c1([]int{3}, 2, 0, 1), Outputs: [][]int{{4, 2, 3}}})
		mk("slice", QShapeConfig{Op: "SLICE", Inputs: [][]int{{3, 4, 5}}, Consts: []QShapeConst{{[]int{3}, []int32{1, 0, 2}}, {[]int{3}, []int32{2, -1, 2}}}, Outputs: [][]int{{2, 4, 2}}})
		mk("strided_slice", QShapeConfig{Op: "STRIDED_SLICE", Inputs: [][]int{{4, 6}},
			Consts:  []QShapeConst{{[]int{2}, []int32{1, 5}}, {[]int{2}, []int32{4, 0}}, {[]int{2}, []int32{2, -2}}},
			Outputs: [][]int{{2, 3}}, Opts: map[string]int{}})
		mk("gather", QShapeConfig{Op: "GATHER", Inputs: [][]int{{3, 5}}, Consts: c1([]int{4}, 4, 0, 2, 4), Outputs: [][]int{{3, 4}}, Opts: map[string]int{"axis": 1}})
		mk("split", QShapeConfig{Op: "SPLIT", Inputs: [][]int{{2, 6, 3}}, Consts: c1([]int{}, 1), ConstFirst: true, Outputs: [][]int{{2, 2, 3}, {2, 2, 3}, {2, 2, 3}}})
		mk("split_v", QShapeConfig{Op: "SPLIT_V", Inputs: [][]int{{2, 7}}, Consts: []QShapeConst{{[]int{3}, []int32{2, 4, 1}}, {[]int{}, []int32{-1}}}, Outputs: [][]int{{2, 2}, {2, 4}, {2, 1}}})
		mk("pack", QShapeConfig{Op: "PACK", Inputs: [][]int{{2, 3}, {2, 3}, {2, 3}}, Outputs: [][]int{{2, 3, 3}}, Opts: map[string]int{"axis": 2}})
		mk("unpack", QShapeConfig{Op: "UNPACK", Inputs: [][]int{{2, 3, 4}}, Outputs: [][]int{{2, 4}, {2, 4}, {2, 4}}, Opts: map[string]int{"axis": 1}})
		if tq.t != core.Int16 {
			// TFLite's TILE has no INT16 kernel.
			mk("tile", QShapeConfig{Op: "TILE", Inputs: [][]int{{2, 3}}, Consts: c1([]int{2}, 2, 3), Outputs: [][]int{{4, 9}}})
		}
		mk("reshape", QShapeConfig{Op: "RESHAPE", Inputs: [][]int{{2, 3, 4}}, Consts: c1([]int{2}, 6, -1), Outputs: [][]int{{6, 4}}})
		mk("squeeze", QShapeConfig{Op: "SQUEEZE", Inputs: [][]int{{1, 3, 1, 4}}, Outputs: [][]int{{3, 4}}})
		mk("expand_dims", QShapeConfig{Op: "EXPAND_DIMS", Inputs: [][]int{{3, 4}}, Consts: c1([]int{1}, -1), Outputs: [][]int{{3, 4, 1}}})
		if tq.t != core.Int16 {
			// TFLite's ARG_MAX/ARG_MIN take UINT8 and INT8 (no INT16).
			mk("arg_max", QShapeConfig{Op: "ARG_MAX", Inputs: [][]int{{3, 5, 4}}, Consts: c1([]int{1}, 1), Outputs: [][]int{{3, 4}}, IntOutput: true})
			mk("arg_min", QShapeConfig{Op: "ARG_MIN", Inputs: [][]int{{3, 5, 4}}, Consts: c1([]int{1}, -1), Outputs: [][]int{{3, 5}}, IntOutput: true})
		}
	}
	return out
}
