package core_test

import (
	"fmt"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

func ExampleOps() {
	r := core.NewOps()
	r.AddBuiltin(tflite.BuiltinOperatorADD, 1, 2, func(n *core.Node) (core.Kernel, error) {
		return core.KernelFunc{EvalFunc: func(*core.Node) error { return nil }}, nil
	})
	_, err := r.Lookup(core.OpCode{Builtin: tflite.BuiltinOperatorADD, Version: 3})
	fmt.Println(err)
	// Output: op ADD version 3 is not supported (supported: 1-2)
}

func ExampleTensor_Quantize() {
	t := core.NewTensor(0, "q", core.Int8, []int{3})
	t.Bind(make([]byte, 3), core.StorageArena)
	t.SetQuantization(core.Quantization{Scale: []float32{0.1}, ZeroPoint: []int64{5}})
	_ = t.Quantize([]float32{-1, 0.25, 100})
	back := make([]float32, 3)
	_ = t.Dequantize(back)
	fmt.Println(t.Int8s(), back)
	// Output: [-5 8 127] [-1 0.3 12.2]
}

func ExampleEncodeStrings() {
	t := core.NewTensor(0, "s", core.String, nil)
	_ = t.SetStrings([]string{"cat", "dog"})
	s, _ := t.StringAt(1)
	fmt.Println(t.Shape(), string(s), len(core.EncodeStrings([]string{"cat", "dog"})))
	// Output: [2] dog 22
}
