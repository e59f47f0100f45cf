// Package fbs parses the subset of the FlatBuffers schema language used by
// schema/schema.fbs and resolves it into a layout model: for every table its
// fields in vtable-slot order with their wire kinds and sizes.
//
// It exists so that the verifier descriptor can be generated from the same
// .fbs file that flatc compiles, without depending on flatc's reflection
// output (flatc 2.0.8's --bfbs output would need its own reader). Supported:
// namespace, include-free files, attribute, file_identifier, file_extension,
// root_type, enum, union, struct (including fixed-size arrays) and table
// declarations, field defaults and attributes. rpc_service is not supported.
package fbs

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Attr is one `name` or `name: value` attribute.
type Attr struct {
	Name  string
	Value string // empty when the attribute has no value
}

// Attrs is an ordered attribute list.
type Attrs []Attr

// Get returns the value of the named attribute and whether it is present.
func (a Attrs) Get(name string) (string, bool) {
	for _, x := range a {
		if x.Name == name {
			return x.Value, true
		}
	}
	return "", false
}

// TypeRef is a field type as written: a name, optionally inside a vector
// ([T]) or a fixed-size struct array ([T:N]).
type TypeRef struct {
	Name     string
	Vector   bool
	ArrayLen int // >0 for fixed-size arrays (structs only)
}

func (t TypeRef) String() string {
	switch {
	case t.ArrayLen > 0:
		return fmt.Sprintf("[%s:%d]", t.Name, t.ArrayLen)
	case t.Vector:
		return "[" + t.Name + "]"
	}
	return t.Name
}

// FieldDecl is a parsed table or struct field.
type FieldDecl struct {
	Name    string
	Type    TypeRef
	Default string
	Attrs   Attrs
	Line    int
}

// EnumVal is one enum value or union member.
type EnumVal struct {
	Name  string
	Type  string // union members: the member table (same as Name unless aliased)
	Value int64
}

// EnumDecl is a parsed enum or union.
type EnumDecl struct {
	Name       string
	Underlying string // enums only
	IsUnion    bool
	Values     []EnumVal
	Attrs      Attrs
	Line       int
}

// StructDecl is a parsed table or struct.
type StructDecl struct {
	Name     string
	IsStruct bool
	Fields   []FieldDecl
	Attrs    Attrs
	Line     int
}

// File is a parsed schema file.
type File struct {
	Namespace      string
	FileIdentifier string
	FileExtension  string
	RootType       string
	Attributes     []string
	Enums          []*EnumDecl   // enums and unions, in declaration order
	Structs        []*StructDecl // tables and structs, in declaration order
}

// ScalarSize returns the byte size of a built-in scalar type name, or 0.
func ScalarSize(name string) int {
	switch name {
	case "bool", "byte", "ubyte", "int8", "uint8":
		return 1
	case "short", "ushort", "int16", "uint16":
		return 2
	case "int", "uint", "float", "int32", "uint32", "float32":
		return 4
	case "long", "ulong", "double", "int64", "uint64", "float64":
		return 8
	}
	return 0
}

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tNumber
	tString
	tPunct
)

type token struct {
	kind tokKind
	text string
	line int
}

func lex(src string) ([]token, error) {
	var toks []token
	line := 1
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("line %d: unterminated block comment", line)
			}
			line += strings.Count(src[i:i+2+end], "\n")
			i += end + 4
		case c == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				if j < len(src) && src[j] == '\n' {
					return nil, fmt.Errorf("line %d: newline in string literal", line)
				}
				j++
			}
			if j >= len(src) {
				return nil, fmt.Errorf("line %d: unterminated string literal", line)
			}
			s, err := strconv.Unquote(src[i : j+1])
			if err != nil {
				return nil, fmt.Errorf("line %d: bad string literal: %w", line, err)
			}
			toks = append(toks, token{tString, s, line})
			i = j + 1
		case c == '_' || unicode.IsLetter(rune(c)):
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '.' || unicode.IsLetter(rune(src[j])) || unicode.IsDigit(rune(src[j]))) {
				j++
			}
			toks = append(toks, token{tIdent, src[i:j], line})
			i = j
		case c == '-' || c == '+' || (c >= '0' && c <= '9'):
			j := i + 1
			for j < len(src) && (src[j] == '.' || src[j] == '_' || unicode.IsLetter(rune(src[j])) || unicode.IsDigit(rune(src[j])) ||
				((src[j] == '-' || src[j] == '+') && (src[j-1] == 'e' || src[j-1] == 'E'))) {
				j++
			}
			toks = append(toks, token{tNumber, src[i:j], line})
			i = j
		case strings.ContainsRune("{}()[]:;,=", rune(c)):
			toks = append(toks, token{tPunct, string(c), line})
			i++
		default:
			return nil, fmt.Errorf("line %d: unexpected character %q", line, c)
		}
	}
	toks = append(toks, token{tEOF, "", line})
	return toks, nil
}

type parser struct {
	toks []token
	pos  int
}

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *parser) errf(t token, format string, args ...any) error {
	return fmt.Errorf("line %d: %s", t.line, fmt.Sprintf(format, args...))
}

func (p *parser) accept(punct string) bool {
	if t := p.peek(); t.kind == tPunct && t.text == punct {
		p.pos++
		return true
	}
	return false
}

func (p *parser) expect(punct string) error {
	t := p.next()
	if t.kind != tPunct || t.text != punct {
		return p.errf(t, "expected %q, found %q", punct, t.text)
	}
	return nil
}

func (p *parser) ident() (token, error) {
	t := p.next()
	if t.kind != tIdent {
		return t, p.errf(t, "expected identifier, found %q", t.text)
	}
	return t, nil
}

func (p *parser) str() (string, error) {
	t := p.next()
	if t.kind != tString {
		return "", p.errf(t, "expected string literal, found %q", t.text)
	}
	return t.text, nil
}

// Parse parses schema source text.
func Parse(src string) (*File, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	f := &File{}
	for {
		t := p.next()
		if t.kind == tEOF {
			return f, nil
		}
		if t.kind != tIdent {
			return nil, p.errf(t, "expected declaration, found %q", t.text)
		}
		switch t.text {
		case "namespace":
			n, err := p.ident()
			if err != nil {
				return nil, err
			}
			f.Namespace = n.text
		case "include", "native_include":
			return nil, p.errf(t, "include is not supported")
		case "attribute":
			nt := p.next()
			if nt.kind != tString && nt.kind != tIdent {
				return nil, p.errf(nt, "expected attribute name")
			}
			f.Attributes = append(f.Attributes, nt.text)
		case "file_identifier":
			if f.FileIdentifier, err = p.str(); err != nil {
				return nil, err
			}
			if len(f.FileIdentifier) != 4 {
				return nil, p.errf(t, "file_identifier must be 4 bytes, got %q", f.FileIdentifier)
			}
		case "file_extension":
			if f.FileExtension, err = p.str(); err != nil {
				return nil, err
			}
		case "root_type":
			n, err := p.ident()
			if err != nil {
				return nil, err
			}
			f.RootType = n.text
		case "enum", "union":
			e, err := p.parseEnum(t)
			if err != nil {
				return nil, err
			}
			f.Enums = append(f.Enums, e)
			continue // no trailing ';'
		case "table", "struct":
			s, err := p.parseStruct(t)
			if err != nil {
				return nil, err
			}
			f.Structs = append(f.Structs, s)
			continue
		default:
			return nil, p.errf(t, "unsupported declaration %q", t.text)
		}
		if err := p.expect(";"); err != nil {
			return nil, err
		}
	}
}

func (p *parser) parseAttrs() (Attrs, error) {
	var attrs Attrs
	if !p.accept("(") {
		return nil, nil
	}
	for !p.accept(")") {
		n := p.next()
		if n.kind != tIdent && n.kind != tString {
			return nil, p.errf(n, "expected attribute name, found %q", n.text)
		}
		a := Attr{Name: n.text}
		if p.accept(":") {
			v := p.next()
			if v.kind == tPunct || v.kind == tEOF {
				return nil, p.errf(v, "expected attribute value, found %q", v.text)
			}
			a.Value = v.text
		}
		attrs = append(attrs, a)
		if !p.accept(",") {
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			break
		}
	}
	return attrs, nil
}

func (p *parser) parseEnum(kw token) (*EnumDecl, error) {
	name, err := p.ident()
	if err != nil {
		return nil, err
	}
	e := &EnumDecl{Name: name.text, IsUnion: kw.text == "union", Line: kw.line}
	if !e.IsUnion {
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		u, err := p.ident()
		if err != nil {
			return nil, err
		}
		if ScalarSize(u.text) == 0 || u.text == "float" || u.text == "double" || u.text == "float32" || u.text == "float64" {
			return nil, p.errf(u, "enum %s: bad underlying type %q", e.Name, u.text)
		}
		e.Underlying = u.text
	}
	if e.Attrs, err = p.parseAttrs(); err != nil {
		return nil, err
	}
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	next := int64(0)
	if e.IsUnion {
		next = 1 // 0 is the implicit NONE
	}
	for !p.accept("}") {
		vn, err := p.ident()
		if err != nil {
			return nil, err
		}
		v := EnumVal{Name: vn.text, Type: vn.text, Value: next}
		if e.IsUnion && p.accept(":") {
			tt, err := p.ident()
			if err != nil {
				return nil, err
			}
			v.Type = tt.text
		}
		if p.accept("=") {
			nt := p.next()
			if nt.kind != tNumber {
				return nil, p.errf(nt, "expected number, found %q", nt.text)
			}
			n, err := strconv.ParseInt(nt.text, 0, 64)
			if err != nil {
				return nil, p.errf(nt, "bad enum value %q", nt.text)
			}
			v.Value = n
		}
		if _, err := p.parseAttrs(); err != nil {
			return nil, err
		}
		next = v.Value + 1
		e.Values = append(e.Values, v)
		if !p.accept(",") {
			if err := p.expect("}"); err != nil {
				return nil, err
			}
			break
		}
	}
	return e, nil
}

func (p *parser) parseStruct(kw token) (*StructDecl, error) {
	name, err := p.ident()
	if err != nil {
		return nil, err
	}
	s := &StructDecl{Name: name.text, IsStruct: kw.text == "struct", Line: kw.line}
	if s.Attrs, err = p.parseAttrs(); err != nil {
		return nil, err
	}
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	for !p.accept("}") {
		fn, err := p.ident()
		if err != nil {
			return nil, err
		}
		fd := FieldDecl{Name: fn.text, Line: fn.line}
		if err := p.expect(":"); err != nil {
			return nil, err
		}
		if p.accept("[") {
			tn, err := p.ident()
			if err != nil {
				return nil, err
			}
			fd.Type = TypeRef{Name: tn.text, Vector: true}
			if p.accept(":") {
				nt := p.next()
				n, err := strconv.Atoi(nt.text)
				if nt.kind != tNumber || err != nil || n <= 0 {
					return nil, p.errf(nt, "bad array length %q", nt.text)
				}
				fd.Type = TypeRef{Name: tn.text, ArrayLen: n}
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
		} else {
			tn, err := p.ident()
			if err != nil {
				return nil, err
			}
			fd.Type = TypeRef{Name: tn.text}
		}
		if p.accept("=") {
			d := p.next()
			if d.kind != tNumber && d.kind != tIdent {
				return nil, p.errf(d, "bad default value %q", d.text)
			}
			fd.Default = d.text
		}
		if fd.Attrs, err = p.parseAttrs(); err != nil {
			return nil, err
		}
		if err := p.expect(";"); err != nil {
			return nil, err
		}
		s.Fields = append(s.Fields, fd)
	}
	return s, nil
}
