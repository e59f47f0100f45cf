package cases

import (
	"fmt"
	"strings"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// DepthSpaceConfig is a DEPTH_TO_SPACE or SPACE_TO_DEPTH case.
type DepthSpaceConfig struct {
	Op    string `json:"op"`
	Type  string `json:"type"`
	Shape []int  `json:"shape"`
	Block int    `json:"block_size"`
}

func (c DepthSpaceConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	g := b.Main()
	x := g.Tensor("x", typ, c.Shape)
	s, bs := c.Shape, c.Block
	if c.Op == "DEPTH_TO_SPACE" {
		y := g.Tensor("y", typ, []int{s[0], s[1] * bs, s[2] * bs, s[3] / (bs * bs)})
		g.Op(tflite.BuiltinOperatorDEPTH_TO_SPACE, []int{x}, []int{y}, &tflite.DepthToSpaceOptionsT{BlockSize: int32(bs)})
		g.Outputs(y)
	} else {
		y := g.Tensor("y", typ, []int{s[0], s[1] / bs, s[2] / bs, s[3] * bs * bs})
		g.Op(tflite.BuiltinOperatorSPACE_TO_DEPTH, []int{x}, []int{y}, &tflite.SpaceToDepthOptionsT{BlockSize: int32(bs)})
		g.Outputs(y)
	}
	g.Inputs(x)
	return nil
}

func depthSpaceCase(op string, typ core.TensorType, shape []int, block int) *Case {
	cfg := DepthSpaceConfig{Op: op, Type: typeName(typ), Shape: shape, Block: block}
	name := fmt.Sprintf("%s_%s_%s_b%d", strings.ToLower(op), typeShort(typ), shapeName(shape), block)
	return &Case{Name: name, Op: op, Config: cfg, Oracle: intRange(-1000, 1000), build: cfg.build}
}

// BatchSpaceConfig is a SPACE_TO_BATCH_ND or BATCH_TO_SPACE_ND case.
type BatchSpaceConfig struct {
	Op    string `json:"op"`
	Type  string `json:"type"`
	Shape []int  `json:"shape"`
	Block []int  `json:"block_shape"`
	// Pads are SPACE_TO_BATCH_ND's paddings or BATCH_TO_SPACE_ND's crops.
	Pads []int `json:"paddings_or_crops"`
}

func (c BatchSpaceConfig) outShape() []int {
	s := c.Shape
	out := append([]int(nil), s...)
	prod := 1
	for _, b := range c.Block {
		prod *= b
	}
	for i, b := range c.Block {
		if c.Op == "SPACE_TO_BATCH_ND" {
			out[1+i] = (s[1+i] + c.Pads[2*i] + c.Pads[2*i+1]) / b
		} else {
			out[1+i] = s[1+i]*b - c.Pads[2*i] - c.Pads[2*i+1]
		}
	}
	if c.Op == "SPACE_TO_BATCH_ND" {
		out[0] = s[0] * prod
	} else {
		out[0] = s[0] / prod
	}
	return out
}

func (c BatchSpaceConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	g := b.Main()
	x := g.Tensor("x", typ, c.Shape)
	block := g.ConstInt32("block_shape", []int{len(c.Block)}, axisData(c.Block))
	pads := g.ConstInt32("pads", []int{len(c.Block), 2}, axisData(c.Pads))
	y := g.Tensor("y", typ, c.outShape())
	version := 1
	if len(c.Shape) != 4 {
		version = 3
	}
	if c.Op == "SPACE_TO_BATCH_ND" {
		g.OpVersion(tflite.BuiltinOperatorSPACE_TO_BATCH_ND, version, []int{x, block, pads}, []int{y}, &tflite.SpaceToBatchNDOptionsT{})
	} else {
		g.OpVersion(tflite.BuiltinOperatorBATCH_TO_SPACE_ND, version, []int{x, block, pads}, []int{y}, &tflite.BatchToSpaceNDOptionsT{})
	}
	g.Inputs(x)
	g.Outputs(y)
	return nil
}

func batchSpaceCase(op string, typ core.TensorType, shape, block, pads []int) *Case {
	cfg := BatchSpaceConfig{Op: op, Type: typeName(typ), Shape: shape, Block: block, Pads: pads}
	ps := make([]string, len(pads))
	for i, v := range pads {
		ps[i] = fmt.Sprint(v)
	}
	bs := make([]string, len(block))
	for i, v := range block {
		bs[i] = fmt.Sprint(v)
	}
	name := fmt.Sprintf("%s_%s_%s_b%s_p%s", strings.ToLower(op), typeShort(typ), shapeName(shape), strings.Join(bs, "x"), strings.Join(ps, ""))
	return &Case{Name: name, Op: op, Config: cfg, Oracle: intRange(-1000, 1000), build: cfg.build}
}

func spaceCases() []*Case {
	f, i32 := core.Float32, core.Int32
	return []*Case{
		depthSpaceCase("DEPTH_TO_SPACE", f, []int{1, 3, 4, 8}, 2),
		depthSpaceCase("DEPTH_TO_SPACE", f, []int{2, 2, 3, 18}, 3),
		depthSpaceCase("DEPTH_TO_SPACE", f, []int{1, 1, 1, 4}, 2),
		depthSpaceCase("DEPTH_TO_SPACE", f, []int{1, 2, 2, 3}, 1),
		depthSpaceCase("DEPTH_TO_SPACE", i32, []int{1, 2, 3, 12}, 2),
		depthSpaceCase("SPACE_TO_DEPTH", f, []int{1, 4, 6, 3}, 2),
		depthSpaceCase("SPACE_TO_DEPTH", f, []int{2, 6, 3, 2}, 3),
		depthSpaceCase("SPACE_TO_DEPTH", i32, []int{1, 4, 4, 1}, 4),
		batchSpaceCase("SPACE_TO_BATCH_ND", f, []int{1, 4, 4, 3}, []int{2, 2}, []int{0, 0, 0, 0}),
		batchSpaceCase("SPACE_TO_BATCH_ND", f, []int{2, 5, 3, 2}, []int{2, 3}, []int{1, 0, 2, 1}),
		batchSpaceCase("SPACE_TO_BATCH_ND", f, []int{1, 3, 3, 1}, []int{3, 1}, []int{2, 1, 0, 0}),
		batchSpaceCase("SPACE_TO_BATCH_ND", f, []int{2, 5, 3}, []int{2}, []int{0, 1}),
		batchSpaceCase("SPACE_TO_BATCH_ND", i32, []int{1, 2, 4, 2}, []int{2, 2}, []int{1, 1, 0, 2}),
		batchSpaceCase("BATCH_TO_SPACE_ND", f, []int{4, 2, 2, 3}, []int{2, 2}, []int{0, 0, 0, 0}),
		batchSpaceCase("BATCH_TO_SPACE_ND", f, []int{12, 3, 2, 2}, []int{2, 3}, []int{1, 0, 2, 1}),
		batchSpaceCase("BATCH_TO_SPACE_ND", f, []int{6, 2, 3, 1}, []int{3, 1}, []int{2, 1, 0, 0}),
		batchSpaceCase("BATCH_TO_SPACE_ND", f, []int{4, 3, 2}, []int{2}, []int{1, 0}),
		batchSpaceCase("BATCH_TO_SPACE_ND", i32, []int{8, 2, 1, 2}, []int{2, 2}, []int{0, 1, 1, 0}),
	}
}
