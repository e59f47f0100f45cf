package cases

import (
	"fmt"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// QConcatConfig is a quantized CONCATENATION case whose inputs may have
// their own parameters (UINT8 inputs are then requantized).
type QConcatConfig struct {
	Type   string        `json:"type"`
	Shapes [][]int       `json:"shapes"`
	Axis   int           `json:"axis"`
	Quants []QuantParams `json:"quants"`
	Out    QuantParams   `json:"out"`
}

func (c QConcatConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	g := b.Main()
	outShape := append([]int(nil), c.Shapes[0]...)
	axis := c.Axis
	if axis < 0 {
		axis += len(outShape)
	}
	var ins []int
	for i, s := range c.Shapes {
		ins = append(ins, g.Tensor(fmt.Sprintf("x%d", i), typ, s, c.Quants[i].option()))
		if i > 0 {
			outShape[axis] += s[axis]
		}
	}
	y := g.Tensor("y", typ, outShape, c.Out.option())
	g.OpVersion(tflite.BuiltinOperatorCONCATENATION, spQVersion(typ), ins, []int{y}, &tflite.ConcatenationOptionsT{Axis: int32(c.Axis)})
	g.Inputs(ins...)
	g.Outputs(y)
	return nil
}

func spQConcatCases() []*Case {
	mk := func(name string, typ core.TensorType, axis int, shapes [][]int, quants []QuantParams, out QuantParams) *Case {
		cfg := QConcatConfig{Type: typeName(typ), Shapes: shapes, Axis: axis, Quants: quants, Out: out}
		o := defaultOracle
		if typ == core.Int16 {
			o = intRange(-32768, 32767)
		}
		return &Case{Name: "q_sp_concat_" + name, Op: "CONCATENATION", Config: cfg, Oracle: o, build: cfg.build}
	}
	u8, i8, i16 := core.Uint8, core.Int8, core.Int16
	// The oracle's XNNPACK concatenates 2 to 4 quantized inputs as bytes,
	// ignoring differing parameters; six inputs keep TFLite's builtin
	// kernel (ConcatenationWithScaling).
	six := func(s []int, axis, step int) [][]int {
		out := make([][]int, 6)
		for i := range out {
			out[i] = append([]int(nil), s...)
			out[i][axis] += (i * step) % 3
		}
		return out
	}
	return []*Case{
		mk("u8_rescale6_axis3", u8, 3, six([]int{1, 2, 3, 2}, 3, 1),
			[]QuantParams{perTensor(0.0235, 128), perTensor(0.0123, 3), perTensor(0.05, 120), perTensor(0.1, 255), perTensor(0.0078125, 0), perTensor(0.02, 77)}, perTensor(0.05, 120)),
		mk("u8_rescale6_axis1", u8, 1, six([]int{2, 1, 4}, 1, 2),
			[]QuantParams{perTensor(0.1, 127), perTensor(0.05, 127), perTensor(0.0078125, 0), perTensor(0.1, 127), perTensor(0.3, 200), perTensor(0.013, 9)}, perTensor(0.1, 127)),
		mk("u8_rescale6_axism1_saturate", u8, -1, six([]int{3, 1}, 1, 1),
			[]QuantParams{perTensor(0.02, 10), perTensor(0.01, 250), perTensor(0.5, 128), perTensor(0.02, 10), perTensor(0.25, 0), perTensor(0.03, 31)}, perTensor(0.02, 10)),
		mk("u8_rescale6_axis0_ties", u8, 0, six([]int{1, 6}, 0, 1),
			[]QuantParams{perTensor(0.5, 1), perTensor(0.25, 3), perTensor(1.5, 0), perTensor(0.125, 128), perTensor(0.75, 255), perTensor(1, 0)}, perTensor(1, 2)),
		mk("u8_same_axis2", u8, 2, [][]int{{2, 2, 3}, {2, 2, 5}},
			[]QuantParams{perTensor(0.0235, 128), perTensor(0.0235, 128)}, perTensor(0.0235, 128)),
		mk("i8_same_axis3", i8, 3, [][]int{{1, 2, 3, 4}, {1, 2, 3, 2}},
			[]QuantParams{perTensor(0.0123, -7), perTensor(0.0123, -7)}, perTensor(0.0123, -7)),
		mk("i16_axis1", i16, 1, [][]int{{2, 3, 4}, {2, 1, 4}},
			[]QuantParams{perTensor(1.0/4096, 0), perTensor(1.0/4096, 0)}, perTensor(1.0/4096, 0)),
	}
}
