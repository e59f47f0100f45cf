package interpreter_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"testing/fstest"
	"time"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// exampleModel builds y = x + [1 2 3 4] with a signature "serving_default".
func exampleModel() []byte {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{1, 4})
	w := g.ConstFloat32("w", []int{1, 4}, []float32{1, 2, 3, 4})
	y := g.Tensor("y", core.Float32, []int{1, 4})
	g.Op(tflite.BuiltinOperatorADD, []int{x, w}, []int{y}, &tflite.AddOptionsT{})
	g.Inputs(x)
	g.Outputs(y)
	b.Signature("serving_default", g, map[string]int{"input": x}, map[string]int{"output": y})
	return b.MustBytes()
}

func ExampleLoadModel() {
	m, err := interpreter.LoadModel(exampleModel())
	if err != nil {
		log.Fatal(err)
	}
	sg := m.Subgraphs()[0]
	in := sg.Tensors[sg.Inputs[0]]
	fmt.Println(len(m.Subgraphs()), "subgraph;", in.Name, in.Type, in.Shape, "->", sg.Operators[0].Op.Name())
	// Output: 1 subgraph; x FLOAT32 [1 4] -> ADD
}

func ExampleNew() {
	m, err := interpreter.LoadModel(exampleModel())
	if err != nil {
		log.Fatal(err)
	}
	it, err := interpreter.New(m, interpreter.WithNumThreads(2))
	if err != nil {
		log.Fatal(err)
	}
	defer it.Close()
	if err := it.AllocateTensors(); err != nil {
		log.Fatal(err)
	}
	copy(it.Input(0).Float32s(), []float32{10, 20, 30, 40})
	if err := it.Invoke(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(it.Output(0).Float32s())
	// Output: [11 22 33 44]
}

func ExampleInterpreter_ResizeInputTensor() {
	m, _ := interpreter.LoadModel(exampleModel())
	it, _ := interpreter.New(m)
	// ADD broadcasts the [1,4] constant over a batch of 2.
	if err := it.ResizeInputTensor(0, []int{2, 4}); err != nil {
		log.Fatal(err)
	}
	if err := it.AllocateTensors(); err != nil {
		log.Fatal(err)
	}
	copy(it.Input(0).Float32s(), []float32{0, 0, 0, 0, 1, 1, 1, 1})
	_ = it.Invoke()
	fmt.Println(it.Output(0).Shape(), it.Output(0).Float32s())
	// Output: [2 4] [1 2 3 4 2 3 4 5]
}

func ExampleInterpreter_Signature() {
	m, _ := interpreter.LoadModel(exampleModel())
	it, _ := interpreter.New(m)
	r, err := it.Signature("serving_default")
	if err != nil {
		log.Fatal(err)
	}
	if err := r.AllocateTensors(); err != nil {
		log.Fatal(err)
	}
	copy(r.Input("input").Float32s(), []float32{1, 1, 1, 1})
	if err := r.Invoke(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(it.SignatureKeys(), r.Output("output").Float32s())
	// Output: [serving_default] [2 3 4 5]
}

// A custom op: the kernel factory parses options once; Prepare sets the
// output shape; Eval computes.
func ExampleWithCustomOp() {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{3})
	y := g.Tensor("y", core.Float32, []int{3})
	g.Custom("Scale", []int{x}, []int{y}, []byte{3}) // option: the factor
	g.Inputs(x)
	g.Outputs(y)
	m, _ := interpreter.LoadModel(b.MustBytes())

	scale := func(n *core.Node) (core.Kernel, error) {
		factor := float32(n.CustomOptions[0])
		return core.KernelFunc{
			PrepareFunc: func(n *core.Node) error {
				if n.Input(0).Type() != core.Float32 {
					return n.Errorf("want FLOAT32, got %s", n.Input(0).Type())
				}
				n.Output(0).SetShape(n.Input(0).Shape())
				return nil
			},
			EvalFunc: func(n *core.Node) error {
				out := n.Output(0).Float32s()
				for i, v := range n.Input(0).Float32s() {
					out[i] = v * factor
				}
				return nil
			},
		}, nil
	}
	it, err := interpreter.New(m, interpreter.WithCustomOp("Scale", scale))
	if err != nil {
		log.Fatal(err)
	}
	_ = it.AllocateTensors()
	copy(it.Input(0).Float32s(), []float32{1, 2, 3})
	_ = it.Invoke()
	fmt.Println(it.Output(0).Float32s())
	// Output: [3 6 9]
}

func ExampleWithCancel() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	m, _ := interpreter.LoadModel(exampleModel())
	it, _ := interpreter.New(m, interpreter.WithCancel(ctx))
	_ = it.AllocateTensors()
	cancel()
	fmt.Println(it.Invoke())
	// Output: subgraph 0, before operator 0 (ADD): invocation cancelled: context canceled
}

func ExampleModelError() {
	buf := exampleModel()
	_, err := interpreter.LoadModel(buf[:len(buf)/2])
	var me *interpreter.ModelError
	fmt.Println(errors.As(err, &me))
	// Output: true
}

func ExampleLoadModelFS() {
	fsys := fstest.MapFS{"models/add.tflite": {Data: exampleModel()}}
	m, err := interpreter.LoadModelFS(fsys, "models/add.tflite")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Signatures()[0].Key)
	// Output: serving_default
}

func ExampleLoadModelFile() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "add.tflite")
	_ = os.WriteFile(path, exampleModel(), 0o644)

	m, err := interpreter.LoadModelFile(path) // memory-mapped on unix
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	fmt.Println(m.Size() > 0, m.Opcodes()[0].Name())
	// Output: true ADD
}
