package kernels_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// binaryModel is x op y -> z with the given option struct.
func binaryModel(code tflite.BuiltinOperator, version int, typ core.TensorType, s1, s2, so []int, opts any) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	x, y, z := g.Tensor("x", typ, s1), g.Tensor("y", typ, s2), g.Tensor("z", typ, so)
	g.OpVersion(code, version, []int{x, y}, []int{z}, opts)
	g.Inputs(x, y)
	g.Outputs(z)
	return b
}

func actOptions(code tflite.BuiltinOperator, act tflite.ActivationFunctionType) any {
	switch code {
	case tflite.BuiltinOperatorADD:
		return &tflite.AddOptionsT{FusedActivationFunction: act}
	case tflite.BuiltinOperatorSUB:
		return &tflite.SubOptionsT{FusedActivationFunction: act}
	}
	return &tflite.MulOptionsT{FusedActivationFunction: act}
}

func clampRange(act tflite.ActivationFunctionType) (float64, float64) {
	switch act {
	case tflite.ActivationFunctionTypeRELU:
		return 0, math.Inf(1)
	case tflite.ActivationFunctionTypeRELU_N1_TO_1:
		return -1, 1
	case tflite.ActivationFunctionTypeRELU6:
		return 0, 6
	}
	return math.Inf(-1), math.Inf(1)
}

func apply(code tflite.BuiltinOperator, a, b float64) float64 {
	switch code {
	case tflite.BuiltinOperatorADD:
		return a + b
	case tflite.BuiltinOperatorSUB:
		return a - b
	}
	return a * b
}

func TestBinaryFloatBroadcasting(t *testing.T) {
	shapes := [][3][]int{
		{{2, 3}, {2, 3}, {2, 3}},
		{{2, 3}, {3}, {2, 3}},
		{{}, {2, 2}, {2, 2}},
		{{4, 1}, {1, 5}, {4, 5}},
		{{2, 1, 4}, {3, 1}, {2, 3, 4}},
		{{1, 3, 1, 5}, {2, 1, 4, 1}, {2, 3, 4, 5}},
		{{2, 1, 3, 1, 2}, {1, 4, 1, 5, 1}, {2, 4, 3, 5, 2}},
		{{1, 2, 1, 2, 1, 3}, {2, 1, 2, 1, 3, 1}, {2, 2, 2, 2, 3, 3}},
	}
	ops := []tflite.BuiltinOperator{tflite.BuiltinOperatorADD, tflite.BuiltinOperatorSUB, tflite.BuiltinOperatorMUL}
	acts := []tflite.ActivationFunctionType{tflite.ActivationFunctionTypeNONE, tflite.ActivationFunctionTypeRELU, tflite.ActivationFunctionTypeRELU_N1_TO_1, tflite.ActivationFunctionTypeRELU6}
	for _, code := range ops {
		for si, s := range shapes {
			act := acts[si%len(acts)]
			a := ramp(numElements(s[0]), -3.5, 0.75)
			bv := ramp(numElements(s[1]), 2.25, -0.5)
			version := 1
			if code == tflite.BuiltinOperatorSUB && len(s[2]) > 4 {
				version = 3
			}
			it := run(t, binaryModel(code, version, core.Float32, s[0], s[1], s[2], actOptions(code, act)), f32Bytes(a...), f32Bytes(bv...))
			out := it.Output(0)
			require.Equal(t, s[2], out.Shape(), "%s %v", code, s)
			got := out.Float32s()
			lo, hi := clampRange(act)
			forEachIndex(s[2], func(idx []int) {
				want := apply(code, float64(a[broadcastIndex(idx, s[0])]), float64(bv[broadcastIndex(idx, s[1])]))
				want = math.Min(math.Max(float64(float32(want)), lo), hi)
				flat := 0
				for d, st := range strides(s[2]) {
					flat += idx[d] * st
				}
				assert.Equal(t, float32(want), got[flat], "%s %v %v at %v", code, act, s, idx)
			})
		}
	}
}

func TestBinaryInt64(t *testing.T) {
	// int64 (ADD 4, SUB 4, MUL 5) has no oracle vectors: TFLite's wasm
	// runner refuses int64 model inputs.
	for _, c := range []struct {
		code    tflite.BuiltinOperator
		version int
		act     tflite.ActivationFunctionType
		want    []int64
	}{
		{tflite.BuiltinOperatorADD, 4, tflite.ActivationFunctionTypeNONE, []int64{1<<40 + 10, -5 + 10, 7 + 10, 1<<40 - 3, -5 - 3, 7 - 3}},
		{tflite.BuiltinOperatorSUB, 4, tflite.ActivationFunctionTypeRELU6, []int64{6, 0, 0, 6, 0, 6}},
		{tflite.BuiltinOperatorMUL, 5, tflite.ActivationFunctionTypeRELU_N1_TO_1, []int64{1, -1, 1, -1, 1, -1}},
		{tflite.BuiltinOperatorMUL, 5, tflite.ActivationFunctionTypeRELU, []int64{10 << 40, 0, 70, 0, 15, 0}},
	} {
		it := run(t, binaryModel(c.code, c.version, core.Int64, []int{3}, []int{2, 1}, []int{2, 3}, actOptions(c.code, c.act)),
			i64Bytes(1<<40, -5, 7), i64Bytes(10, -3))
		assert.Equal(t, c.want, it.Output(0).Int64s(), "%s %s", c.code, c.act)
	}
}

func TestBinaryInt32WrapsAndClamps(t *testing.T) {
	// TFLite's int32 arithmetic wraps on overflow; activations clamp.
	it := run(t, binaryModel(tflite.BuiltinOperatorADD, 1, core.Int32, []int{3}, []int{3}, []int{3}, nil),
		i32Bytes(math.MaxInt32, -7, 100), i32Bytes(1, 3, -100))
	assert.Equal(t, []int32{math.MinInt32, -4, 0}, it.Output(0).Int32s())
	it = run(t, binaryModel(tflite.BuiltinOperatorMUL, 1, core.Int32, []int{4}, []int{}, []int{4}, actOptions(tflite.BuiltinOperatorMUL, tflite.ActivationFunctionTypeRELU6)),
		i32Bytes(-2, 1, 2, 3), i32Bytes(3))
	assert.Equal(t, []int32{0, 3, 6, 6}, it.Output(0).Int32s())
}

func TestBinaryFloatSpecialValues(t *testing.T) {
	// TFLite's builtin kernels clamp to the finite float range even
	// without an activation (measured with the oracle's builtin ADD), so
	// Inf becomes MaxFloat32; NaN passes through.
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	it := run(t, binaryModel(tflite.BuiltinOperatorADD, 1, core.Float32, []int{4}, []int{4}, []int{4}, nil),
		f32Bytes(inf, -inf, 3e38, nan), f32Bytes(0, 0, 3e38, 1))
	got := it.Output(0).Float32s()
	assert.Equal(t, []float32{math.MaxFloat32, -math.MaxFloat32, math.MaxFloat32}, got[:3])
	assert.True(t, math.IsNaN(float64(got[3])))
}

func TestBinaryZeroSized(t *testing.T) {
	it := run(t, binaryModel(tflite.BuiltinOperatorMUL, 1, core.Float32, []int{0, 3}, []int{1, 3}, []int{0, 3}, nil), nil, f32Bytes(1, 2, 3))
	assert.Equal(t, []int{0, 3}, it.Output(0).Shape())
}

func TestBinaryErrors(t *testing.T) {
	add := tflite.BuiltinOperatorADD
	for _, c := range []struct {
		name string
		b    *modelbuilder.Builder
		want string
	}{
		{"not broadcastable", binaryModel(add, 1, core.Float32, []int{2, 3}, []int{4}, []int{2, 3}, nil), "shapes [2,3] and [4] are not broadcastable"},
		{"rank 7 broadcast", binaryModel(add, 1, core.Float32, []int{2, 1, 1, 1, 1, 1, 1}, []int{3}, []int{2, 1, 1, 1, 1, 1, 3}, nil), "at most 6"},
		{"int8", binaryModel(add, 1, core.Int8, []int{2}, []int{2}, []int{2}, nil), "INT8 tensor \"x\" has no quantization parameters"},
		{"uint8", binaryModel(tflite.BuiltinOperatorMUL, 1, core.Uint8, []int{2}, []int{2}, []int{2}, nil), "UINT8 tensor \"x\" has no quantization parameters"},
		{"int16", binaryModel(tflite.BuiltinOperatorSUB, 1, core.Int16, []int{2}, []int{2}, []int{2}, nil), "INT16 tensor \"x\" has no quantization parameters"},
		{"bool", binaryModel(add, 1, core.Bool, []int{2}, []int{2}, []int{2}, nil), "BOOL inputs are not supported"},
	} {
		err := prepareError(t, c.b)
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
			assert.Contains(t, err.Error(), "operator 0", c.name)
		}
	}

	// Mixed input types and a wrong output type.
	b := modelbuilder.New()
	g := b.Main()
	x, y, z := g.Tensor("x", core.Float32, []int{2}), g.Tensor("y", core.Int32, []int{2}), g.Tensor("z", core.Float32, []int{2})
	g.Op(add, []int{x, y}, []int{z}, nil)
	g.Inputs(x, y)
	g.Outputs(z)
	assert.ErrorContains(t, prepareError(t, b), "input types differ: FLOAT32 and INT32")

	b = modelbuilder.New()
	g = b.Main()
	x, y, z = g.Tensor("x", core.Int32, []int{2}), g.Tensor("y", core.Int32, []int{2}), g.Tensor("z", core.Float32, []int{2})
	g.Op(add, []int{x, y}, []int{z}, nil)
	g.Inputs(x, y)
	g.Outputs(z)
	assert.ErrorContains(t, prepareError(t, b), "output type FLOAT32 differs from the input type INT32")

	// One input only, and an absent (-1) input.
	b = modelbuilder.New()
	g = b.Main()
	x, z = g.Tensor("x", core.Float32, []int{2}), g.Tensor("z", core.Float32, []int{2})
	g.Op(add, []int{x}, []int{z}, nil)
	g.Inputs(x)
	g.Outputs(z)
	assert.ErrorContains(t, prepareError(t, b), "has 1 inputs, want 2")

	b = modelbuilder.New()
	g = b.Main()
	x, z = g.Tensor("x", core.Float32, []int{2}), g.Tensor("z", core.Float32, []int{2})
	g.Op(add, []int{x, -1}, []int{z}, nil)
	g.Inputs(x)
	g.Outputs(z)
	assert.ErrorContains(t, prepareError(t, b), "input 1 is missing")
}

func TestBinaryResizeInput(t *testing.T) {
	// Prepare runs again after a resize and re-plans the broadcast.
	b := binaryModel(tflite.BuiltinOperatorADD, 1, core.Float32, []int{1, 3}, []int{3}, []int{1, 3}, nil)
	it, err := build(t, b)
	require.NoError(t, err)
	require.NoError(t, it.ResizeInputTensor(0, []int{2, 3}))
	require.NoError(t, it.AllocateTensors())
	require.NoError(t, it.Input(0).CopyFromBuffer(f32Bytes(1, 2, 3, 4, 5, 6)))
	require.NoError(t, it.Input(1).CopyFromBuffer(f32Bytes(10, 20, 30)))
	require.NoError(t, it.Invoke())
	assert.Equal(t, []int{2, 3}, it.Output(0).Shape())
	assert.Equal(t, []float32{11, 22, 33, 14, 25, 36}, it.Output(0).Float32s())
}

// TFLite runs TANH and SIGN_BIT fused into arithmetic as no activation
// (the oracle's builtin ADD+TANH of 1+2 gives 3); so does Edgelite.
func TestBinaryNonClampActivationsAreIgnoredAsInTFLite(t *testing.T) {
	it := run(t, binaryModel(tflite.BuiltinOperatorADD, 1, core.Float32, []int{2}, []int{2}, []int{2},
		&tflite.AddOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeTANH}), f32Bytes(1, -5), f32Bytes(2, 1))
	assert.Equal(t, []float32{3, -4}, it.Output(0).Float32s())
	it = run(t, binaryModel(tflite.BuiltinOperatorMUL, 1, core.Int32, []int{2}, []int{2}, []int{2},
		&tflite.MulOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeSIGN_BIT}), i32Bytes(3, -2), i32Bytes(4, 5))
	assert.Equal(t, []int32{12, -10}, it.Output(0).Int32s())
}
