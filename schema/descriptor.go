package schema

// This file declares the types of the schema descriptor that fbsgen
// generates into descriptor_gen.go from schema.fbs. The verifier walks a
// buffer guided by these tables; they are never modified at run time.

// fieldKind is how a table field is stored on the wire.
type fieldKind uint8

const (
	kindScalar          fieldKind = iota // inline scalar or enum, size bytes
	kindStruct                           // inline struct, size bytes
	kindString                           // uoffset to a string
	kindTable                            // uoffset to table descTables[ref]
	kindUnionType                        // inline ubyte holding the type of the next slot's union
	kindUnion                            // uoffset to a member of union descUnions[ref]; type at slot-2
	kindVectorScalar                     // uoffset to a vector of size-byte scalars
	kindVectorStruct                     // uoffset to a vector of size-byte structs
	kindVectorString                     // uoffset to a vector of string uoffsets
	kindVectorTable                      // uoffset to a vector of uoffsets to descTables[ref]
	kindVectorUnionType                  // uoffset to a vector of ubyte union types
	kindVectorUnion                      // uoffset to a vector of union uoffsets; types at slot-2
)

// fieldDesc describes one vtable slot of a table.
type fieldDesc struct {
	name string
	slot uint16    // byte offset of the field's entry in the vtable (4 + 2*index)
	kind fieldKind // wire representation
	size uint32    // inline size (scalar, struct) or element size (scalar/struct vectors)
	ref  int16     // table index (kindTable, kindVectorTable) or union index (union kinds)
}

// tableDesc describes a table: its name and its fields in slot order.
type tableDesc struct {
	name   string
	fields []fieldDesc
}

// unionDesc describes a union: tables[t] is the table index for type value
// t, or -1 when t names no member (0 is always NONE).
type unionDesc struct {
	name   string
	tables []int16
}

// member returns the table index for union type value t, or -1.
func (u *unionDesc) member(t uint8) int {
	if int(t) < len(u.tables) {
		return int(u.tables[t])
	}
	return -1
}
