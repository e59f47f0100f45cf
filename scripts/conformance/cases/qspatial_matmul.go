package cases

import (
	"fmt"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// QBatchMatMulConfig is a quantized BATCH_MATMUL case; both operands are
// model inputs.
type QBatchMatMulConfig struct {
	Type     string      `json:"type"`
	LHS      []int       `json:"lhs"`
	RHS      []int       `json:"rhs"`
	Out      []int       `json:"out"`
	AdjX     bool        `json:"adj_x,omitempty"`
	AdjY     bool        `json:"adj_y,omitempty"`
	LQuant   QuantParams `json:"lhs_quant"`
	RQuant   QuantParams `json:"rhs_quant"`
	OutQuant QuantParams `json:"out_quant"`
}

func (c QBatchMatMulConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	g := b.Main()
	l := g.Tensor("lhs", typ, c.LHS, c.LQuant.option())
	r := g.Tensor("rhs", typ, c.RHS, c.RQuant.option())
	y := g.Tensor("y", typ, c.Out, c.OutQuant.option())
	v := 2
	if typ == core.Int16 {
		v = 3
	}
	g.OpVersion(tflite.BuiltinOperatorBATCH_MATMUL, v, []int{l, r}, []int{y}, &tflite.BatchMatMulOptionsT{AdjX: c.AdjX, AdjY: c.AdjY})
	g.Inputs(l, r)
	g.Outputs(y)
	return nil
}

func spQBatchMatMulCases() []*Case {
	var out []*Case
	mk := func(typ core.TensorType, lhs, rhs, o []int, adjX, adjY bool, lq, rq, oq QuantParams) {
		cfg := QBatchMatMulConfig{Type: typeName(typ), LHS: lhs, RHS: rhs, Out: o, AdjX: adjX, AdjY: adjY, LQuant: lq, RQuant: rq, OutQuant: oq}
		name := fmt.Sprintf("q_sp_batch_matmul_%s_%s_%s", typeShort(typ), shapeName(lhs), shapeName(rhs))
		if adjX {
			name += "_adjx"
		}
		if adjY {
			name += "_adjy"
		}
		or := defaultOracle
		if typ == core.Int16 {
			or = intRange(-3000, 3000)
		}
		out = append(out, &Case{Name: name, Op: "BATCH_MATMUL", Config: cfg, Oracle: or, build: cfg.build})
	}
	i8, i16 := core.Int8, core.Int16
	mk(i8, []int{2, 3, 5}, []int{2, 5, 4}, []int{2, 3, 4}, false, false, perTensor(0.0123, -7), perTensor(0.02, 3), perTensor(0.15, 5))
	mk(i8, []int{1, 4, 6}, []int{3, 6, 2}, []int{3, 4, 2}, false, false, perTensor(0.05, 0), perTensor(0.0078125, 0), perTensor(0.25, -3))
	mk(i8, []int{2, 5, 3}, []int{2, 4, 5}, []int{2, 3, 4}, true, true, perTensor(0.0123, 9), perTensor(0.031, -128), perTensor(0.4, 0))
	mk(i8, []int{3, 7}, []int{7, 2}, []int{3, 2}, false, false, perTensor(0.1, -128), perTensor(0.1, 127), perTensor(1.7, 1))
	mk(i16, []int{2, 3, 5}, []int{2, 5, 4}, []int{2, 3, 4}, false, false, perTensor(0.001, 0), perTensor(0.002, 0), perTensor(0.05, 0))
	mk(i16, []int{4, 6}, []int{2, 6}, []int{4, 2}, false, true, perTensor(1.0/4096, 0), perTensor(0.0003, 0), perTensor(0.01, 0))
	return out
}
