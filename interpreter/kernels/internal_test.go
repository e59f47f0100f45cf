package kernels

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

func TestBroadcastShape(t *testing.T) {
	for _, c := range []struct {
		a, b, want []int
		err        bool
	}{
		{a: []int{2, 3}, b: []int{3}, want: []int{2, 3}},
		{a: []int{}, b: []int{4, 1}, want: []int{4, 1}},
		{a: []int{2, 1, 4}, b: []int{3, 1}, want: []int{2, 3, 4}},
		{a: []int{0, 3}, b: []int{1, 3}, want: []int{0, 3}},
		{a: []int{0}, b: []int{1}, want: []int{0}},
		{a: []int{2, 3}, b: []int{4}, err: true},
		{a: []int{0}, b: []int{2}, err: true},
	} {
		got, err := broadcastShape(c.a, c.b)
		if c.err {
			assert.Error(t, err, "%v %v", c.a, c.b)
			continue
		}
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%v %v", c.a, c.b)
	}
}

func TestBroadcastPlanStrides(t *testing.T) {
	var bc broadcast
	out, err := bc.init([]int{2, 1, 4}, []int{3, 1})
	require.NoError(t, err)
	assert.Equal(t, []int{2, 3, 4}, out)
	assert.Equal(t, [6]int{1, 1, 1, 2, 3, 4}, bc.dims)
	assert.Equal(t, [6]int{0, 0, 0, 4, 0, 1}, bc.s1)
	assert.Equal(t, [6]int{0, 0, 0, 0, 1, 0}, bc.s2)
	_, err = bc.init([]int{1, 1, 1, 1, 1, 1, 2}, []int{2, 1})
	assert.ErrorContains(t, err, "at most 6")
	// Equal shapes of any rank need no plan.
	out, err = bc.init([]int{1, 2, 1, 2, 1, 2, 1, 2}, []int{1, 2, 1, 2, 1, 2, 1, 2})
	require.NoError(t, err)
	assert.True(t, bc.same)
	assert.Len(t, out, 8)
}

func TestQuantizeMultiplier(t *testing.T) {
	for _, c := range []struct {
		m     float64
		q     int32
		shift int
	}{
		{0, 0, 0},
		{1, 1 << 30, 1},
		{0.5, 1 << 30, 0},
		{0.75, 1610612736, 0},
		{1e-12, 0, 0}, // below 2^-31 * 2^-31: shifted out
		{2.5, 1342177280, 2},
	} {
		q, shift := quantizeMultiplier(c.m)
		assert.Equal(t, c.q, q, "%g", c.m)
		assert.Equal(t, c.shift, shift, "%g", c.m)
	}
}

func TestFixedPointHelpers(t *testing.T) {
	assert.Equal(t, int32(math.MaxInt32), saturatingRoundingDoublingHighMul(math.MinInt32, math.MinInt32))
	assert.Equal(t, int32(1<<29), saturatingRoundingDoublingHighMul(1<<30, 1<<30))
	// Ties round away from zero.
	assert.Equal(t, int32(3), roundingDivideByPOT(5, 1))
	assert.Equal(t, int32(-3), roundingDivideByPOT(-5, 1))
	assert.Equal(t, int32(-2), roundingDivideByPOT(-6, 2))
	assert.Equal(t, int32(2), roundingDivideByPOT(6, 2))
	// x * 0.75 and x * 2.5.
	q, s := quantizeMultiplier(0.75)
	assert.Equal(t, int32(75), multiplyByQuantizedMultiplier(100, q, s))
	q, s = quantizeMultiplier(2.5)
	assert.Equal(t, int32(-250), multiplyByQuantizedMultiplier(-100, q, s))
}

func TestRoundToInt64Saturates(t *testing.T) {
	assert.Equal(t, int64(0), roundToInt64(math.NaN()))
	assert.Equal(t, int64(1<<62), roundToInt64(math.Inf(1)))
	assert.Equal(t, int64(-(1 << 62)), roundToInt64(math.Inf(-1)))
	assert.Equal(t, int64(-3), roundToInt64(-2.5))
	assert.Equal(t, int64(3), roundToInt64(2.5))
}

// evalModels are one-op models whose Eval must not allocate.
func evalModels() map[string]*modelbuilder.Builder {
	ms := map[string]*modelbuilder.Builder{}
	binary := func(name string, code tflite.BuiltinOperator, typ core.TensorType, s1, s2, so []int) {
		b := modelbuilder.New()
		g := b.Main()
		x, y, z := g.Tensor("x", typ, s1), g.Tensor("y", typ, s2), g.Tensor("z", typ, so)
		g.Op(code, []int{x, y}, []int{z}, nil)
		g.Inputs(x, y)
		g.Outputs(z)
		ms[name] = b
	}
	binary("add_f32_broadcast", tflite.BuiltinOperatorADD, core.Float32, []int{2, 1, 3}, []int{4, 1}, []int{2, 4, 3})
	binary("sub_i32_same", tflite.BuiltinOperatorSUB, core.Int32, []int{5, 3}, []int{5, 3}, []int{5, 3})
	binary("mul_i64_broadcast", tflite.BuiltinOperatorMUL, core.Int64, []int{3, 1}, []int{1, 3}, []int{3, 3})

	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2, 6})
	s := g.Tensor("s", core.Int32, []int{2})
	y := g.Tensor("y", core.Float32, []int{3, 4})
	g.Op(tflite.BuiltinOperatorRESHAPE, []int{x, s}, []int{y}, nil)
	g.Inputs(x, s)
	g.Outputs(y)
	ms["reshape_dynamic"] = b

	b = modelbuilder.New()
	g = b.Main()
	x = g.Tensor("x", core.Int8, []int{3, 4}, modelbuilder.PerAxisQuant([]float32{0.1, 0.2, 0.3}, []int64{0, 1, 2}, 0))
	y = g.Tensor("y", core.Float32, []int{3, 4})
	g.Op(tflite.BuiltinOperatorDEQUANTIZE, []int{x}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	ms["dequantize_per_channel"] = b

	b = modelbuilder.New()
	g = b.Main()
	x = g.Tensor("x", core.Float32, []int{3, 4})
	y = g.Tensor("y", core.Int8, []int{3, 4}, modelbuilder.Quant(0.1, 3))
	g.Op(tflite.BuiltinOperatorQUANTIZE, []int{x}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	ms["quantize_f32_i8"] = b

	b = modelbuilder.New()
	g = b.Main()
	x = g.Tensor("x", core.Int16, []int{7}, modelbuilder.Quant(0.001, 0))
	y = g.Tensor("y", core.Int8, []int{7}, modelbuilder.Quant(0.1, 3))
	g.Op(tflite.BuiltinOperatorQUANTIZE, []int{x}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	ms["quantize_i16_i8"] = b

	b = modelbuilder.New()
	g = b.Main()
	x1, x2, x3 := g.Tensor("a", core.Float32, []int{2, 1}), g.Tensor("b", core.Float32, []int{2, 3}), g.Tensor("c", core.Float32, []int{2, 2})
	y = g.Tensor("y", core.Float32, []int{2, 6})
	g.Op(tflite.BuiltinOperatorCONCATENATION, []int{x1, x2, x3}, []int{y}, &tflite.ConcatenationOptionsT{Axis: -1})
	g.Inputs(x1, x2, x3)
	g.Outputs(y)
	ms["concatenation"] = b

	b = modelbuilder.New()
	g = b.Main()
	x = g.Tensor("x", core.Float32, []int{2, 5})
	w := g.ConstFloat32("w", []int{3, 5}, make([]float32, 15))
	bias := g.ConstFloat32("b", []int{3}, []float32{1, 2, 3})
	y = g.Tensor("y", core.Float32, []int{2, 3})
	g.Op(tflite.BuiltinOperatorFULLY_CONNECTED, []int{x, w, bias}, []int{y}, &tflite.FullyConnectedOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeRELU})
	g.Inputs(x)
	g.Outputs(y)
	ms["fully_connected"] = b
	return ms
}

func TestEvalDoesNotAllocate(t *testing.T) {
	for name, b := range evalModels() {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, b)
			h.prepare(t)
			h.fill()
			if name == "reshape_dynamic" {
				copy(h.node.Inputs[1].Int32s(), []int32{3, -1})
			}
			h.eval(t)
			allocs := testing.AllocsPerRun(20, func() {
				if err := h.kernel.Eval(h.node); err != nil {
					t.Fatal(err)
				}
			})
			assert.Zero(t, allocs)
		})
	}
}

// TestReshapeAliasedSkipsCopy simulates the planner giving RESHAPE's
// output the input's storage.
func TestReshapeAliasedSkipsCopy(t *testing.T) {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{2, 3})
	s := g.ConstInt32("s", []int{1}, []int32{6})
	y := g.Tensor("y", core.Float32, []int{6})
	g.Op(tflite.BuiltinOperatorRESHAPE, []int{x, s}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	h := newHarness(t, b)
	o, i, ok := h.kernel.(core.Aliaser).AliasOutput(h.node)
	require.True(t, ok)
	assert.Equal(t, 0, o)
	assert.Equal(t, 0, i)
	h.prepare(t)
	in, out := h.node.Inputs[0], h.node.Outputs[0]
	copy(in.Float32s(), []float32{1, 2, 3, 4, 5, 6})
	out.Bind(in.Bytes(), core.StorageArena)
	require.True(t, core.SameStorage(in, out))
	h.eval(t)
	assert.Equal(t, []float32{1, 2, 3, 4, 5, 6}, out.Float32s())
	assert.Zero(t, testing.AllocsPerRun(10, func() { _ = h.kernel.Eval(h.node) }))
}

func TestEvalBeforePrepareFails(t *testing.T) {
	for name, b := range evalModels() {
		h := newHarness(t, b)
		assert.Error(t, h.kernel.Eval(h.node), name)
	}
}

func TestEvalChecksStorage(t *testing.T) {
	for name, b := range evalModels() {
		h := newHarness(t, b)
		h.prepare(t)
		// Storage the planner failed to give: Eval must fail, not panic.
		h.node.Outputs[0].Bind(nil, core.StorageArena)
		if name == "reshape_dynamic" {
			h.node.Inputs[0].Bind(nil, core.StorageArena)
		}
		assert.Error(t, h.kernel.Eval(h.node), name)
	}
}
