package core

import "fmt"

// TensorType is the element type of a tensor. The values are those of the
// TFLite schema's TensorType enum, so a value read from a model converts
// directly.
type TensorType int8

// Tensor element types, numbered as in the TFLite schema.
const (
	Float32    TensorType = 0
	Float16    TensorType = 1
	Int32      TensorType = 2
	Uint8      TensorType = 3
	Int64      TensorType = 4
	String     TensorType = 5
	Bool       TensorType = 6
	Int16      TensorType = 7
	Complex64  TensorType = 8
	Int8       TensorType = 9
	Float64    TensorType = 10
	Complex128 TensorType = 11
	Uint64     TensorType = 12
	Resource   TensorType = 13
	Variant    TensorType = 14
	Uint32     TensorType = 15
	Uint16     TensorType = 16
	Int4       TensorType = 17
	BFloat16   TensorType = 18
	Int2       TensorType = 19
	Uint4      TensorType = 20
	// Float8E4M3FN and Float8E5M2 are the two 8-bit float formats.
	Float8E4M3FN TensorType = 21
	Float8E5M2   TensorType = 22
)

var typeNames = [...]string{
	Float32: "FLOAT32", Float16: "FLOAT16", Int32: "INT32", Uint8: "UINT8",
	Int64: "INT64", String: "STRING", Bool: "BOOL", Int16: "INT16",
	Complex64: "COMPLEX64", Int8: "INT8", Float64: "FLOAT64",
	Complex128: "COMPLEX128", Uint64: "UINT64", Resource: "RESOURCE",
	Variant: "VARIANT", Uint32: "UINT32", Uint16: "UINT16", Int4: "INT4",
	BFloat16: "BFLOAT16", Int2: "INT2", Uint4: "UINT4",
	Float8E4M3FN: "FLOAT8_E4M3FN", Float8E5M2: "FLOAT8_E5M2",
}

// String returns the schema's name of the type, e.g. "FLOAT32".
func (t TensorType) String() string {
	if t >= 0 && int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("TensorType(%d)", int8(t))
}

// Valid reports whether t is a type this package knows.
func (t TensorType) Valid() bool { return t >= 0 && int(t) < len(typeNames) }

// ElementSize is the size in bytes of one element of type t. It returns 0
// for types without a fixed element size: STRING and VARIANT (variable
// length) and the sub-byte INT4, UINT4 and INT2 (packed; see ByteSize).
func (t TensorType) ElementSize() int {
	switch t {
	case Bool, Uint8, Int8, Float8E4M3FN, Float8E5M2:
		return 1
	case Float16, Int16, Uint16, BFloat16:
		return 2
	case Float32, Int32, Uint32, Resource:
		return 4
	case Float64, Int64, Uint64, Complex64:
		return 8
	case Complex128:
		return 16
	}
	return 0
}

// ByteSize returns the number of bytes a dense tensor of type t with the
// given number of elements occupies, and false when the type has no fixed
// size (STRING, VARIANT) or the size overflows int64.
func (t TensorType) ByteSize(elements int64) (int64, bool) {
	if elements < 0 {
		return 0, false
	}
	switch t {
	case Int4, Uint4:
		return (elements + 1) / 2, true
	case Int2:
		return (elements + 3) / 4, true
	}
	es := int64(t.ElementSize())
	if es == 0 {
		return 0, false
	}
	if elements > (1<<62)/es {
		return 0, false
	}
	return elements * es, true
}

// NumElements returns the product of the dimensions of shape, and false if a
// dimension is negative or the product exceeds 2^62.
func NumElements(shape []int) (int64, bool) {
	n := int64(1)
	for _, d := range shape {
		if d < 0 {
			return 0, false
		}
		if d != 0 && n > (1<<62)/int64(d) {
			return 0, false
		}
		n *= int64(d)
	}
	return n, true
}
