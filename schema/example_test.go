package schema_test

import (
	"fmt"

	"github.com/edgelite/edgelite/schema"
	"github.com/edgelite/edgelite/schema/tflite"
)

// Build a model with the object API, serialize it, and read it back the
// way untrusted bytes should be read: Verify first.
func Example() {
	m := &tflite.ModelT{
		Version:       schema.Version,
		OperatorCodes: []*tflite.OperatorCodeT{{BuiltinCode: tflite.BuiltinOperatorRESHAPE, Version: 1}},
		Subgraphs: []*tflite.SubGraphT{{
			Tensors: []*tflite.TensorT{
				{Name: "in", Shape: []int32{2, 3}, Type: tflite.TensorTypeFLOAT32},
				{Name: "out", Shape: []int32{6}, Type: tflite.TensorTypeFLOAT32},
			},
			Inputs:  []int32{0},
			Outputs: []int32{1},
			Operators: []*tflite.OperatorT{{
				Inputs:  []int32{0},
				Outputs: []int32{1},
				BuiltinOptions: &tflite.BuiltinOptionsT{
					Type:  tflite.BuiltinOptionsReshapeOptions,
					Value: &tflite.ReshapeOptionsT{NewShape: []int32{6}},
				},
			}},
		}},
		Buffers: []*tflite.BufferT{{}},
	}
	buf := schema.Serialize(m)

	if err := schema.Verify(buf); err != nil {
		fmt.Println("invalid model:", err)
		return
	}
	model := tflite.GetRootAsModel(buf, 0) // zero-copy access
	var oc tflite.OperatorCode
	model.OperatorCodes(&oc, 0)
	fmt.Println(schema.BuiltinCode(&oc))

	back := model.UnPack() // or a mutable copy
	opts := back.Subgraphs[0].Operators[0].BuiltinOptions.Value.(*tflite.ReshapeOptionsT)
	fmt.Println(opts.NewShape)

	buf[5] = 'X' // damage the file identifier
	fmt.Println(schema.Verify(buf))
	// Output:
	// RESHAPE
	// [6]
	// Model: file identifier is "TXL3", want "TFL3" (offset 4, size 376)
}
