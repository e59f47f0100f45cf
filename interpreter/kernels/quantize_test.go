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

// unaryModel is op(x) -> y with tensor options per side.
func unaryModel(code tflite.BuiltinOperator, version int, in, out core.TensorType, shape []int, inOpts, outOpts []modelbuilder.TensorOption) *modelbuilder.Builder {
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", in, shape, inOpts...)
	y := g.Tensor("y", out, shape, outOpts...)
	g.OpVersion(code, version, []int{x}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	return b
}

func opts(o ...modelbuilder.TensorOption) []modelbuilder.TensorOption { return o }

func TestDequantizeFloat16(t *testing.T) {
	bits := []uint16{0x0000, 0x8000, 0x0001, 0x3c00, 0xc000, 0x7bff, 0x7c00, 0xfc00, 0x7e00}
	b := modelbuilder.New()
	g := b.Main()
	x := g.Const("x", core.Float16, []int{len(bits)}, modelbuilder.Uint16Bytes(bits))
	y := g.Tensor("y", core.Float32, []int{len(bits)})
	g.OpVersion(tflite.BuiltinOperatorDEQUANTIZE, 3, []int{x}, []int{y}, nil)
	g.Inputs()
	g.Outputs(y)
	got := run(t, b).Output(0).Float32s()
	want := []float32{0, float32(math.Copysign(0, -1)), 5.9604645e-08, 1, -2, 65504, float32(math.Inf(1)), float32(math.Inf(-1))}
	for i, w := range want {
		assert.Equal(t, math.Float32bits(w), math.Float32bits(got[i]), "element %d", i)
	}
	assert.True(t, math.IsNaN(float64(got[8])))
}

func TestDequantizePerChannel(t *testing.T) {
	// [2,3] quantized along dimension 1.
	q := modelbuilder.PerAxisQuant([]float32{0.5, 0.25, 2}, []int64{1, -2, 0}, 1)
	it := run(t, unaryModel(tflite.BuiltinOperatorDEQUANTIZE, 5, core.Int8, core.Float32, []int{2, 3}, opts(q), nil),
		modelbuilder.Int8Bytes([]int8{1, 2, 3, -128, 127, -1}))
	assert.Equal(t, []float32{0, 1, 6, -64.5, 32.25, -2}, it.Output(0).Float32s())
}

func TestDequantizePerTensor(t *testing.T) {
	it := run(t, unaryModel(tflite.BuiltinOperatorDEQUANTIZE, 1, core.Uint8, core.Float32, []int{4}, opts(modelbuilder.Quant(0.1, 128)), nil),
		[]byte{0, 128, 129, 255})
	// float(double(0.1f) * (q - 128)), as reference_ops::Dequantize.
	s := float64(float32(0.1))
	assert.Equal(t, []float32{float32(s * -128), 0, float32(s), float32(s * 127)}, it.Output(0).Float32s())
}

func TestDequantizeErrors(t *testing.T) {
	deq := tflite.BuiltinOperatorDEQUANTIZE
	for _, c := range []struct {
		name string
		b    *modelbuilder.Builder
		want string
	}{
		{"int16 zero point", unaryModel(deq, 3, core.Int16, core.Float32, []int{2}, opts(modelbuilder.Quant(0.1, 3)), nil), "INT16 input has zero point 3; it must be 0"},
		{"int16 per channel", unaryModel(deq, 3, core.Int16, core.Float32, []int{2}, opts(modelbuilder.PerAxisQuant([]float32{1, 2}, []int64{0, 0}, 0)), nil), "per-channel dequantization of INT16 is not supported"},
		{"no params", unaryModel(deq, 2, core.Int8, core.Float32, []int{2}, nil, nil), "has no quantization parameters"},
		{"bad axis", unaryModel(deq, 5, core.Int8, core.Float32, []int{2}, opts(modelbuilder.PerAxisQuant([]float32{1, 2}, []int64{0, 0}, 1)), nil), "quantized dimension 1 out of range"},
		{"scale count", unaryModel(deq, 5, core.Int8, core.Float32, []int{3}, opts(modelbuilder.PerAxisQuant([]float32{1, 2}, []int64{0, 0}, 0)), nil), "2 scales for"},
		{"zero scale", unaryModel(deq, 2, core.Int8, core.Float32, []int{2}, opts(modelbuilder.Quant(0, 0)), nil), "invalid scale 0"},
		{"float32 input", unaryModel(deq, 1, core.Float32, core.Float32, []int{2}, nil, nil), "FLOAT32 input is not supported"},
		{"int8 output", unaryModel(deq, 2, core.Int8, core.Int8, []int{2}, opts(modelbuilder.Quant(1, 0)), nil), "output is INT8; DEQUANTIZE produces FLOAT32"},
	} {
		err := prepareError(t, c.b)
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
}

func TestQuantizeRounding(t *testing.T) {
	// Ties round away from zero; the result saturates; NaN gives the zero
	// point and infinities the type's bounds.
	in := []float32{-1.25, -0.75, -0.25, 0.25, 0.75, 1.25, 100, -100, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))}
	it := run(t, unaryModel(tflite.BuiltinOperatorQUANTIZE, 1, core.Float32, core.Int8, []int{len(in)}, nil, opts(modelbuilder.Quant(0.5, -1))),
		f32Bytes(in...))
	assert.Equal(t, []int8{-4, -3, -2, 0, 1, 2, 127, -128, -1, 127, -128}, it.Output(0).Int8s())
}

func TestQuantizePerChannel(t *testing.T) {
	q := modelbuilder.PerAxisQuant([]float32{0.5, 2}, []int64{10, 0}, 0)
	it := run(t, unaryModel(tflite.BuiltinOperatorQUANTIZE, 3, core.Float32, core.Uint8, []int{2, 3}, nil, opts(q)),
		f32Bytes(-1, 0.25, 200, -1, 3, 1000))
	assert.Equal(t, []uint8{8, 11, 255, 0, 2, 255}, it.Output(0).Uint8s())
}

func TestRequantize(t *testing.T) {
	// INT8 scale 0.5 zp 2 to UINT8 scale 0.25 zp 100: q' = 2*(q-2) + 100.
	it := run(t, unaryModel(tflite.BuiltinOperatorQUANTIZE, 1, core.Int8, core.Uint8, []int{5}, opts(modelbuilder.Quant(0.5, 2)), opts(modelbuilder.Quant(0.25, 100))),
		modelbuilder.Int8Bytes([]int8{-128, -40, 2, 50, 127}))
	assert.Equal(t, []uint8{0, 16, 100, 196, 255}, it.Output(0).Uint8s())
	// INT16 to INT32, scale 1e-3 to 4e-3: rounding half away from zero.
	it = run(t, unaryModel(tflite.BuiltinOperatorQUANTIZE, 1, core.Int16, core.Int32, []int{4}, opts(modelbuilder.Quant(1e-3, 0)), opts(modelbuilder.Quant(4e-3, 0))),
		modelbuilder.Int16Bytes([]int16{6, -6, 32767, -32768}))
	assert.Equal(t, []int32{2, -2, 8192, -8192}, it.Output(0).Int32s())
}

func TestQuantizeErrors(t *testing.T) {
	qz := tflite.BuiltinOperatorQUANTIZE
	q1 := modelbuilder.Quant(0.1, 0)
	for _, c := range []struct {
		name string
		b    *modelbuilder.Builder
		want string
	}{
		{"no output params", unaryModel(qz, 1, core.Float32, core.Int8, []int{2}, nil, nil), "output: INT8 tensor \"y\" has no quantization parameters"},
		{"float to int32", unaryModel(qz, 1, core.Float32, core.Int32, []int{2}, nil, opts(q1)), "FLOAT32 to INT32 is not supported"},
		{"int8 to int16", unaryModel(qz, 1, core.Int8, core.Int16, []int{2}, opts(q1), opts(q1)), "INT8 to INT16 is not supported"},
		{"int16 zero point", unaryModel(qz, 1, core.Int16, core.Int16, []int{2}, opts(modelbuilder.Quant(0.1, 1)), opts(q1)), "needs zero points 0"},
		{"per-channel requantize", unaryModel(qz, 1, core.Int8, core.Int8, []int{2}, opts(modelbuilder.PerAxisQuant([]float32{1, 2}, []int64{0, 0}, 0)), opts(q1)), "per-channel parameters is not supported"},
		{"int4 (version 4)", unaryModel(qz, 4, core.Float32, core.Int4, []int{2}, nil, opts(q1)), "QUANTIZE version 4 is not supported (supported: 1-3)"},
	} {
		err := prepareError(t, c.b)
		if assert.Error(t, err, c.name) {
			assert.Contains(t, err.Error(), c.want, c.name)
		}
	}
}

func TestQuantizeDequantizeRoundTrip(t *testing.T) {
	// QUANTIZE then DEQUANTIZE returns the input within half a step.
	b := modelbuilder.New()
	g := b.Main()
	x := g.Tensor("x", core.Float32, []int{64})
	q := g.Tensor("q", core.Int16, []int{64}, modelbuilder.Quant(1.0/4096, 0))
	y := g.Tensor("y", core.Float32, []int{64})
	g.OpVersion(tflite.BuiltinOperatorQUANTIZE, 2, []int{x}, []int{q}, nil)
	g.OpVersion(tflite.BuiltinOperatorDEQUANTIZE, 3, []int{q}, []int{y}, nil)
	g.Inputs(x)
	g.Outputs(y)
	in := ramp(64, -3.9, 0.123)
	it := run(t, b, f32Bytes(in...))
	got := it.Output(0).Float32s()
	require.Len(t, got, 64)
	for i := range in {
		assert.InDelta(t, in[i], got[i], 0.5/4096+1e-7, "element %d", i)
	}
}
