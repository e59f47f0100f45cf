package cases

import (
	"fmt"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// PadConfig is a PAD, PADV2 or MIRROR_PAD case.
type PadConfig struct {
	Op       string `json:"op"`
	Type     string `json:"type"`
	Shape    []int  `json:"shape"`
	Paddings []int  `json:"paddings"` // before, after per dimension
	// PadsType is INT32 or INT64.
	PadsType string `json:"paddings_type"`
	// Value is PADV2's constant (as float64; converted to the type).
	Value float64 `json:"value,omitempty"`
	Mode  string  `json:"mode,omitempty"` // MIRROR_PAD
	// PadsInput makes the paddings a model input (a dynamic output).
	PadsInput bool `json:"paddings_input,omitempty"`
}

func (c PadConfig) version() int {
	if len(c.Shape) > 4 && c.Op != "MIRROR_PAD" {
		return 4
	}
	return 1
}

func (c PadConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	pt, err := typeByName(c.PadsType)
	if err != nil {
		return err
	}
	g := b.Main()
	x := g.Tensor("x", typ, c.Shape)
	pshape := []int{len(c.Shape), 2}
	var pads int
	if c.PadsInput {
		pads = g.Tensor("paddings", pt, pshape)
	} else {
		pads = g.Const("paddings", pt, pshape, padsBytes(pt, c.Paddings))
	}
	out := make([]int, len(c.Shape))
	for d, v := range c.Shape {
		out[d] = v + c.Paddings[2*d] + c.Paddings[2*d+1]
	}
	y := g.Tensor("y", typ, out)
	ins := []int{x, pads}
	switch c.Op {
	case "PAD":
		g.OpVersion(tflite.BuiltinOperatorPAD, c.version(), ins, []int{y}, &tflite.PadOptionsT{})
	case "PADV2":
		var data []byte
		if typ == core.Int32 {
			data = modelbuilder.Int32Bytes([]int32{int32(c.Value)})
		} else {
			data = modelbuilder.Float32Bytes([]float32{float32(c.Value)})
		}
		v := g.Const("value", typ, []int{}, data)
		ins = append(ins, v)
		g.OpVersion(tflite.BuiltinOperatorPADV2, c.version(), ins, []int{y}, &tflite.PadV2OptionsT{})
	case "MIRROR_PAD":
		mode, ok := tflite.EnumValuesMirrorPadMode[c.Mode]
		if !ok {
			return fmt.Errorf("unknown mirror pad mode %q", c.Mode)
		}
		g.OpVersion(tflite.BuiltinOperatorMIRROR_PAD, 1, ins, []int{y}, &tflite.MirrorPadOptionsT{Mode: mode})
	default:
		return fmt.Errorf("unknown pad op %q", c.Op)
	}
	if c.PadsInput {
		g.Inputs(x, pads)
	} else {
		g.Inputs(x)
	}
	g.Outputs(y)
	return nil
}

func padsBytes(t core.TensorType, p []int) []byte {
	if t == core.Int64 {
		v := make([]int64, len(p))
		for i, x := range p {
			v[i] = int64(x)
		}
		return modelbuilder.Int64Bytes(v)
	}
	v := make([]int32, len(p))
	for i, x := range p {
		v[i] = int32(x)
	}
	return modelbuilder.Int32Bytes(v)
}

func padCase(op string, typ, pt core.TensorType, shape, pads []int, value float64, mode string, padsInput bool, o Oracle) *Case {
	cfg := PadConfig{Op: op, Type: typeName(typ), Shape: shape, Paddings: pads, PadsType: typeName(pt), Value: value, Mode: mode, PadsInput: padsInput}
	ps := make([]string, len(pads))
	for i, v := range pads {
		ps[i] = fmt.Sprint(v)
	}
	name := fmt.Sprintf("%s_%s_%s_p%s_%s", strings.ToLower(op), typeShort(typ), shapeName(shape), strings.Join(ps, ""), typeShort(pt))
	if mode != "" {
		name += "_" + strings.ToLower(mode)
	}
	c := &Case{Name: name, Op: op, Config: cfg, Oracle: o, build: cfg.build}
	if padsInput {
		c.Name += "_padsinput"
		if pt == core.Int32 {
			c.inputs = func() [][]byte { return [][]byte{nil, padsBytes(pt, pads)} }
		}
	}
	return c
}

// padCases are the PAD, PADV2 and MIRROR_PAD cases. PAD and PADV2 have no
// INT64-paddings case here: the oracle's TFLite (2.12-2.13) reads INT64
// paddings as INT32 pairs (measured: [[1,2],[0,1]] padded a 3x5 input to
// 4x7), which current TFLite fixed; the unit tests check INT64 paddings by
// hand instead. MIRROR_PAD reads them right and has a case.
func padCases() []*Case {
	f, i32, i64 := core.Float32, core.Int32, core.Int64
	d := defaultOracle
	return []*Case{
		// Image-style (N and C unpadded), the MediaPipe pattern.
		padCase("PAD", f, i32, []int{1, 4, 5, 3}, []int{0, 0, 1, 1, 2, 2, 0, 0}, 0, "", false, d),
		padCase("PAD", f, i32, []int{1, 5, 5, 2}, []int{0, 0, 0, 1, 0, 1, 0, 0}, 0, "", false, d),
		padCase("PAD", f, i32, []int{1, 3, 4, 2}, []int{0, 0, 2, 0, 0, 3, 0, 0}, 0, "", false, d),
		// Channel padding, every dimension, zeros, asymmetric.
		padCase("PAD", f, i32, []int{1, 2, 3, 3}, []int{0, 0, 0, 0, 0, 0, 0, 5}, 0, "", false, d),
		padCase("PAD", f, i32, []int{2, 2, 3, 3}, []int{1, 0, 0, 2, 1, 1, 3, 1}, 0, "", false, d),
		padCase("PAD", f, i32, []int{2, 3, 4}, []int{0, 0, 0, 0, 0, 0}, 0, "", false, d),
		padCase("PAD", f, i32, []int{7}, []int{2, 3}, 0, "", false, d),
		padCase("PAD", f, i32, []int{3, 5}, []int{1, 2, 0, 1}, 0, "", false, d),
		padCase("PAD", f, i32, []int{1, 2, 3, 2, 2}, []int{0, 1, 1, 0, 0, 1, 1, 1, 0, 1}, 0, "", false, d),
		padCase("PAD", i32, i32, []int{2, 3, 2}, []int{1, 1, 0, 2, 1, 0}, 0, "", false, intRange(-50, 50)),
		padCase("PAD", f, i32, []int{2, 3, 3}, []int{1, 0, 2, 1, 0, 1}, 0, "", true, d),
		padCase("PADV2", f, i32, []int{1, 3, 3, 2}, []int{0, 0, 1, 2, 2, 1, 0, 0}, -2.5, "", false, d),
		padCase("PADV2", f, i32, []int{2, 3, 4}, []int{1, 1, 0, 1, 2, 0}, 7, "", false, d),
		padCase("PADV2", f, i32, []int{5}, []int{0, 0}, 1, "", false, d),
		padCase("PADV2", i32, i32, []int{3, 3}, []int{1, 2, 2, 1}, -7, "", false, intRange(-50, 50)),
		padCase("PADV2", f, i32, []int{1, 2, 2, 2, 3}, []int{1, 0, 0, 1, 1, 1, 0, 0, 2, 0}, 0.5, "", false, d),
		padCase("MIRROR_PAD", f, i32, []int{5}, []int{2, 4}, 0, "REFLECT", false, d),
		padCase("MIRROR_PAD", f, i32, []int{5}, []int{5, 3}, 0, "SYMMETRIC", false, d),
		padCase("MIRROR_PAD", f, i32, []int{3, 4}, []int{2, 1, 3, 0}, 0, "REFLECT", false, d),
		padCase("MIRROR_PAD", f, i64, []int{3, 4}, []int{3, 1, 0, 4}, 0, "SYMMETRIC", false, d),
		padCase("MIRROR_PAD", f, i32, []int{1, 4, 5, 2}, []int{0, 0, 1, 1, 2, 2, 0, 0}, 0, "REFLECT", false, d),
		padCase("MIRROR_PAD", f, i32, []int{1, 4, 5, 2}, []int{0, 0, 2, 1, 1, 3, 0, 0}, 0, "SYMMETRIC", false, d),
		padCase("MIRROR_PAD", f, i32, []int{2, 3, 3, 2}, []int{1, 1, 0, 0, 2, 2, 1, 0}, 0, "REFLECT", false, d),
		padCase("MIRROR_PAD", i32, i32, []int{3, 3}, []int{1, 2, 2, 1}, 0, "SYMMETRIC", false, intRange(-50, 50)),
		padCase("MIRROR_PAD", f, i32, []int{4, 3}, []int{1, 0, 2, 2}, 0, "REFLECT", true, d),
	}
}
