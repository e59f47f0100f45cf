package cases

import (
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// ReshapeConfig is a RESHAPE case.
type ReshapeConfig struct {
	Type    string `json:"type"`
	InShape []int  `json:"in_shape"`
	// ShapeTensor holds the values of the second input; absent (nil): the
	// node has one input.
	ShapeTensor []int32 `json:"shape_tensor,omitempty"`
	// ShapeTensorScalar makes the shape input rank 0 (it then holds one
	// value), which TFLite ignores in favour of the options.
	ShapeTensorScalar bool `json:"shape_tensor_scalar,omitempty"`
	// ShapeIsInput makes the shape tensor a model input (its values known
	// only when the graph runs) instead of a constant.
	ShapeIsInput bool `json:"shape_is_input,omitempty"`
	// Options is ReshapeOptions.new_shape; absent (nil): no options.
	Options []int32 `json:"options,omitempty"`
	// OutShape is the output shape TFLite gives.
	OutShape []int `json:"out_shape"`
}

func (c ReshapeConfig) build(b *modelbuilder.Builder) error {
	typ, err := typeByName(c.Type)
	if err != nil {
		return err
	}
	g := b.Main()
	x := g.Tensor("x", typ, c.InShape)
	inputs := []int{x}
	modelInputs := []int{x}
	if c.ShapeTensor != nil {
		shape := []int{len(c.ShapeTensor)}
		if c.ShapeTensorScalar {
			shape = []int{}
		}
		var s int
		if c.ShapeIsInput {
			s = g.Tensor("shape", core.Int32, shape)
			modelInputs = append(modelInputs, s)
		} else {
			s = g.ConstInt32("shape", shape, c.ShapeTensor)
		}
		inputs = append(inputs, s)
	}
	y := g.Tensor("y", typ, c.OutShape)
	var opts any
	if c.Options != nil {
		opts = &tflite.ReshapeOptionsT{NewShape: c.Options}
	}
	g.Op(tflite.BuiltinOperatorRESHAPE, inputs, []int{y}, opts)
	g.Inputs(modelInputs...)
	g.Outputs(y)
	return nil
}

func reshapeCase(name string, cfg ReshapeConfig) *Case {
	c := &Case{Name: "reshape_" + name, Op: "RESHAPE", Config: cfg, Oracle: defaultOracle, build: cfg.build}
	if cfg.ShapeIsInput {
		shape := cfg.ShapeTensor
		c.inputs = func() [][]byte { return [][]byte{nil, modelbuilder.Int32Bytes(shape)} }
		c.Note = "the shape is a model input (given as crafted data): TFLite sizes the output while running"
	}
	return c
}

func reshapeCases() []*Case {
	f32 := typeName(core.Float32)
	return []*Case{
		reshapeCase("f32_const_tensor", ReshapeConfig{Type: f32, InShape: []int{2, 3, 4}, ShapeTensor: []int32{4, 6}, OutShape: []int{4, 6}}),
		reshapeCase("f32_infer_last", ReshapeConfig{Type: f32, InShape: []int{2, 3, 4}, ShapeTensor: []int32{-1, 4}, OutShape: []int{6, 4}}),
		reshapeCase("f32_infer_middle", ReshapeConfig{Type: f32, InShape: []int{24}, ShapeTensor: []int32{2, -1, 3}, OutShape: []int{2, 4, 3}}),
		reshapeCase("f32_flatten", ReshapeConfig{Type: f32, InShape: []int{1, 2, 3, 1}, ShapeTensor: []int32{-1}, OutShape: []int{6}}),
		reshapeCase("f32_options_only", ReshapeConfig{Type: f32, InShape: []int{2, 3, 4}, Options: []int32{3, 8}, OutShape: []int{3, 8}}),
		reshapeCase("f32_tensor_over_options", ReshapeConfig{Type: f32, InShape: []int{2, 3, 4}, ShapeTensor: []int32{2, 12}, Options: []int32{24}, OutShape: []int{2, 12}}),
		reshapeCase("f32_empty_shape_to_scalar", ReshapeConfig{Type: f32, InShape: []int{1, 1}, ShapeTensor: []int32{}, OutShape: []int{}}),
		reshapeCase("f32_legacy_options_scalar", ReshapeConfig{Type: f32, InShape: []int{1}, Options: []int32{0}, OutShape: []int{}}),
		reshapeCase("f32_scalar_shape_tensor_uses_options", ReshapeConfig{Type: f32, InShape: []int{2, 3}, ShapeTensor: []int32{6}, ShapeTensorScalar: true, Options: []int32{3, 2}, OutShape: []int{3, 2}}),
		reshapeCase("f32_shape_from_input", ReshapeConfig{Type: f32, InShape: []int{2, 3, 4}, ShapeTensor: []int32{4, -1}, ShapeIsInput: true, OutShape: []int{4, 6}}),
		reshapeCase("f32_size1_dims", ReshapeConfig{Type: f32, InShape: []int{5, 1, 3}, ShapeTensor: []int32{1, 15, 1, 1, 1}, OutShape: []int{1, 15, 1, 1, 1}}),
		reshapeCase("i8_const_tensor", ReshapeConfig{Type: typeName(core.Int8), InShape: []int{2, 6}, ShapeTensor: []int32{3, 4}, OutShape: []int{3, 4}}),
		reshapeCase("i32_flatten", ReshapeConfig{Type: typeName(core.Int32), InShape: []int{3, 4}, ShapeTensor: []int32{12}, OutShape: []int{12}}),
	}
}
