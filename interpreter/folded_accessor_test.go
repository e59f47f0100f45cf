package interpreter_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// Subgraph.Folded tells profilers which nodes AllocateTensors computed
// once and Invoke skips.
func TestSubgraphFolded(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2})
	w16 := g.Const("w16", core.Float16, []int{2}, modelbuilder.Uint16Bytes([]uint16{core.Float32ToFloat16(1), core.Float32ToFloat16(2)}))
	w := g.Tensor("w", core.Float32, []int{2})
	y := g.Tensor("y", core.Float32, []int{2})
	g.Op(tflite.BuiltinOperatorDEQUANTIZE, []int{w16}, []int{w}, nil)
	g.Op(tflite.BuiltinOperatorADD, []int{x, w}, []int{y}, &tflite.AddOptionsT{})
	g.Inputs(x)
	g.Outputs(y)
	it := load(t, b)
	sg, err := it.Subgraph(0)
	require.NoError(t, err)
	assert.False(t, sg.Folded(0), "nothing is folded before AllocateTensors")
	require.NoError(t, it.AllocateTensors())
	assert.True(t, sg.Folded(0), "DEQUANTIZE of a constant")
	assert.False(t, sg.Folded(1), "ADD of an input")
	assert.False(t, sg.Folded(-1))
	assert.False(t, sg.Folded(2))
}
