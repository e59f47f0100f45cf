package fbs

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is how a table field is stored on the wire.
type Kind int

// Field kinds. Unions occupy two slots: a one-byte UnionType field followed by
// the Union offset field (likewise VectorUnionType + VectorUnion).
const (
	Scalar          Kind = iota // inline scalar or enum of Size bytes
	Struct                      // inline struct of Size bytes
	String                      // offset to a string
	Table                       // offset to a table
	UnionType                   // inline ubyte: the type of the following union
	Union                       // offset to a table whose type is in the previous slot
	VectorScalar                // offset to a vector of Size-byte scalars
	VectorStruct                // offset to a vector of Size-byte structs
	VectorString                // offset to a vector of string offsets
	VectorTable                 // offset to a vector of table offsets
	VectorUnionType             // offset to a vector of ubyte union types
	VectorUnion                 // offset to a vector of union value offsets
)

func (k Kind) String() string {
	switch k {
	case Scalar:
		return "Scalar"
	case Struct:
		return "Struct"
	case String:
		return "String"
	case Table:
		return "Table"
	case UnionType:
		return "UnionType"
	case Union:
		return "Union"
	case VectorScalar:
		return "VectorScalar"
	case VectorStruct:
		return "VectorStruct"
	case VectorString:
		return "VectorString"
	case VectorTable:
		return "VectorTable"
	case VectorUnionType:
		return "VectorUnionType"
	case VectorUnion:
		return "VectorUnion"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Field is a resolved table field.
type Field struct {
	Name       string // schema name; union type slots get the "_type" suffix
	Slot       int    // vtable offset of the field: 4 + 2*index
	Kind       Kind
	Size       int    // inline size (Scalar, Struct) or element size (vectors of scalars/structs)
	Ref        string // referenced table, union or struct name
	Deprecated bool
	ForceAlign int // force_align attribute of a vector, 0 if none
	Decl       *FieldDecl
}

// TableLayout is a resolved table.
type TableLayout struct {
	Name   string
	Fields []Field
	Decl   *StructDecl
}

// UnionMember is one non-NONE member of a union.
type UnionMember struct {
	Name  string
	Value int64
	Table string
}

// UnionLayout is a resolved union.
type UnionLayout struct {
	Name    string
	Members []UnionMember
}

// StructLayout is a resolved fixed-layout struct.
type StructLayout struct {
	Name  string
	Size  int
	Align int
}

// Schema is a resolved schema.
type Schema struct {
	File    *File
	Tables  []*TableLayout // declaration order
	Unions  []*UnionLayout // declaration order
	Structs map[string]*StructLayout
	Enums   map[string]*EnumDecl
}

// Table returns the named table layout, or nil.
func (s *Schema) Table(name string) *TableLayout {
	for _, t := range s.Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Resolve computes field kinds, slots and sizes for every table.
func Resolve(f *File) (*Schema, error) {
	s := &Schema{File: f, Structs: map[string]*StructLayout{}, Enums: map[string]*EnumDecl{}}
	decls := map[string]*StructDecl{}
	for _, e := range f.Enums {
		if _, dup := s.Enums[e.Name]; dup {
			return nil, fmt.Errorf("line %d: duplicate declaration %s", e.Line, e.Name)
		}
		s.Enums[e.Name] = e
	}
	for _, d := range f.Structs {
		if _, dup := decls[d.Name]; dup || s.Enums[d.Name] != nil {
			return nil, fmt.Errorf("line %d: duplicate declaration %s", d.Line, d.Name)
		}
		decls[d.Name] = d
	}
	local := func(n string) string {
		if f.Namespace != "" {
			n = strings.TrimPrefix(n, f.Namespace+".")
		}
		return n
	}

	// Struct layouts, resolved on demand so declaration order does not matter.
	var structLayout func(name string, seen map[string]bool) (*StructLayout, error)
	structLayout = func(name string, seen map[string]bool) (*StructLayout, error) {
		if l := s.Structs[name]; l != nil {
			return l, nil
		}
		d := decls[name]
		if d == nil || !d.IsStruct {
			return nil, fmt.Errorf("%s is not a struct", name)
		}
		if seen[name] {
			return nil, fmt.Errorf("line %d: struct %s contains itself", d.Line, name)
		}
		seen[name] = true
		size, align := 0, 1
		for i := range d.Fields {
			fd := &d.Fields[i]
			tn := local(fd.Type.Name)
			var fs, fa int
			if n := ScalarSize(tn); n > 0 {
				fs, fa = n, n
			} else if e := s.Enums[tn]; e != nil && !e.IsUnion {
				fs = ScalarSize(e.Underlying)
				fa = fs
			} else {
				sl, err := structLayout(tn, seen)
				if err != nil {
					return nil, fmt.Errorf("line %d: struct field %s.%s: %w", fd.Line, name, fd.Name, err)
				}
				fs, fa = sl.Size, sl.Align
			}
			if fd.Type.Vector {
				return nil, fmt.Errorf("line %d: struct field %s.%s: vectors are not allowed in structs", fd.Line, name, fd.Name)
			}
			if fd.Type.ArrayLen > 0 {
				fs *= fd.Type.ArrayLen
			}
			size = alignUp(size, fa) + fs
			align = max(align, fa)
		}
		if v, ok := d.Attrs.Get("force_align"); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 || n&(n-1) != 0 {
				return nil, fmt.Errorf("line %d: struct %s: bad force_align %q", d.Line, name, v)
			}
			align = max(align, n)
		}
		size = alignUp(size, align)
		l := &StructLayout{Name: name, Size: size, Align: align}
		s.Structs[name] = l
		return l, nil
	}

	for _, d := range f.Structs {
		if d.IsStruct {
			if _, err := structLayout(d.Name, map[string]bool{}); err != nil {
				return nil, err
			}
		}
	}

	for _, e := range f.Enums {
		if !e.IsUnion {
			continue
		}
		u := &UnionLayout{Name: e.Name}
		for _, v := range e.Values {
			if v.Name == "NONE" {
				continue
			}
			tn := local(v.Type)
			if d := decls[tn]; d == nil || d.IsStruct {
				return nil, fmt.Errorf("line %d: union %s member %s is not a table", e.Line, e.Name, v.Type)
			}
			if v.Value <= 0 || v.Value > 255 {
				return nil, fmt.Errorf("line %d: union %s member %s has value %d outside 1..255", e.Line, e.Name, v.Name, v.Value)
			}
			u.Members = append(u.Members, UnionMember{Name: v.Name, Value: v.Value, Table: tn})
		}
		s.Unions = append(s.Unions, u)
	}

	for _, d := range f.Structs {
		if d.IsStruct {
			continue
		}
		t := &TableLayout{Name: d.Name, Decl: d}
		index := 0
		for i := range d.Fields {
			fd := &d.Fields[i]
			_, dep := fd.Attrs.Get("deprecated")
			fa := 0
			if v, ok := fd.Attrs.Get("force_align"); ok {
				n, err := strconv.Atoi(v)
				if err != nil || n <= 0 || n&(n-1) != 0 {
					return nil, fmt.Errorf("line %d: field %s.%s: bad force_align %q", fd.Line, d.Name, fd.Name, v)
				}
				fa = n
			}
			if v, ok := fd.Attrs.Get("id"); ok {
				if n, err := strconv.Atoi(v); err != nil || n != index {
					return nil, fmt.Errorf("line %d: field %s.%s: explicit id %q is not supported unless it equals the declaration index %d", fd.Line, d.Name, fd.Name, v, index)
				}
			}
			if fd.Type.ArrayLen > 0 {
				return nil, fmt.Errorf("line %d: field %s.%s: fixed arrays are only allowed in structs", fd.Line, d.Name, fd.Name)
			}
			tn := local(fd.Type.Name)
			fl := Field{Name: fd.Name, Deprecated: dep, ForceAlign: fa, Decl: fd}
			var isUnion bool
			switch {
			case tn == "string":
				fl.Kind = String
			case ScalarSize(tn) > 0:
				fl.Kind, fl.Size = Scalar, ScalarSize(tn)
			case s.Enums[tn] != nil && !s.Enums[tn].IsUnion:
				fl.Kind, fl.Size, fl.Ref = Scalar, ScalarSize(s.Enums[tn].Underlying), tn
			case s.Enums[tn] != nil:
				fl.Kind, fl.Ref, isUnion = Union, tn, true
			case decls[tn] != nil && decls[tn].IsStruct:
				fl.Kind, fl.Size, fl.Ref = Struct, s.Structs[tn].Size, tn
			case decls[tn] != nil:
				fl.Kind, fl.Ref = Table, tn
			default:
				return nil, fmt.Errorf("line %d: field %s.%s: unknown type %q", fd.Line, d.Name, fd.Name, fd.Type.Name)
			}
			if fd.Type.Vector {
				switch fl.Kind {
				case String:
					fl.Kind = VectorString
				case Scalar:
					fl.Kind = VectorScalar
				case Struct:
					fl.Kind = VectorStruct
				case Table:
					fl.Kind = VectorTable
				case Union:
					fl.Kind = VectorUnion
				}
			}
			if isUnion {
				tk := UnionType
				if fd.Type.Vector {
					tk = VectorUnionType
				}
				t.Fields = append(t.Fields, Field{
					Name: fd.Name + "_type", Slot: 4 + 2*index, Kind: tk, Size: 1,
					Ref: tn, Deprecated: dep, Decl: fd,
				})
				index++
			}
			fl.Slot = 4 + 2*index
			index++
			t.Fields = append(t.Fields, fl)
		}
		if 4+2*index > 0xffff {
			return nil, fmt.Errorf("line %d: table %s has too many fields", d.Line, d.Name)
		}
		s.Tables = append(s.Tables, t)
	}

	if f.RootType == "" {
		return nil, fmt.Errorf("schema has no root_type")
	}
	if d := decls[local(f.RootType)]; d == nil || d.IsStruct {
		return nil, fmt.Errorf("root_type %s is not a table", f.RootType)
	}
	return s, nil
}

func alignUp(n, a int) int { return (n + a - 1) &^ (a - 1) }
