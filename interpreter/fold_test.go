package interpreter_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// fp16 weights -> DEQUANTIZE -> ADD: the DEQUANTIZE runs once, in
// AllocateTensors, and never again.
func TestDequantizeOfConstantsIsFoldedAtAllocation(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{4})
	half := []uint16{core.Float32ToFloat16(1), core.Float32ToFloat16(-2), core.Float32ToFloat16(0.5), core.Float32ToFloat16(1024)}
	w16 := g.Const("w16", core.Float16, []int{4}, modelbuilder.Uint16Bytes(half))
	w := g.Tensor("w", core.Float32, []int{4})
	y := g.Tensor("y", core.Float32, []int{4})
	g.Op(tflite.BuiltinOperatorDEQUANTIZE, []int{w16}, []int{w}, nil)
	g.Op(tflite.BuiltinOperatorADD, []int{x, w}, []int{y}, &tflite.AddOptionsT{})
	g.Inputs(x)
	g.Outputs(y)

	p := &countingProfiler{ops: make([]string, 0, 4)}
	it := load(t, b, interpreter.WithProfiler(p))
	require.NoError(t, it.AllocateTensors())
	assert.True(t, it.Tensor(w).IsConstant(), "the dequantized weights are a constant now")
	assert.Equal(t, []float32{1, -2, 0.5, 1024}, it.Tensor(w).Float32s())
	assert.Equal(t, int64(16), it.PersistentBytes())
	assert.Equal(t, int64(2*64), it.ArenaBytes(), "only x and y are in the arena")

	copy(it.Input(0).Float32s(), []float32{1, 1, 1, 1})
	require.NoError(t, it.Invoke())
	assert.Equal(t, []float32{2, -1, 1.5, 1025}, it.Output(0).Float32s())
	assert.Equal(t, []string{"ADD"}, p.ops, "DEQUANTIZE does not run in Invoke")

	// A re-plan keeps the folded constant.
	require.NoError(t, it.ResizeInputTensor(0, []int{2, 4}))
	require.NoError(t, it.AllocateTensors())
	copy(it.Input(0).Float32s(), []float32{0, 0, 0, 0, 1, 2, 3, 4})
	require.NoError(t, it.Invoke())
	assert.Equal(t, []float32{1, -2, 0.5, 1024, 2, 0, 3.5, 1028}, it.Output(0).Float32s())
}

// A DEQUANTIZE whose input is not constant runs on every Invoke.
func TestDequantizeOfInputsIsNotFolded(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	q := g.Tensor("q", core.Int8, []int{2}, modelbuilder.Quant(0.5, 1))
	y := g.Tensor("y", core.Float32, []int{2})
	g.Op(tflite.BuiltinOperatorDEQUANTIZE, []int{q}, []int{y}, nil)
	g.Inputs(q)
	g.Outputs(y)
	it := load(t, b)
	require.NoError(t, it.AllocateTensors())
	copy(it.Input(0).Int8s(), []int8{3, -1})
	require.NoError(t, it.Invoke())
	assert.Equal(t, []float32{1, -1}, it.Output(0).Float32s())
	copy(it.Input(0).Int8s(), []int8{5, 1})
	require.NoError(t, it.Invoke())
	assert.Equal(t, []float32{2, 0}, it.Output(0).Float32s())
}
