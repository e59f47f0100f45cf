package core

import (
	"encoding/binary"
	"fmt"
	"math"
	"unsafe"
)

// Storage says where a tensor's bytes live.
type Storage uint8

// Where tensor data can live.
const (
	// StorageNone: no bytes are attached yet (before AllocateTensors, or an
	// optional tensor).
	StorageNone Storage = iota
	// StorageConstant: the bytes are the model's own buffer (read-only,
	// possibly memory-mapped).
	StorageConstant
	// StorageArena: the bytes are a slice of the subgraph's planned arena and
	// may be shared over time with tensors whose lifetimes do not overlap.
	StorageArena
	// StoragePersistent: the bytes belong to this tensor alone for the life
	// of the interpreter (variable tensors).
	StoragePersistent
	// StorageDynamic: the bytes are sized while the graph runs, because the
	// shape depends on data (set by kernels through Node.ResizeOutput).
	StorageDynamic
)

var storageNames = [...]string{"none", "constant", "arena", "persistent", "dynamic"}

func (s Storage) String() string {
	if int(s) < len(storageNames) {
		return storageNames[s]
	}
	return fmt.Sprintf("Storage(%d)", s)
}

// Tensor is an n-dimensional array of one element type, with its name,
// shape and quantization. The typed views (Float32s, Int8s, ...) alias the
// tensor's storage: writing to an input view sets the input without a copy.
// Views of constant tensors must not be written to (the model may be
// memory-mapped read-only).
//
// The methods that change shape or storage (SetShape, Bind, ...) are for the
// interpreter, kernels and delegates; programs resize inputs through the
// interpreter instead.
type Tensor struct {
	index          int
	name           string
	typ            TensorType
	shape          []int
	shapeSignature []int
	data           []byte
	storage        Storage
	quant          Quantization
	sparsity       *Sparsity
	variable       bool
	hasRank        bool
}

// NewTensor makes a tensor description without storage. The interpreter
// makes one per tensor of the model; kernels make temporaries through
// Node.Temporary.
func NewTensor(index int, name string, typ TensorType, shape []int) *Tensor {
	return &Tensor{index: index, name: name, typ: typ, shape: append(make([]int, 0, len(shape)), shape...), hasRank: true}
}

// Index is the tensor's index in its subgraph (-1 for temporaries).
func (t *Tensor) Index() int { return t.index }

// Name is the tensor's name in the model.
func (t *Tensor) Name() string { return t.name }

// Type is the tensor's element type.
func (t *Tensor) Type() TensorType { return t.typ }

// Shape returns the tensor's current dimensions. The slice is the tensor's
// own: do not modify it.
func (t *Tensor) Shape() []int { return t.shape }

// Rank is the number of dimensions.
func (t *Tensor) Rank() int { return len(t.shape) }

// Dim returns dimension i; a negative i counts from the end.
func (t *Tensor) Dim(i int) int {
	if i < 0 {
		i += len(t.shape)
	}
	return t.shape[i]
}

// ShapeSignature returns the shape with -1 where a dimension may vary, as
// recorded in the model; it equals Shape when the model recorded none.
func (t *Tensor) ShapeSignature() []int {
	if t.shapeSignature == nil {
		return t.shape
	}
	return t.shapeSignature
}

// HasRank is false for tensors whose rank is unknown until run time (the
// model's has_rank flag was false and the shape empty).
func (t *Tensor) HasRank() bool { return t.hasRank }

// NumElements is the product of the dimensions.
func (t *Tensor) NumElements() int {
	n, _ := NumElements(t.shape)
	return int(n)
}

// ByteSize is the number of bytes the tensor's current shape needs, or the
// size of its storage for STRING and VARIANT tensors.
func (t *Tensor) ByteSize() int {
	n, ok := NumElements(t.shape)
	if !ok {
		return 0
	}
	b, ok := t.typ.ByteSize(n)
	if !ok {
		return len(t.data)
	}
	return int(b)
}

// Quantization returns the tensor's quantization parameters (empty if the
// tensor is not quantized). Do not modify the returned slices.
func (t *Tensor) Quantization() *Quantization { return &t.quant }

// Sparsity returns the sparse encoding of a constant tensor, or nil.
func (t *Tensor) Sparsity() *Sparsity { return t.sparsity }

// IsVariable reports whether the tensor is a variable (state kept between
// invocations, reset by ResetVariableTensors).
func (t *Tensor) IsVariable() bool { return t.variable }

// IsConstant reports whether the tensor's data comes from the model.
func (t *Tensor) IsConstant() bool { return t.storage == StorageConstant }

// IsDynamic reports whether the tensor is sized while the graph runs.
func (t *Tensor) IsDynamic() bool { return t.storage == StorageDynamic }

// Storage says where the tensor's bytes live.
func (t *Tensor) Storage() Storage { return t.storage }

// Bytes returns the tensor's raw little-endian bytes.
func (t *Tensor) Bytes() []byte { return t.data }

func view[T any](b []byte) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if len(b) < size {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/size)
}

// Float32s views a FLOAT32 tensor's data; it returns nil for other types.
func (t *Tensor) Float32s() []float32 {
	if t.typ != Float32 {
		return nil
	}
	return view[float32](t.data)
}

// Float64s views a FLOAT64 tensor's data; nil for other types.
func (t *Tensor) Float64s() []float64 {
	if t.typ != Float64 {
		return nil
	}
	return view[float64](t.data)
}

// Float16s views a FLOAT16 tensor's data as raw IEEE half-precision bits;
// nil for other types. See Float16ToFloat32.
func (t *Tensor) Float16s() []uint16 {
	if t.typ != Float16 {
		return nil
	}
	return view[uint16](t.data)
}

// Int8s views an INT8 tensor's data; nil for other types.
func (t *Tensor) Int8s() []int8 {
	if t.typ != Int8 {
		return nil
	}
	return view[int8](t.data)
}

// Uint8s views a UINT8 tensor's data; nil for other types.
func (t *Tensor) Uint8s() []uint8 {
	if t.typ != Uint8 {
		return nil
	}
	return t.data
}

// Int16s views an INT16 tensor's data; nil for other types.
func (t *Tensor) Int16s() []int16 {
	if t.typ != Int16 {
		return nil
	}
	return view[int16](t.data)
}

// Uint16s views a UINT16 tensor's data; nil for other types.
func (t *Tensor) Uint16s() []uint16 {
	if t.typ != Uint16 {
		return nil
	}
	return view[uint16](t.data)
}

// Int32s views an INT32 tensor's data; nil for other types.
func (t *Tensor) Int32s() []int32 {
	if t.typ != Int32 {
		return nil
	}
	return view[int32](t.data)
}

// Uint32s views a UINT32 tensor's data; nil for other types.
func (t *Tensor) Uint32s() []uint32 {
	if t.typ != Uint32 {
		return nil
	}
	return view[uint32](t.data)
}

// Int64s views an INT64 tensor's data; nil for other types.
func (t *Tensor) Int64s() []int64 {
	if t.typ != Int64 {
		return nil
	}
	return view[int64](t.data)
}

// Uint64s views a UINT64 tensor's data; nil for other types.
func (t *Tensor) Uint64s() []uint64 {
	if t.typ != Uint64 {
		return nil
	}
	return view[uint64](t.data)
}

// Bools views a BOOL tensor's data (one byte per element, 0 or 1); nil for
// other types.
func (t *Tensor) Bools() []bool {
	if t.typ != Bool {
		return nil
	}
	return view[bool](t.data)
}

// CopyFromBuffer copies src into the tensor; src must have exactly the
// tensor's byte size.
func (t *Tensor) CopyFromBuffer(src []byte) error {
	if len(src) != len(t.data) {
		return fmt.Errorf("tensor %q: copy of %d bytes into a tensor of %d bytes", t.name, len(src), len(t.data))
	}
	if t.storage == StorageConstant {
		return fmt.Errorf("tensor %q: cannot write to a constant tensor", t.name)
	}
	copy(t.data, src)
	return nil
}

// CopyToBuffer copies the tensor's bytes into dst, which must have exactly
// the tensor's byte size.
func (t *Tensor) CopyToBuffer(dst []byte) error {
	if len(dst) != len(t.data) {
		return fmt.Errorf("tensor %q: copy of a tensor of %d bytes into %d bytes", t.name, len(t.data), len(dst))
	}
	copy(dst, t.data)
	return nil
}

// SetShape sets the tensor's dimensions. Kernels call it on their outputs in
// Prepare; the interpreter then plans storage for the new size. It does not
// change the storage.
func (t *Tensor) SetShape(shape []int) {
	t.shape = append(t.shape[:0], shape...)
	t.hasRank = true
}

// SameShape reports whether the tensor's shape equals shape.
func (t *Tensor) SameShape(shape []int) bool {
	if len(shape) != len(t.shape) {
		return false
	}
	for i, d := range shape {
		if t.shape[i] != d {
			return false
		}
	}
	return true
}

// Bind attaches storage to the tensor. It is for the interpreter and
// delegates.
func (t *Tensor) Bind(data []byte, s Storage) {
	t.data = data
	t.storage = s
}

// SetDynamic marks the tensor as sized while the graph runs: the kernel that
// produces it sets its shape and storage in Eval with Node.ResizeOutput.
func (t *Tensor) SetDynamic() {
	if t.storage != StorageDynamic {
		t.storage = StorageDynamic
		t.data = t.data[:0:0]
	}
}

// TensorInfo carries what a model says about a tensor besides its shape.
type TensorInfo struct {
	ShapeSignature []int
	HasRank        bool
	Quantization   Quantization
	Sparsity       *Sparsity
	Variable       bool
}

// SetInfo sets the model-level attributes of a tensor (for the interpreter).
func (t *Tensor) SetInfo(info TensorInfo) {
	t.shapeSignature = info.ShapeSignature
	t.hasRank = info.HasRank
	t.quant = info.Quantization
	t.sparsity = info.Sparsity
	t.variable = info.Variable
}

// SetType changes the element type (for kernels such as CAST whose output
// type is known only from the graph, and for the interpreter).
func (t *Tensor) SetType(typ TensorType) { t.typ = typ }

// SetQuantization replaces the quantization parameters (for kernels and
// tools that rewrite graphs).
func (t *Tensor) SetQuantization(q Quantization) { t.quant = q }

// String describes the tensor, e.g. `input FLOAT32[1,224,224,3]`.
func (t *Tensor) String() string {
	return fmt.Sprintf("%s %s%v", t.name, t.typ, formatShape(t.shape))
}

func formatShape(s []int) string {
	b := make([]byte, 0, 4*len(s)+2)
	b = append(b, '[')
	for i, d := range s {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, "%d", d)
	}
	return string(append(b, ']'))
}

// FormatShape writes a shape as "[1,2,3]".
func FormatShape(s []int) string { return formatShape(s) }

// StringCount returns the number of strings in a STRING tensor.
func (t *Tensor) StringCount() (int, error) {
	if t.typ != String {
		return 0, fmt.Errorf("tensor %q is %s, not STRING", t.name, t.typ)
	}
	n, _, err := decodeStringHeader(t.data)
	return n, err
}

// StringAt returns string i of a STRING tensor, aliasing the tensor's data.
func (t *Tensor) StringAt(i int) ([]byte, error) {
	if t.typ != String {
		return nil, fmt.Errorf("tensor %q is %s, not STRING", t.name, t.typ)
	}
	n, _, err := decodeStringHeader(t.data)
	if err != nil {
		return nil, fmt.Errorf("tensor %q: %w", t.name, err)
	}
	if i < 0 || i >= n {
		return nil, fmt.Errorf("tensor %q: string %d out of range [0,%d)", t.name, i, n)
	}
	start := binary.LittleEndian.Uint32(t.data[4+4*i:])
	end := binary.LittleEndian.Uint32(t.data[8+4*i:])
	return t.data[start:end], nil
}

// Strings decodes all the strings of a STRING tensor.
func (t *Tensor) Strings() ([]string, error) {
	n, err := t.StringCount()
	if err != nil {
		return nil, err
	}
	out := make([]string, n)
	for i := range out {
		s, err := t.StringAt(i)
		if err != nil {
			return nil, err
		}
		out[i] = string(s)
	}
	return out, nil
}

// decodeStringHeader validates TFLite's string buffer layout: int32 count N,
// N+1 int32 offsets from the start of the buffer (ascending, the last equal
// to the buffer length), then the bytes.
func decodeStringHeader(b []byte) (int, int, error) {
	if len(b) < 4 {
		return 0, 0, fmt.Errorf("string buffer of %d bytes has no count", len(b))
	}
	n := int64(int32(binary.LittleEndian.Uint32(b)))
	if n < 0 || 4+4*(n+1) > int64(len(b)) {
		return 0, 0, fmt.Errorf("string buffer of %d bytes cannot hold %d strings", len(b), n)
	}
	header := int(4 + 4*(n+1))
	prev := uint32(header)
	for i := 0; i <= int(n); i++ {
		off := binary.LittleEndian.Uint32(b[4+4*i:])
		if off < prev || int64(off) > int64(len(b)) {
			return 0, 0, fmt.Errorf("string %d: offset %d out of order or past the end (%d bytes)", i, off, len(b))
		}
		prev = off
	}
	return int(n), header, nil
}

// EncodeStrings lays strings out in TFLite's string tensor format.
func EncodeStrings(strs []string) []byte {
	header := 4 + 4*(len(strs)+1)
	total := header
	for _, s := range strs {
		total += len(s)
	}
	b := make([]byte, total)
	binary.LittleEndian.PutUint32(b, uint32(len(strs)))
	off := header
	for i, s := range strs {
		binary.LittleEndian.PutUint32(b[4+4*i:], uint32(off))
		off += copy(b[off:], s)
	}
	binary.LittleEndian.PutUint32(b[4+4*len(strs):], uint32(off))
	return b
}

// SetStrings replaces the contents of a STRING tensor; its shape becomes
// [len(strs)] unless it already has that many elements.
func (t *Tensor) SetStrings(strs []string) error {
	if t.typ != String {
		return fmt.Errorf("tensor %q is %s, not STRING", t.name, t.typ)
	}
	if t.storage == StorageConstant {
		return fmt.Errorf("tensor %q: cannot write to a constant tensor", t.name)
	}
	if t.NumElements() != len(strs) {
		t.SetShape([]int{len(strs)})
	}
	t.data = EncodeStrings(strs)
	t.storage = StorageDynamic
	return nil
}

// Float16ToFloat32 converts IEEE 754 half-precision bits to float32.
func Float16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // inf or NaN
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	case exp != 0:
		return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
	case frac == 0:
		return math.Float32frombits(sign)
	}
	// Subnormal half: normalise into a float32.
	e := uint32(113)
	for frac&0x400 == 0 {
		frac <<= 1
		e--
	}
	return math.Float32frombits(sign | e<<23 | (frac&0x3ff)<<13)
}

// Float32ToFloat16 converts a float32 to half-precision bits, rounding to
// nearest even and saturating to infinity.
func Float32ToFloat16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xff
	frac := b & 0x7fffff
	if exp == 0xff {
		if frac != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 {
		if e < -10 {
			return sign
		}
		frac |= 0x800000
		shift := uint32(14 - e)
		half := frac >> shift
		rem := frac & (1<<shift - 1)
		mid := uint32(1) << (shift - 1)
		if rem > mid || (rem == mid && half&1 == 1) {
			half++
		}
		return sign | uint16(half)
	}
	h := uint32(e)<<10 | frac>>13
	rem := frac & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && h&1 == 1) {
		h++ // may carry into the exponent, which is the correct rounding
	}
	return sign | uint16(h)
}
