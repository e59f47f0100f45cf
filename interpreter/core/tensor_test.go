package core

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func bound(typ TensorType, shape []int) *Tensor {
	t := NewTensor(0, "t", typ, shape)
	n, _ := NumElements(shape)
	size, _ := typ.ByteSize(n)
	t.Bind(make([]byte, size), StorageArena)
	return t
}

func TestTypedViewsAliasTheBytes(t *testing.T) {
	f := bound(Float32, []int{2, 2})
	f.Float32s()[3] = 1.5
	assert.Equal(t, []byte{0, 0, 0xc0, 0x3f}, f.Bytes()[12:])
	assert.Nil(t, f.Int8s(), "a view of the wrong type is nil")
	assert.Nil(t, f.Int32s())

	for _, c := range []struct {
		typ  TensorType
		view func(*Tensor) int
	}{
		{Int8, func(t *Tensor) int { return len(t.Int8s()) }},
		{Uint8, func(t *Tensor) int { return len(t.Uint8s()) }},
		{Int16, func(t *Tensor) int { return len(t.Int16s()) }},
		{Uint16, func(t *Tensor) int { return len(t.Uint16s()) }},
		{Int32, func(t *Tensor) int { return len(t.Int32s()) }},
		{Uint32, func(t *Tensor) int { return len(t.Uint32s()) }},
		{Int64, func(t *Tensor) int { return len(t.Int64s()) }},
		{Uint64, func(t *Tensor) int { return len(t.Uint64s()) }},
		{Float64, func(t *Tensor) int { return len(t.Float64s()) }},
		{Float16, func(t *Tensor) int { return len(t.Float16s()) }},
		{Bool, func(t *Tensor) int { return len(t.Bools()) }},
	} {
		tt := bound(c.typ, []int{3, 5})
		assert.Equal(t, 15, c.view(tt), c.typ.String())
	}
	i16 := bound(Int16, []int{2})
	i16.Int16s()[1] = -2
	assert.Equal(t, []byte{0, 0, 0xfe, 0xff}, i16.Bytes())
}

func TestShapeHelpers(t *testing.T) {
	tt := bound(Float32, []int{2, 3, 4})
	assert.Equal(t, 3, tt.Rank())
	assert.Equal(t, 4, tt.Dim(-1))
	assert.Equal(t, 24, tt.NumElements())
	assert.Equal(t, 96, tt.ByteSize())
	assert.True(t, tt.SameShape([]int{2, 3, 4}))
	assert.False(t, tt.SameShape([]int{2, 3}))
	assert.Equal(t, "t FLOAT32[2,3,4]", tt.String())
	_, ok := NumElements([]int{1 << 30, 1 << 30, 1 << 30})
	assert.False(t, ok)
	_, ok = NumElements([]int{-1})
	assert.False(t, ok)
	n, ok := Int4.ByteSize(5)
	assert.True(t, ok)
	assert.Equal(t, int64(3), n)
	_, ok = String.ByteSize(5)
	assert.False(t, ok)
}

func TestCopyBuffers(t *testing.T) {
	tt := bound(Int32, []int{2})
	require.NoError(t, tt.CopyFromBuffer([]byte{1, 0, 0, 0, 2, 0, 0, 0}))
	assert.Equal(t, []int32{1, 2}, tt.Int32s())
	out := make([]byte, 8)
	require.NoError(t, tt.CopyToBuffer(out))
	assert.Equal(t, tt.Bytes(), out)
	assert.Error(t, tt.CopyFromBuffer(make([]byte, 7)))
	assert.Error(t, tt.CopyToBuffer(make([]byte, 9)))
	c := NewTensor(0, "c", Int32, []int{2})
	c.Bind(make([]byte, 8), StorageConstant)
	assert.Error(t, c.CopyFromBuffer(make([]byte, 8)), "constants are read-only")
}

func TestStringTensors(t *testing.T) {
	tt := NewTensor(0, "s", String, []int{0})
	require.NoError(t, tt.SetStrings([]string{"héllo", "", "edge"}))
	assert.Equal(t, []int{3}, tt.Shape())
	got, err := tt.Strings()
	require.NoError(t, err)
	assert.Equal(t, []string{"héllo", "", "edge"}, got)
	s, err := tt.StringAt(2)
	require.NoError(t, err)
	assert.Equal(t, "edge", string(s))
	_, err = tt.StringAt(3)
	assert.Error(t, err)
	// TFLite's layout: count, N+1 offsets, bytes.
	assert.Equal(t, []byte{3, 0, 0, 0, 20, 0, 0, 0}, tt.Bytes()[:8])

	for _, bad := range [][]byte{nil, {1, 0, 0, 0}, {1, 0, 0, 0, 12, 0, 0, 0, 11, 0, 0, 0}, {255, 255, 255, 255}} {
		b := NewTensor(0, "b", String, []int{1})
		b.Bind(bad, StorageConstant)
		_, err := b.Strings()
		assert.Error(t, err, "%v", bad)
	}
	_, err = bound(Float32, []int{1}).Strings()
	assert.Error(t, err)
}

func TestFloat16Conversions(t *testing.T) {
	// Bit patterns from IEEE 754 binary16.
	cases := map[uint16]float32{
		0x0000: 0, 0x3c00: 1, 0xc000: -2, 0x3555: 0.33325195, 0x7bff: 65504,
		0x0001: 5.9604645e-08, 0x03ff: 6.097555e-05, 0x0400: 6.1035156e-05,
		0x7c00: float32(math.Inf(1)), 0xfc00: float32(math.Inf(-1)),
	}
	for h, f := range cases {
		assert.Equal(t, f, Float16ToFloat32(h), "%#04x", h)
		assert.Equal(t, h, Float32ToFloat16(f), "%v", f)
	}
	assert.True(t, math.IsNaN(float64(Float16ToFloat32(0x7e00))))
	assert.Equal(t, uint16(0x7c00), Float32ToFloat16(1e6), "overflow saturates to infinity")
	assert.Equal(t, uint16(0x3c00), Float32ToFloat16(1.0004883), "ties round to even")
	assert.Equal(t, uint16(0x3c02), Float32ToFloat16(1.0014648), "a tie above an odd value rounds up to even")
	// Every half value survives a round trip.
	for h := 0; h < 1<<16; h++ {
		f := Float16ToFloat32(uint16(h))
		if math.IsNaN(float64(f)) {
			continue
		}
		require.Equal(t, uint16(h), Float32ToFloat16(f), "%#04x", h)
	}
}

func TestQuantizeDequantize(t *testing.T) {
	tt := bound(Int8, []int{4})
	tt.SetQuantization(Quantization{Scale: []float32{0.5}, ZeroPoint: []int64{-3}})
	require.NoError(t, tt.Quantize([]float32{0, 1.25, -100, 100}))
	// round(1.25/0.5)=round(2.5)=3 (half away from zero) -> 0; clamped ends.
	assert.Equal(t, []int8{-3, 0, -128, 127}, tt.Int8s())
	back := make([]float32, 4)
	require.NoError(t, tt.Dequantize(back))
	assert.Equal(t, []float32{0, 1.5, -62.5, 65}, back)

	// Per-axis along dimension 1 of [2,2].
	pa := bound(Uint8, []int{2, 2})
	pa.SetQuantization(Quantization{Scale: []float32{1, 0.25}, ZeroPoint: []int64{10, 0}, QuantizedDimension: 1})
	require.NoError(t, pa.Quantize([]float32{1, 1, -20, 70}))
	assert.Equal(t, []uint8{11, 4, 0, 255}, pa.Uint8s())

	none := bound(Int8, []int{1})
	assert.Error(t, none.Quantize([]float32{1}), "no parameters")
	assert.Error(t, tt.Quantize([]float32{1}), "length mismatch")
	assert.Error(t, bound(Float16, []int{1}).Dequantize(make([]float32, 1)))
}
