package modelbuilder_test

import (
	"fmt"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

func Example() {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2})
	y := g.Tensor("y", core.Float32, []int{2})
	g.Op(tflite.BuiltinOperatorMUL, []int{x, x}, []int{y}, &tflite.MulOptionsT{})
	g.Inputs(x)
	g.Outputs(y)

	m, err := interpreter.LoadModel(b.MustBytes())
	if err != nil {
		panic(err)
	}
	it, _ := interpreter.New(m)
	_ = it.AllocateTensors()
	copy(it.Input(0).Float32s(), []float32{3, -4})
	_ = it.Invoke()
	fmt.Println(it.Output(0).Float32s())
	// Output: [9 16]
}
