package flexbuffers

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"iter"
	"math"
	"strconv"
	"strings"
)

// buffer is the input shared by every Reference into it.
type buffer struct {
	data []byte
	// lastNUL is the index of the last zero byte (-1 if none). A key at off
	// is terminated exactly when off <= lastNUL, which makes checking a key
	// O(1) instead of a scan to the end of the buffer per key.
	lastNUL int
}

// Reference is one value in a buffer: a scalar, string, key, blob, vector
// or map. The zero Reference is a null value.
//
// A Reference obtained from [Root], [Vector.At] or [Map.Get] has been
// checked against the buffer, so its accessors never fail: they return the
// value, a conversion of it, or a zero value when the types do not convert.
// It keeps the buffer alive and reads it on each access; do not modify the
// buffer while References into it are in use.
type Reference struct {
	b   *buffer
	off int   // inline values: the slot; others: the target the slot points to
	n   int   // strings and blobs: bytes; vectors and maps: elements
	pw  uint8 // parent width: bytes of the slot that holds an inline value
	bw  uint8 // width from the packed type: of elements, size field or indirect scalar
	typ Type
}

// Root returns the root value of a FlexBuffer. The last byte of buf is the
// root's width, the byte before it the root's packed type, and the bytes
// before that the root's slot.
func Root(buf []byte) (Reference, error) {
	r, err := openRoot(buf)
	if err != nil {
		return Reference{}, fmt.Errorf("flexbuffers: root: %w", err)
	}
	return r, nil
}

func openRoot(buf []byte) (Reference, error) {
	if len(buf) < 3 {
		return Reference{}, malformed("buffer of %d bytes is too short to hold a root", len(buf))
	}
	w := buf[len(buf)-1]
	if !validWidth(uint64(w)) {
		return Reference{}, malformed("root byte width %d is not 1, 2, 4 or 8", w)
	}
	if len(buf)-2 < int(w) {
		return Reference{}, malformed("root slot of %d bytes does not fit in a %d-byte buffer", w, len(buf))
	}
	b := &buffer{data: buf, lastNUL: bytes.LastIndexByte(buf, 0)}
	return b.ref(len(buf)-2-int(w), w, buf[len(buf)-2])
}

func validWidth(w uint64) bool { return w == 1 || w == 2 || w == 4 || w == 8 }

// ref checks and returns the value whose slot of pw bytes is at slot and
// whose packed type byte is packed. The caller has checked that the slot
// lies inside the buffer.
func (b *buffer) ref(slot int, pw uint8, packed byte) (Reference, error) {
	return b.refTyped(slot, pw, 1<<(packed&3), Type(packed>>2))
}

func (b *buffer) refTyped(slot int, pw, bw uint8, t Type) (Reference, error) {
	if !t.Valid() {
		return Reference{}, malformed("value at offset %d has undefined type %d", slot, uint8(t))
	}
	r := Reference{b: b, off: slot, pw: pw, bw: bw, typ: t}
	if t.IsInline() {
		return r, nil
	}
	d := b.data
	rel := readUint(d, slot, pw)
	if rel > uint64(slot) {
		return Reference{}, malformed("%v at offset %d points %d bytes back, before the buffer", t, slot, rel)
	}
	tgt := slot - int(rel)
	r.off = tgt
	avail := uint64(len(d) - tgt) // bytes from the target to the end
	switch t {
	case TypeKey:
		if tgt > b.lastNUL {
			return Reference{}, malformed("key at offset %d has no NUL terminator", tgt)
		}
	case TypeIndirectInt, TypeIndirectUInt, TypeIndirectFloat:
		if uint64(bw) > avail {
			return Reference{}, malformed("%v at offset %d: %d bytes run past the end", t, tgt, bw)
		}
	case TypeString, TypeBlob:
		n, err := b.size(tgt, bw, t)
		if err != nil {
			return Reference{}, err
		}
		if n > avail {
			return Reference{}, malformed("%v at offset %d: length %d runs past the end", t, tgt, n)
		}
		r.n = int(n)
	case TypeVector, TypeMap:
		n, err := b.size(tgt, bw, t)
		if err != nil {
			return Reference{}, err
		}
		// Elements of bw bytes, then one type byte each.
		if n > avail/(uint64(bw)+1) {
			return Reference{}, malformed("%v at offset %d: %d elements of %d bytes run past the end", t, tgt, n, bw)
		}
		if t == TypeMap && tgt < 3*int(bw) {
			return Reference{}, malformed("map at offset %d: keys prefix lies before the buffer", tgt)
		}
		r.n = int(n)
	default: // typed and fixed typed vectors
		_, fixed := t.typedElem()
		n := uint64(fixed)
		if fixed == 0 {
			var err error
			if n, err = b.size(tgt, bw, t); err != nil {
				return Reference{}, err
			}
		}
		if n > avail/uint64(bw) {
			return Reference{}, malformed("%v at offset %d: %d elements of %d bytes run past the end", t, tgt, n, bw)
		}
		r.n = int(n)
	}
	return r, nil
}

// size reads the size field of bw bytes just before tgt.
func (b *buffer) size(tgt int, bw uint8, t Type) (uint64, error) {
	if tgt < int(bw) {
		return 0, malformed("%v at offset %d: size field lies before the buffer", t, tgt)
	}
	return readUint(b.data, tgt-int(bw), bw), nil
}

// Type returns the value's type.
func (r Reference) Type() Type { return r.typ }

// IsNull reports whether the value is null.
func (r Reference) IsNull() bool { return r.typ == TypeNull }

// IsBool reports whether the value is a boolean.
func (r Reference) IsBool() bool { return r.typ == TypeBool }

// IsInt reports whether the value is a signed integer, inline or indirect.
func (r Reference) IsInt() bool { return r.typ == TypeInt || r.typ == TypeIndirectInt }

// IsUInt reports whether the value is an unsigned integer, inline or indirect.
func (r Reference) IsUInt() bool { return r.typ == TypeUInt || r.typ == TypeIndirectUInt }

// IsFloat reports whether the value is a float, inline or indirect.
func (r Reference) IsFloat() bool { return r.typ == TypeFloat || r.typ == TypeIndirectFloat }

// IsNumeric reports whether the value is an integer or a float.
func (r Reference) IsNumeric() bool { return r.IsInt() || r.IsUInt() || r.IsFloat() }

// IsString reports whether the value is a string.
func (r Reference) IsString() bool { return r.typ == TypeString }

// IsKey reports whether the value is a key (a NUL-terminated string).
func (r Reference) IsKey() bool { return r.typ == TypeKey }

// IsBlob reports whether the value is a blob.
func (r Reference) IsBlob() bool { return r.typ == TypeBlob }

// IsMap reports whether the value is a map.
func (r Reference) IsMap() bool { return r.typ == TypeMap }

// IsVector reports whether the value is an untyped vector or a map, as
// upstream's IsVector does (a map's values form an untyped vector).
func (r Reference) IsVector() bool { return r.typ == TypeVector || r.typ == TypeMap }

// IsUntypedVector reports whether the value is an untyped vector.
func (r Reference) IsUntypedVector() bool { return r.typ == TypeVector }

// IsTypedVector reports whether the value is a typed vector with a size field.
func (r Reference) IsTypedVector() bool { return r.typ.IsTypedVector() }

// IsFixedTypedVector reports whether the value is a typed vector of fixed
// length 2, 3 or 4.
func (r Reference) IsFixedTypedVector() bool { return r.typ.IsFixedTypedVector() }

// IsAnyVector reports whether [Reference.Vector] accepts the value: any
// kind of vector, or a map.
func (r Reference) IsAnyVector() bool {
	return r.IsVector() || r.typ.IsTypedVector() || r.typ.IsFixedTypedVector()
}

// Bool returns the value as a boolean: a stored boolean, or whether
// [Reference.UInt] is non-zero.
func (r Reference) Bool() bool {
	if r.typ == TypeBool {
		return readUint(r.b.data, r.off, r.pw) != 0
	}
	return r.UInt() != 0
}

// Int returns the value as an int64, converting like upstream's AsInt64:
// unsigned integers are reinterpreted, floats truncated toward zero
// (saturating, NaN is 0), booleans are 0 or 1, strings are parsed as base-10
// integers (0 if they are not one or overflow), an untyped vector gives its
// length, and everything else 0.
func (r Reference) Int() int64 {
	switch r.typ {
	case TypeInt, TypeBool:
		return readInt(r.b.data, r.off, r.pw)
	case TypeIndirectInt:
		return readInt(r.b.data, r.off, r.bw)
	case TypeUInt:
		return int64(readUint(r.b.data, r.off, r.pw))
	case TypeIndirectUInt:
		return int64(readUint(r.b.data, r.off, r.bw))
	case TypeFloat:
		return floatToInt(readFloat(r.b.data, r.off, r.pw))
	case TypeIndirectFloat:
		return floatToInt(readFloat(r.b.data, r.off, r.bw))
	case TypeString:
		return parseInt(r.cString())
	case TypeVector:
		return int64(r.n)
	}
	return 0
}

// UInt returns the value as a uint64, converting like upstream's AsUInt64:
// signed integers are sign-extended and reinterpreted, floats truncated
// (saturating; negative values go through int64, NaN is 0), strings parsed
// as base-10 integers with an optional sign, an untyped vector gives its
// length, and everything else 0.
func (r Reference) UInt() uint64 {
	switch r.typ {
	case TypeUInt, TypeBool:
		return readUint(r.b.data, r.off, r.pw)
	case TypeIndirectUInt:
		return readUint(r.b.data, r.off, r.bw)
	case TypeInt:
		return uint64(readInt(r.b.data, r.off, r.pw))
	case TypeIndirectInt:
		return uint64(readInt(r.b.data, r.off, r.bw))
	case TypeFloat:
		return floatToUint(readFloat(r.b.data, r.off, r.pw))
	case TypeIndirectFloat:
		return floatToUint(readFloat(r.b.data, r.off, r.bw))
	case TypeString:
		return parseUint(r.cString())
	case TypeVector:
		return uint64(r.n)
	}
	return 0
}

// Float returns the value as a float64, converting like upstream's
// AsDouble: integers and booleans convert, strings are parsed as decimal
// floating-point numbers (0 if they are not one), an untyped vector gives
// its length, and everything else 0. Floats are stored in 4 or 8 bytes;
// like upstream, a float stored in 1 or 2 bytes reads as a signed integer.
func (r Reference) Float() float64 {
	switch r.typ {
	case TypeFloat:
		return readFloat(r.b.data, r.off, r.pw)
	case TypeIndirectFloat:
		return readFloat(r.b.data, r.off, r.bw)
	case TypeInt:
		return float64(readInt(r.b.data, r.off, r.pw))
	case TypeIndirectInt:
		return float64(readInt(r.b.data, r.off, r.bw))
	case TypeUInt, TypeBool:
		return float64(readUint(r.b.data, r.off, r.pw))
	case TypeIndirectUInt:
		return float64(readUint(r.b.data, r.off, r.bw))
	case TypeString:
		return parseFloat(r.cString())
	case TypeVector:
		return float64(r.n)
	}
	return 0
}

// StringBytes returns the bytes of a string or key (without the
// terminator), or nil for other types. The slice aliases the buffer.
func (r Reference) StringBytes() []byte {
	switch r.typ {
	case TypeString:
		return r.b.data[r.off : r.off+r.n : r.off+r.n]
	case TypeKey:
		return r.keyBytes()
	}
	return nil
}

// StringValue returns a string or key as a Go string, or "" for other
// types. (String formats any value as text; see [Reference.String].)
func (r Reference) StringValue() string { return string(r.StringBytes()) }

// Key returns a key, or the contents of a string, or "" for other types.
func (r Reference) Key() string {
	if r.typ == TypeKey || r.typ == TypeString {
		return string(r.StringBytes())
	}
	return ""
}

// Blob returns the bytes of a blob or string, or nil for other types. The
// slice aliases the buffer.
func (r Reference) Blob() []byte {
	if r.typ == TypeBlob || r.typ == TypeString {
		return r.b.data[r.off : r.off+r.n : r.off+r.n]
	}
	return nil
}

func (r Reference) keyBytes() []byte {
	d := r.b.data[r.off:]
	if i := bytes.IndexByte(d, 0); i >= 0 {
		d = d[:i]
	}
	return d[:len(d):len(d)]
}

// cString is the string as C code sees it: up to the first NUL. Numeric
// conversions of strings use it so they agree with upstream.
func (r Reference) cString() string {
	s := r.StringBytes()
	if i := bytes.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return string(s)
}

// Vector returns the elements of any vector: untyped, typed, fixed-length
// typed, or the values of a map. It checks every element, so reading them
// afterwards cannot fail. The error wraps [ErrType] for other types and
// [ErrMalformed] for a damaged vector.
func (r Reference) Vector() (Vector, error) {
	v := Vector{b: r.b, off: r.off, n: r.n, bw: r.bw}
	switch {
	case r.typ == TypeVector || r.typ == TypeMap:
	case r.typ.IsTypedVector() || r.typ.IsFixedTypedVector():
		v.elem, _ = r.typ.typedElem()
		v.typed = true
	default:
		return Vector{}, fmt.Errorf("flexbuffers: Vector of a %v value: %w", r.typ, ErrType)
	}
	if i, err := v.check(); err != nil {
		return Vector{}, fmt.Errorf("flexbuffers: element %d of %v at offset %d: %w", i, r.typ, r.off, err)
	}
	return v, nil
}

// Map returns a map's keys and values. It checks the keys vector and every
// key and value, so reading them afterwards cannot fail. The error wraps
// [ErrType] for other types and [ErrMalformed] for a damaged map.
func (r Reference) Map() (Map, error) {
	if r.typ != TypeMap {
		return Map{}, fmt.Errorf("flexbuffers: Map of a %v value: %w", r.typ, ErrType)
	}
	m, err := r.openMap()
	if err != nil {
		return Map{}, fmt.Errorf("flexbuffers: map at offset %d: %w", r.off, err)
	}
	return m, nil
}

func (r Reference) openMap() (Map, error) {
	d, bw := r.b.data, r.bw
	// Before the size field: an offset to the keys vector and its width.
	p := r.off - 3*int(bw)
	rel := readUint(d, p, bw)
	if rel > uint64(p) {
		return Map{}, malformed("keys offset points %d bytes back, before the buffer", rel)
	}
	kt := p - int(rel)
	kw := readUint(d, p+int(bw), bw)
	if !validWidth(kw) {
		return Map{}, malformed("keys width %d is not 1, 2, 4 or 8", kw)
	}
	kn, err := r.b.size(kt, uint8(kw), TypeVectorKey)
	if err != nil {
		return Map{}, err
	}
	if kn != uint64(r.n) {
		return Map{}, malformed("%d keys for %d values", kn, r.n)
	}
	if kn > uint64(len(d)-kt)/kw {
		return Map{}, malformed("%d keys of %d bytes run past the end", kn, kw)
	}
	m := Map{
		keys:   Vector{b: r.b, off: kt, n: r.n, bw: uint8(kw), elem: TypeKey, typed: true},
		values: Vector{b: r.b, off: r.off, n: r.n, bw: bw},
	}
	if i, err := m.keys.check(); err != nil {
		return Map{}, fmt.Errorf("key %d: %w", i, err)
	}
	if i, err := m.values.check(); err != nil {
		return Map{}, fmt.Errorf("value %d: %w", i, err)
	}
	return m, nil
}

// Vector is a checked sequence of values: an untyped vector, a typed or
// fixed-length typed vector, or the keys or values of a map. The zero
// Vector is empty.
type Vector struct {
	b     *buffer
	off   int // first element
	n     int
	bw    uint8 // element width
	elem  Type  // element type of typed vectors
	typed bool
}

// Len returns the number of elements.
func (v Vector) Len() int { return v.n }

// IsTyped reports whether all elements share one type, stored once for the
// whole vector rather than per element.
func (v Vector) IsTyped() bool { return v.typed }

// ElemType returns the element type of a typed vector (TypeNull for an
// untyped one).
func (v Vector) ElemType() Type { return v.elem }

// At returns element i, or a null Reference if i is out of range (as
// upstream does, so that a short vector reads as defaults).
func (v Vector) At(i int) Reference {
	if i < 0 || i >= v.n {
		return Reference{}
	}
	r, err := v.elemRef(i)
	if err != nil {
		// Unreachable for a Vector from Reference.Vector or Reference.Map,
		// which checked every element.
		return Reference{}
	}
	return r
}

// All yields the index and value of every element in order.
func (v Vector) All() iter.Seq2[int, Reference] {
	return func(yield func(int, Reference) bool) {
		for i := 0; i < v.n; i++ {
			if !yield(i, v.At(i)) {
				return
			}
		}
	}
}

func (v Vector) elemRef(i int) (Reference, error) {
	slot := v.off + i*int(v.bw)
	if v.typed {
		return v.b.refTyped(slot, v.bw, 1, v.elem)
	}
	return v.b.ref(slot, v.bw, v.b.data[v.off+v.n*int(v.bw)+i])
}

// check validates every element and returns the first bad one. Inline
// elements of typed vectors are always valid: the vector's extent was
// checked when it was reached.
func (v Vector) check() (int, error) {
	if v.typed && v.elem.IsInline() {
		return 0, nil
	}
	for i := 0; i < v.n; i++ {
		if _, err := v.elemRef(i); err != nil {
			return i, err
		}
	}
	return 0, nil
}

// Map is a checked FlexBuffers map: a typed vector of keys sorted bytewise
// and an untyped vector of values of the same length. The zero Map is empty.
type Map struct {
	keys   Vector
	values Vector
}

// Len returns the number of entries.
func (m Map) Len() int { return m.values.n }

// Keys returns the keys, a typed vector of TypeKey elements.
func (m Map) Keys() Vector { return m.keys }

// Values returns the values, in the order of the keys.
func (m Map) Values() Vector { return m.values }

// KeyAt returns key i, or "" if i is out of range.
func (m Map) KeyAt(i int) string { return m.keys.At(i).Key() }

// Get returns the value stored under key. It binary-searches the keys, which
// conforming writers store sorted; if that misses, it scans them all, so
// buffers with unsorted keys still read correctly (a miss costs O(Len)).
func (m Map) Get(key string) (Reference, bool) {
	i := m.find(key)
	if i < 0 {
		return Reference{}, false
	}
	return m.values.At(i), true
}

// All yields every key and value in stored (sorted) order.
func (m Map) All() iter.Seq2[string, Reference] {
	return func(yield func(string, Reference) bool) {
		for i := 0; i < m.values.n; i++ {
			if !yield(m.keys.At(i).Key(), m.values.At(i)) {
				return
			}
		}
	}
}

func (m Map) find(key string) int {
	if strings.IndexByte(key, 0) >= 0 {
		return -1 // keys cannot hold NUL
	}
	lo, hi := 0, m.keys.n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := m.compareKey(mid, key); {
		case c == 0:
			return mid
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	for i := 0; i < m.keys.n; i++ {
		if m.compareKey(i, key) == 0 {
			return i
		}
	}
	return -1
}

// compareKey compares key i with q like strcmp, reading no more of the key
// than q's length plus one byte.
func (m Map) compareKey(i int, q string) int {
	d := m.keys.b.data
	slot := m.keys.off + i*int(m.keys.bw)
	rel := readUint(d, slot, m.keys.bw)
	if rel > uint64(slot) {
		return 1 // unreachable after Map's check; never matches
	}
	off := slot - int(rel)
	for j := 0; ; j++ {
		var c byte
		if off+j < len(d) {
			c = d[off+j]
		}
		if j == len(q) {
			if c == 0 {
				return 0
			}
			return 1
		}
		if c != q[j] {
			if c < q[j] {
				return -1
			}
			return 1
		}
	}
}

// readUint reads a little-endian unsigned integer of w bytes.
func readUint(d []byte, off int, w uint8) uint64 {
	switch w {
	case 1:
		return uint64(d[off])
	case 2:
		return uint64(binary.LittleEndian.Uint16(d[off:]))
	case 4:
		return uint64(binary.LittleEndian.Uint32(d[off:]))
	}
	return binary.LittleEndian.Uint64(d[off:])
}

// readInt reads a little-endian signed integer of w bytes.
func readInt(d []byte, off int, w uint8) int64 {
	switch w {
	case 1:
		return int64(int8(d[off]))
	case 2:
		return int64(int16(binary.LittleEndian.Uint16(d[off:])))
	case 4:
		return int64(int32(binary.LittleEndian.Uint32(d[off:])))
	}
	return int64(binary.LittleEndian.Uint64(d[off:]))
}

// readFloat reads a float of w bytes. Upstream has no 8- or 16-bit floats
// and reads such widths as signed integers; so do we.
func readFloat(d []byte, off int, w uint8) float64 {
	switch w {
	case 1, 2:
		return float64(readInt(d, off, w))
	case 4:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(d[off:])))
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(d[off:]))
}

// floatToInt truncates toward zero, saturating; Go leaves out-of-range
// conversions implementation-defined, so they are spelled out.
func floatToInt(f float64) int64 {
	switch {
	case f != f:
		return 0
	case f >= 1<<63:
		return math.MaxInt64
	case f < -(1 << 63):
		return math.MinInt64
	}
	return int64(f)
}

func floatToUint(f float64) uint64 {
	switch {
	case f != f:
		return 0
	case f >= 1<<64:
		return math.MaxUint64
	case f >= 0:
		return uint64(f)
	}
	return uint64(floatToInt(f))
}

// trimCSpace drops the leading white space that strtol and strtod skip.
func trimCSpace(s string) string {
	return strings.TrimLeft(s, " \t\n\v\f\r")
}

// parseInt follows upstream's StringToInt: base 10, the whole string,
// 0 on any failure including overflow.
func parseInt(s string) int64 {
	v, err := strconv.ParseInt(trimCSpace(s), 10, 64)
	if err != nil {
		return 0
	}
	return v
}

// parseUint follows upstream's StringToUInt (strtoull): an optional sign,
// where "-n" is the two's complement of n; 0 on any failure.
func parseUint(s string) uint64 {
	s = trimCSpace(s)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || s[0] == '+' || s[0] == '-' {
		return 0
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0
	}
	if neg {
		return -v
	}
	return v
}

// parseFloat follows upstream's StringToNumber (strtod over the whole
// string; 0 on failure, ±Inf on overflow). strtod also takes a few C-only
// spellings, such as hex floats without an exponent; those read as 0 here.
func parseFloat(s string) float64 {
	f, err := strconv.ParseFloat(trimCSpace(s), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f
		}
		return 0
	}
	return f
}
