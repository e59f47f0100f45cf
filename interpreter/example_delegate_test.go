package interpreter_test

import (
	"fmt"

	"github.com/edgelite/edgelite/delegates"
	"github.com/edgelite/edgelite/delegates/reference"
	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// WithDelegates hands the nodes a delegate supports to it; Plan says what
// went where. The reference delegate, limited here to ADD and MUL, runs its
// partitions with the CPU kernels.
func ExampleWithDelegates() {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2})
	a := g.Tensor("a", core.Float32, []int{2})
	m2 := g.Tensor("m", core.Float32, []int{2})
	h := g.Tensor("h", core.Float32, []int{2})
	y := g.Tensor("y", core.Float32, []int{2})
	g.Op(tflite.BuiltinOperatorADD, []int{x, x}, []int{a}, &tflite.AddOptionsT{})
	g.Op(tflite.BuiltinOperatorMUL, []int{a, a}, []int{m2}, &tflite.MulOptionsT{})
	g.Op(tflite.BuiltinOperatorTANH, []int{m2}, []int{h}, nil)
	g.Op(tflite.BuiltinOperatorADD, []int{h, x}, []int{y}, &tflite.AddOptionsT{})
	g.Inputs(x)
	g.Outputs(y)
	m, err := interpreter.LoadModel(b.MustBytes())
	if err != nil {
		panic(err)
	}

	d := reference.New(reference.Options{Ops: []tflite.BuiltinOperator{tflite.BuiltinOperatorADD, tflite.BuiltinOperatorMUL}})
	defer d.Close()
	it, err := interpreter.New(m, interpreter.WithDelegates(d), interpreter.WithDelegateOptions(delegates.Options{MinNodesPerPartition: 1}))
	if err != nil {
		panic(err)
	}
	defer it.Close()
	if err := it.AllocateTensors(); err != nil {
		panic(err)
	}
	copy(it.Input(0).Float32s(), []float32{0, 0.25})
	if err := it.Invoke(); err != nil {
		panic(err)
	}
	fmt.Printf("%.4f\n", it.Output(0).Float32s())

	p := it.Plan().Subgraphs[0]
	for _, part := range p.Partitions {
		fmt.Printf("%s: nodes %v (delegate node %d)\n", part.Delegate, part.Nodes, part.NodeIndex)
	}
	for _, r := range p.Refusals {
		fmt.Printf("node %d (%s) refused: %s\n", r.Node, r.Op, r.Reason)
	}
	// Output:
	// [0.0000 0.4949]
	// EdgeliteReferenceDelegate: nodes [0 1] (delegate node 4)
	// EdgeliteReferenceDelegate: nodes [3] (delegate node 5)
	// node 2 (TANH) refused: op TANH is not one of the delegate's
}
