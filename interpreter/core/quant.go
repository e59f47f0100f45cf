package core

import (
	"fmt"
	"math"
)

// Quantization holds a tensor's affine quantization: real = scale *
// (quantized - zero_point). One scale means per-tensor quantization; more
// mean per-axis quantization along QuantizedDimension, one scale and zero
// point per index of that dimension.
type Quantization struct {
	Scale              []float32
	ZeroPoint          []int64
	QuantizedDimension int
	// Min and Max are the float range the converter recorded, if any
	// (informational; kernels use Scale and ZeroPoint).
	Min, Max []float32
}

// IsQuantized reports whether the tensor carries scales.
func (q *Quantization) IsQuantized() bool { return len(q.Scale) > 0 }

// PerAxis reports whether the quantization has one scale per channel.
func (q *Quantization) PerAxis() bool { return len(q.Scale) > 1 }

// Params returns the scale and zero point of channel c (0 for per-tensor
// quantization).
func (q *Quantization) Params(c int) (float32, int64) {
	if len(q.Scale) == 1 {
		c = 0
	}
	var zp int64
	if c < len(q.ZeroPoint) {
		zp = q.ZeroPoint[c]
	}
	return q.Scale[c], zp
}

// quantRange returns the representable integer range of a quantized type.
func quantRange(t TensorType) (int64, int64, bool) {
	switch t {
	case Int8:
		return math.MinInt8, math.MaxInt8, true
	case Uint8:
		return 0, math.MaxUint8, true
	case Int16:
		return math.MinInt16, math.MaxInt16, true
	case Int32:
		return math.MinInt32, math.MaxInt32, true
	}
	return 0, 0, false
}

// channelOf returns, for each flat element index, the index along the
// quantized dimension: the size of the dimensions after it is the stride.
func (t *Tensor) channelStride() (stride, channels int, err error) {
	q := &t.quant
	if !q.PerAxis() {
		return 1, 1, nil
	}
	if q.QuantizedDimension < 0 || q.QuantizedDimension >= len(t.shape) {
		return 0, 0, fmt.Errorf("tensor %q: quantized dimension %d out of range for rank %d", t.name, q.QuantizedDimension, len(t.shape))
	}
	channels = t.shape[q.QuantizedDimension]
	if channels != len(q.Scale) {
		return 0, 0, fmt.Errorf("tensor %q: %d scales for dimension %d of size %d", t.name, len(q.Scale), q.QuantizedDimension, channels)
	}
	stride = 1
	for _, d := range t.shape[q.QuantizedDimension+1:] {
		stride *= d
	}
	return stride, channels, nil
}

// Dequantize writes the real values of a quantized INT8, UINT8, INT16 or
// INT32 tensor into dst, which must have one element per tensor element.
// FLOAT32 tensors are copied as they are.
func (t *Tensor) Dequantize(dst []float32) error {
	n := t.NumElements()
	if len(dst) != n {
		return fmt.Errorf("tensor %q: dequantize into %d values, tensor has %d", t.name, len(dst), n)
	}
	if t.typ == Float32 {
		copy(dst, t.Float32s())
		return nil
	}
	if _, _, ok := quantRange(t.typ); !ok {
		return fmt.Errorf("tensor %q: cannot dequantize %s", t.name, t.typ)
	}
	if !t.quant.IsQuantized() {
		return fmt.Errorf("tensor %q: %s tensor has no quantization parameters", t.name, t.typ)
	}
	stride, channels, err := t.channelStride()
	if err != nil {
		return err
	}
	for i := range dst {
		c := (i / stride) % channels
		scale, zp := t.quant.Params(c)
		dst[i] = float32(float64(t.intAt(i)-zp) * float64(scale))
	}
	return nil
}

// Quantize writes src into a quantized INT8, UINT8, INT16 or INT32 tensor as
// TFLite does: round half away from zero of the float32 quotient x/scale,
// plus the zero point,
// saturated to the type's range. FLOAT32 tensors are copied as they are.
func (t *Tensor) Quantize(src []float32) error {
	n := t.NumElements()
	if len(src) != n {
		return fmt.Errorf("tensor %q: quantize %d values, tensor has %d", t.name, len(src), n)
	}
	if t.storage == StorageConstant {
		return fmt.Errorf("tensor %q: cannot write to a constant tensor", t.name)
	}
	if t.typ == Float32 {
		copy(t.Float32s(), src)
		return nil
	}
	lo, hi, ok := quantRange(t.typ)
	if !ok {
		return fmt.Errorf("tensor %q: cannot quantize into %s", t.name, t.typ)
	}
	if !t.quant.IsQuantized() {
		return fmt.Errorf("tensor %q: %s tensor has no quantization parameters", t.name, t.typ)
	}
	stride, channels, err := t.channelStride()
	if err != nil {
		return err
	}
	for i, x := range src {
		c := (i / stride) % channels
		scale, zp := t.quant.Params(c)
		// float32 division, then round half away from zero, as TFLite.
		q := int64(math.Round(float64(x/scale))) + zp
		t.setIntAt(i, min(max(q, lo), hi))
	}
	return nil
}

func (t *Tensor) intAt(i int) int64 {
	switch t.typ {
	case Int8:
		return int64(int8(t.data[i]))
	case Uint8:
		return int64(t.data[i])
	case Int16:
		return int64(t.Int16s()[i])
	case Int32:
		return int64(t.Int32s()[i])
	}
	return 0
}

func (t *Tensor) setIntAt(i int, v int64) {
	switch t.typ {
	case Int8:
		t.data[i] = byte(int8(v))
	case Uint8:
		t.data[i] = byte(v)
	case Int16:
		t.Int16s()[i] = int16(v)
	case Int32:
		t.Int32s()[i] = int32(v)
	}
}

// Sparsity describes TFLite's sparse tensor encoding: the order in which
// dimensions (original and block) are traversed, how block dimensions map to
// original ones, and per traversed dimension either a dense size or a CSR
// style segments/indices pair.
type Sparsity struct {
	TraversalOrder []int
	BlockMap       []int
	DimMetadata    []DimensionMetadata
}

// DimensionMetadata is one traversed dimension of a sparse tensor.
type DimensionMetadata struct {
	Dense         bool
	DenseSize     int
	ArraySegments []int
	ArrayIndices  []int
}
