//go:build xnnpack && cgo

package xnnpack

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
	mb "github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// chainModel is CONV_2D (SAME) -> ADD -> MAX_POOL_2D, whose output shape
// follows the input's.
func chainModel(t *testing.T) *interpreter.Model {
	b := mb.New()
	s := b.Main()
	g := newGen()
	x := s.Tensor("in", f32, []int{1, 6, 6, 2})
	w := fconst(s, g, "w", []int{4, 3, 3, 2})
	bias := fconst(s, g, "b", []int{4})
	c := s.Tensor("c", f32, []int{1, 6, 6, 4})
	s.Op(tflite.BuiltinOperatorCONV_2D, []int{x, w, bias}, []int{c}, &tflite.Conv2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 1, StrideH: 1, DilationWFactor: 1, DilationHFactor: 1})
	a := s.Tensor("a", f32, []int{1, 6, 6, 4})
	s.Op(tflite.BuiltinOperatorADD, []int{c, c}, []int{a}, &tflite.AddOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU})
	y := s.Tensor("out", f32, []int{1, 3, 3, 4})
	s.Op(tflite.BuiltinOperatorMAX_POOL_2D, []int{a}, []int{y}, &tflite.Pool2DOptionsT{Padding: tflite.PaddingSAME, StrideW: 2, StrideH: 2, FilterWidth: 2, FilterHeight: 2})
	s.Inputs(x)
	s.Outputs(y)
	m, err := interpreter.LoadModel(b.MustBytes())
	require.NoError(t, err)
	return m
}

// TestRuntimeRecreatedOnResize resizes the input of a delegated model:
// Prepare must build a new XNNPACK runtime for the new shapes, set the
// output's shape and compute what the CPU computes at that shape.
func TestRuntimeRecreatedOnResize(t *testing.T) {
	d, err := New(Options{})
	require.NoError(t, err)
	m := chainModel(t)
	dm := delegateLoaded(t, d, m, 2)
	require.Equal(t, dm.total, dm.taken)
	require.Len(t, dm.kernels, 1)
	k := dm.kernels[0]
	node := dm.delegateNode(t, 0)
	first := k.b

	// Same shapes: Prepare keeps the runtime.
	require.NoError(t, k.Prepare(node))
	require.Same(t, first, k.b)

	for _, shape := range [][]int{{2, 9, 7, 2}, {1, 4, 4, 2}} {
		before := k.b
		require.NoError(t, dm.it.ResizeInputTensor(0, shape))
		require.NoError(t, dm.it.AllocateTensors())
		require.NotSame(t, before, k.b, "runtime not re-created for input %v", shape)
		again := k.b
		require.NoError(t, dm.it.AllocateTensors())
		require.Same(t, again, k.b, "runtime re-created without a change")
		fillInputs(t, dm.it, 5)
		require.NoError(t, dm.invoke())

		cpu, err := interpreter.New(m)
		require.NoError(t, err)
		require.NoError(t, cpu.ResizeInputTensor(0, shape))
		require.NoError(t, cpu.AllocateTensors())
		fillInputs(t, cpu, 5)
		require.NoError(t, cpu.Invoke())
		want := []int{shape[0], (shape[1] + 1) / 2, (shape[2] + 1) / 2, 4}
		require.Equal(t, want, dm.it.Output(0).Shape())
		compareTensors(t, cpu.Output(0), dm.it.Output(0))
		cpu.Close()
	}
}

// TestEvalAllocatesNothing: Invoke of a delegated interpreter (the
// delegate kernel's Eval copies into C buffers and invokes the runtime)
// makes no Go allocations.
func TestEvalAllocatesNothing(t *testing.T) {
	d, err := New(Options{})
	require.NoError(t, err)
	dm := delegateLoaded(t, d, chainModel(t), 2)
	fillInputs(t, dm.it, 2)
	allocs := testing.AllocsPerRun(50, func() {
		if err := dm.it.Invoke(); err != nil {
			t.Fatal(err)
		}
	})
	require.Zero(t, allocs)
}

// TestFreeIsIdempotent frees a kernel twice and checks Eval then fails
// cleanly.
func TestFreeIsIdempotent(t *testing.T) {
	d, err := New(Options{})
	require.NoError(t, err)
	dm := delegateLoaded(t, d, chainModel(t), 2)
	k := dm.kernels[0]
	node := dm.delegateNode(t, 0)
	k.Free()
	k.Free()
	require.Error(t, k.Eval(node))
	require.Error(t, k.Prepare(node))
}
