package interpreter_test

import (
	"fmt"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
)

// Custom ops used to exercise the engine independently of the builtin
// kernels. Each is small enough to be obviously right.

// testAdd adds two FLOAT32 tensors of the same shape.
func testAdd(n *core.Node) (core.Kernel, error) {
	return core.KernelFunc{
		PrepareFunc: func(n *core.Node) error {
			a, b := n.Input(0), n.Input(1)
			if a == nil || b == nil || a.Type() != core.Float32 || !b.SameShape(a.Shape()) {
				return n.Errorf("want two FLOAT32 inputs of one shape")
			}
			n.Output(0).SetShape(a.Shape())
			return nil
		},
		EvalFunc: func(n *core.Node) error {
			a, b, out := n.Input(0).Float32s(), n.Input(1).Float32s(), n.Output(0).Float32s()
			for i := range out {
				out[i] = a[i] + b[i]
			}
			return nil
		},
	}, nil
}

// testReshape keeps the model's output shape and may alias its input.
type testReshape struct{}

func (testReshape) Prepare(n *core.Node) error {
	n.Output(0).SetShape(n.Input(0).Shape())
	return nil
}

func (testReshape) Eval(n *core.Node) error {
	if !core.SameStorage(n.Input(0), n.Output(0)) {
		copy(n.Output(0).Bytes(), n.Input(0).Bytes())
	}
	return nil
}

func (testReshape) AliasOutput(*core.Node) (int, int, bool) { return 0, 0, true }

// testNonZero outputs the indices of the non-zero inputs: a data-dependent
// shape.
func testNonZero(n *core.Node) (core.Kernel, error) {
	shape := make([]int, 1) // kept across runs so that Eval does not allocate
	return core.KernelFunc{
		PrepareFunc: func(n *core.Node) error {
			n.Output(0).SetDynamic()
			return nil
		},
		EvalFunc: func(n *core.Node) error {
			in := n.Input(0).Float32s()
			count := 0
			for _, v := range in {
				if v != 0 {
					count++
				}
			}
			shape[0] = count
			if err := n.ResizeOutput(0, shape); err != nil {
				return err
			}
			out := n.Output(0).Float32s()
			j := 0
			for i, v := range in {
				if v != 0 {
					out[j] = float32(i)
					j++
				}
			}
			return nil
		},
	}, nil
}

// testAccumulate adds input 0 into the variable input 1 and outputs the sum.
func testAccumulate(n *core.Node) (core.Kernel, error) {
	return core.KernelFunc{
		PrepareFunc: func(n *core.Node) error {
			if !n.Input(1).IsVariable() {
				return n.Errorf("input 1 must be a variable")
			}
			n.Output(0).SetShape(n.Input(0).Shape())
			return nil
		},
		EvalFunc: func(n *core.Node) error {
			in, acc, out := n.Input(0).Float32s(), n.Input(1).Float32s(), n.Output(0).Float32s()
			for i := range in {
				acc[i] += in[i]
				out[i] = acc[i]
			}
			return nil
		},
	}, nil
}

// testCall runs the subgraph named by its first custom option byte,
// copying inputs in and outputs out.
type testCall struct{ sub core.Subgraph }

func (k *testCall) Prepare(n *core.Node) error {
	if len(n.CustomOptions) != 1 {
		return n.Errorf("want one option byte")
	}
	sub, err := n.Env.Subgraph(int(n.CustomOptions[0]))
	if err != nil {
		return err
	}
	k.sub = sub
	for i, t := range n.Inputs {
		if err := sub.ResizeInput(i, t.Shape()); err != nil {
			return err
		}
	}
	if err := sub.AllocateTensors(); err != nil {
		return err
	}
	for i, t := range n.Outputs {
		t.SetShape(sub.Outputs()[i].Shape())
	}
	return nil
}

func (k *testCall) Eval(n *core.Node) error {
	for i, t := range n.Inputs {
		copy(k.sub.Inputs()[i].Bytes(), t.Bytes())
	}
	if err := k.sub.Invoke(); err != nil {
		return fmt.Errorf("called subgraph: %w", err)
	}
	for i, t := range n.Outputs {
		copy(t.Bytes(), k.sub.Outputs()[i].Bytes())
	}
	return nil
}

func testOps() interpreter.Option {
	r := core.NewOps()
	r.AddCustom("TestAdd", testAdd)
	r.AddCustom("TestReshape", func(*core.Node) (core.Kernel, error) { return testReshape{}, nil })
	r.AddCustom("TestNonZero", testNonZero)
	r.AddCustom("TestAccumulate", testAccumulate)
	r.AddCustom("TestCall", func(*core.Node) (core.Kernel, error) { return &testCall{}, nil })
	return interpreter.WithOpResolver(r)
}
