package flexbuffers

import (
	"errors"
	"fmt"
	"strconv"
)

// Type is the type of a FlexBuffers value: the upper six bits of a packed
// type byte. The values are fixed by the wire format.
type Type uint8

// Types defined by the FlexBuffers format.
const (
	TypeNull   Type = 0
	TypeInt    Type = 1
	TypeUInt   Type = 2
	TypeFloat  Type = 3
	TypeKey    Type = 4
	TypeString Type = 5
	// The indirect types store the scalar behind an offset, which keeps
	// the parent's width small.
	TypeIndirectInt   Type = 6
	TypeIndirectUInt  Type = 7
	TypeIndirectFloat Type = 8
	TypeMap           Type = 9
	TypeVector        Type = 10 // untyped: one type byte per element
	TypeVectorInt     Type = 11 // typed: no type bytes
	TypeVectorUInt    Type = 12
	TypeVectorFloat   Type = 13
	TypeVectorKey     Type = 14
	// TypeVectorStringDeprecated cannot be read as strings because the
	// width of each string's size field is unknown; it reads as keys.
	TypeVectorStringDeprecated Type = 15
	TypeVectorInt2             Type = 16 // fixed length: no size field
	TypeVectorUInt2            Type = 17
	TypeVectorFloat2           Type = 18
	TypeVectorInt3             Type = 19
	TypeVectorUInt3            Type = 20
	TypeVectorFloat3           Type = 21
	TypeVectorInt4             Type = 22
	TypeVectorUInt4            Type = 23
	TypeVectorFloat4           Type = 24
	TypeBlob                   Type = 25
	TypeBool                   Type = 26
	TypeVectorBool             Type = 36 // TypeBool - TypeInt + TypeVectorInt
)

var typeNames = [...]string{
	TypeNull:                   "Null",
	TypeInt:                    "Int",
	TypeUInt:                   "UInt",
	TypeFloat:                  "Float",
	TypeKey:                    "Key",
	TypeString:                 "String",
	TypeIndirectInt:            "IndirectInt",
	TypeIndirectUInt:           "IndirectUInt",
	TypeIndirectFloat:          "IndirectFloat",
	TypeMap:                    "Map",
	TypeVector:                 "Vector",
	TypeVectorInt:              "VectorInt",
	TypeVectorUInt:             "VectorUInt",
	TypeVectorFloat:            "VectorFloat",
	TypeVectorKey:              "VectorKey",
	TypeVectorStringDeprecated: "VectorStringDeprecated",
	TypeVectorInt2:             "VectorInt2",
	TypeVectorUInt2:            "VectorUInt2",
	TypeVectorFloat2:           "VectorFloat2",
	TypeVectorInt3:             "VectorInt3",
	TypeVectorUInt3:            "VectorUInt3",
	TypeVectorFloat3:           "VectorFloat3",
	TypeVectorInt4:             "VectorInt4",
	TypeVectorUInt4:            "VectorUInt4",
	TypeVectorFloat4:           "VectorFloat4",
	TypeBlob:                   "Blob",
	TypeBool:                   "Bool",
	TypeVectorBool:             "VectorBool",
}

// String returns the type's name, or "Type(n)" for a value outside the format.
func (t Type) String() string {
	if int(t) < len(typeNames) && typeNames[t] != "" {
		return typeNames[t]
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// Valid reports whether t is a type defined by the format.
func (t Type) Valid() bool { return t <= TypeBool || t == TypeVectorBool }

// IsInline reports whether values of type t are stored in their parent's
// slot rather than behind an offset.
func (t Type) IsInline() bool { return t <= TypeFloat || t == TypeBool }

// IsTypedVector reports whether t is a typed vector with a size field.
func (t Type) IsTypedVector() bool {
	return (t >= TypeVectorInt && t <= TypeVectorStringDeprecated) || t == TypeVectorBool
}

// IsFixedTypedVector reports whether t is a typed vector of length 2, 3 or 4
// without a size field.
func (t Type) IsFixedTypedVector() bool { return t >= TypeVectorInt2 && t <= TypeVectorFloat4 }

// typedElem returns the element type of a typed or fixed typed vector type
// and, for fixed ones, the length (0 otherwise).
func (t Type) typedElem() (elem Type, fixedLen int) {
	switch {
	case t.IsTypedVector():
		elem = t - TypeVectorInt + TypeInt
		if elem == TypeString {
			// Deprecated string vectors lack the size field width; like
			// upstream, read the elements as NUL-terminated keys.
			elem = TypeKey
		}
		return elem, 0
	case t.IsFixedTypedVector():
		k := int(t - TypeVectorInt2)
		return Type(k%3) + TypeInt, k/3 + 2
	}
	return TypeNull, 0
}

// bitWidth is the log2 of a byte width: 0..3 for 1, 2, 4 and 8 bytes.
type bitWidth uint8

const (
	width8 bitWidth = iota
	width16
	width32
	width64
)

func (w bitWidth) bytes() int { return 1 << w }

// widthU is the smallest bit width that holds u.
func widthU(u uint64) bitWidth {
	switch {
	case u <= 0xff:
		return width8
	case u <= 0xffff:
		return width16
	case u <= 0xffffffff:
		return width32
	}
	return width64
}

// widthI is the smallest bit width that holds i as a signed value.
func widthI(i int64) bitWidth {
	u := uint64(i) << 1
	if i < 0 {
		u = ^u
	}
	return widthU(u)
}

// widthF is 32 bits when f survives a round trip through float32, as upstream.
func widthF(f float64) bitWidth {
	if float64(float32(f)) == f {
		return width32
	}
	return width64
}

// packType combines a type and a bit width into a packed type byte.
func packType(t Type, w bitWidth) byte { return byte(t)<<2 | byte(w) }

// Limits that bound the work done on untrusted input.
const (
	// MaxDepth is the deepest nesting of vectors and maps that ToAny,
	// String and Marshal accept. Upstream's verifier uses the same default.
	MaxDepth = 64

	// decodeBudgetPerByte and decodeBudgetBase bound the units of work
	// (values visited plus bytes copied) that one ToAny or String call may
	// spend on a buffer: offsets may be shared, so without a bound a small
	// buffer could describe an exponentially large value.
	decodeBudgetPerByte = 8
	decodeBudgetBase    = 4096
)

// Errors reported by this package. Errors are wrapped with context; test
// for them with errors.Is.
var (
	// ErrMalformed reports a buffer that does not follow the format:
	// an offset, width, length or type outside what the buffer can hold.
	ErrMalformed = errors.New("malformed FlexBuffer")
	// ErrType reports an accessor used on a value of another type.
	ErrType = errors.New("wrong FlexBuffers type")
	// ErrLimit reports input that nests deeper than MaxDepth or expands
	// beyond the decode budget.
	ErrLimit = errors.New("FlexBuffers limit exceeded")
)

// malformed describes damage found inside the buffer; the exported entry
// points (Root, Vector, Map) add the package prefix and where they were.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrMalformed)
}
