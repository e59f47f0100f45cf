package flexbuffers

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Builder writes a FlexBuffer. Values are pushed in order; vectors and maps
// are opened with StartVector or StartMap and closed with one of the End
// methods, and Finish writes the single root value:
//
//	var b flexbuffers.Builder
//	b.StartMap()
//	b.Key("max_detections")
//	b.Int(10)
//	b.Key("nms_iou_threshold")
//	b.Float32(0.6)
//	b.EndMap()
//	buf, err := b.Finish()
//
// Inside a map every value is preceded by its Key; EndMap sorts the entries
// by key as readers require. Like upstream, every scalar, size and offset is
// stored in the smallest width that holds it, and identical keys are
// written once and shared.
//
// Methods do not return errors: the first misuse (a key containing NUL, an
// unbalanced End, mixed types in a typed vector, ...) is remembered and
// returned by Finish and Err, and later calls do nothing. The zero Builder
// is ready to use.
type Builder struct {
	buf    []byte
	stack  []value
	frames []frame
	keys   map[string]uint64 // offset of each key written, to share them
	err    error
	done   bool
}

// value is a pushed value that has not been placed in a parent yet.
type value struct {
	u     uint64 // int64 or float64 bits, uint64, or the target's offset
	typ   Type
	width bitWidth // inline: the scalar's minimal width; others: the target's width
}

type frame struct {
	start int // index in stack of the first element
	isMap bool
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{} }

// Reset discards everything written so that the Builder can be reused. A
// slice returned by Finish is not reused and stays valid.
func (b *Builder) Reset() {
	b.buf = nil
	b.stack = b.stack[:0]
	b.frames = b.frames[:0]
	clear(b.keys)
	b.err = nil
	b.done = false
}

// Err returns the first error recorded, if any.
func (b *Builder) Err() error { return b.err }

func (b *Builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = fmt.Errorf("flexbuffers: "+format, args...)
	}
}

// usable reports whether the Builder may take more input.
func (b *Builder) usable() bool {
	if b.done && b.err == nil {
		b.err = errors.New("flexbuffers: Builder used after Finish without Reset")
	}
	return b.err == nil
}

func (b *Builder) push(v value) {
	if b.usable() {
		b.stack = append(b.stack, v)
	}
}

// Null pushes a null.
func (b *Builder) Null() { b.push(value{typ: TypeNull}) }

// Bool pushes a boolean.
func (b *Builder) Bool(v bool) {
	var u uint64
	if v {
		u = 1
	}
	b.push(value{u: u, typ: TypeBool})
}

// Int pushes a signed integer stored in 1, 2, 4 or 8 bytes.
func (b *Builder) Int(v int64) { b.push(value{u: uint64(v), typ: TypeInt, width: widthI(v)}) }

// UInt pushes an unsigned integer stored in 1, 2, 4 or 8 bytes.
func (b *Builder) UInt(v uint64) { b.push(value{u: v, typ: TypeUInt, width: widthU(v)}) }

// Float pushes a float, stored in 4 bytes if float32 holds it exactly and
// in 8 otherwise (upstream's Double).
func (b *Builder) Float(v float64) {
	b.push(value{u: math.Float64bits(v), typ: TypeFloat, width: widthF(v)})
}

// Float32 pushes a float stored in (at least) 4 bytes (upstream's Float).
func (b *Builder) Float32(v float32) {
	b.push(value{u: math.Float64bits(float64(v)), typ: TypeFloat, width: width32})
}

// IndirectInt pushes a signed integer stored behind an offset, which keeps
// the parent vector's width small when v is wide.
func (b *Builder) IndirectInt(v int64) { b.pushIndirect(uint64(v), TypeIndirectInt, widthI(v)) }

// IndirectUInt pushes an unsigned integer stored behind an offset.
func (b *Builder) IndirectUInt(v uint64) { b.pushIndirect(v, TypeIndirectUInt, widthU(v)) }

// IndirectFloat pushes a float stored behind an offset, in 4 bytes if
// float32 holds it exactly and in 8 otherwise.
func (b *Builder) IndirectFloat(v float64) {
	b.pushIndirect(math.Float64bits(v), TypeIndirectFloat, widthF(v))
}

// IndirectFloat32 pushes a float stored in 4 bytes behind an offset.
func (b *Builder) IndirectFloat32(v float32) {
	b.pushIndirect(math.Float64bits(float64(v)), TypeIndirectFloat, width32)
}

func (b *Builder) pushIndirect(u uint64, t Type, w bitWidth) {
	if !b.usable() {
		return
	}
	bw := b.align(w)
	loc := uint64(len(b.buf))
	if t == TypeIndirectFloat {
		b.writeFloat(math.Float64frombits(u), bw)
	} else {
		b.writeUint(u, bw)
	}
	b.push(value{u: loc, typ: t, width: w})
}

// String pushes a string: a size field, the bytes, and a NUL terminator.
func (b *Builder) String(s string) { pushSized(b, s, TypeString) }

// Blob pushes a blob of bytes.
func (b *Builder) Blob(p []byte) { pushSized(b, p, TypeBlob) }

func pushSized[T string | []byte](b *Builder, data T, t Type) {
	if !b.usable() {
		return
	}
	w := widthU(uint64(len(data)))
	bw := b.align(w)
	b.writeUint(uint64(len(data)), bw)
	loc := uint64(len(b.buf))
	b.buf = append(b.buf, data...)
	if t == TypeString {
		b.buf = append(b.buf, 0)
	}
	b.push(value{u: loc, typ: t, width: w})
}

// Key pushes a key: a NUL-terminated string without a size field. In a map
// each value is preceded by its key; elsewhere a key is an ordinary value.
// Keys cannot contain NUL.
func (b *Builder) Key(k string) {
	if !b.usable() {
		return
	}
	if i := strings.IndexByte(k, 0); i >= 0 {
		b.fail("key %q contains NUL at byte %d", k, i)
		return
	}
	loc, ok := b.keys[k]
	if !ok {
		loc = uint64(len(b.buf))
		b.buf = append(b.buf, k...)
		b.buf = append(b.buf, 0)
		if b.keys == nil {
			b.keys = make(map[string]uint64)
		}
		b.keys[k] = loc
	}
	b.push(value{u: loc, typ: TypeKey, width: width8})
}

// StartVector opens a vector; the values pushed until the matching
// EndVector, EndTypedVector or EndFixedTypedVector become its elements.
func (b *Builder) StartVector() {
	if b.usable() {
		b.frames = append(b.frames, frame{start: len(b.stack)})
	}
}

// StartMap opens a map; push Key, value, Key, value, ... and call EndMap.
func (b *Builder) StartMap() {
	if b.usable() {
		b.frames = append(b.frames, frame{start: len(b.stack), isMap: true})
	}
}

// EndVector closes an untyped vector, which stores a type byte per element.
func (b *Builder) EndVector() { b.endVector(false, false, TypeKey) }

// EndTypedVector closes a typed vector: its elements must all be Int, all
// UInt, all Float, all Key or all Bool, and no type bytes are stored. An
// empty typed vector is a vector of keys, as upstream writes it.
func (b *Builder) EndTypedVector() { b.endVector(true, false, TypeKey) }

// EndFixedTypedVector closes a typed vector of 2, 3 or 4 Int, UInt or
// Float elements, which stores no size field either.
func (b *Builder) EndFixedTypedVector() { b.endVector(true, true, TypeKey) }

// IntVector pushes a typed vector of signed integers.
func (b *Builder) IntVector(v []int64) {
	b.StartVector()
	for _, x := range v {
		b.Int(x)
	}
	b.endVector(true, false, TypeInt)
}

// UIntVector pushes a typed vector of unsigned integers.
func (b *Builder) UIntVector(v []uint64) {
	b.StartVector()
	for _, x := range v {
		b.UInt(x)
	}
	b.endVector(true, false, TypeUInt)
}

// FloatVector pushes a typed vector of floats, stored in 4 bytes each if
// float32 holds them all exactly and in 8 otherwise.
func (b *Builder) FloatVector(v []float64) {
	b.StartVector()
	for _, x := range v {
		b.Float(x)
	}
	b.endVector(true, false, TypeFloat)
}

// Float32Vector pushes a typed vector of 4-byte floats.
func (b *Builder) Float32Vector(v []float32) {
	b.StartVector()
	for _, x := range v {
		b.Float32(x)
	}
	b.endVector(true, false, TypeFloat)
}

// BoolVector pushes a typed vector of booleans.
func (b *Builder) BoolVector(v []bool) {
	b.StartVector()
	for _, x := range v {
		b.Bool(x)
	}
	b.endVector(true, false, TypeBool)
}

func (b *Builder) popFrame(isMap bool) (int, bool) {
	if !b.usable() {
		return 0, false
	}
	want, got := "EndVector", "StartVector"
	if isMap {
		want = "EndMap"
	}
	n := len(b.frames)
	if n == 0 {
		b.fail("%s without a matching start", want)
		return 0, false
	}
	f := b.frames[n-1]
	if f.isMap {
		got = "StartMap"
	}
	if f.isMap != isMap {
		b.fail("%s closes a %s", want, got)
		return 0, false
	}
	b.frames = b.frames[:n-1]
	return f.start, true
}

// endVector closes the open vector. emptyType is the element type of an
// empty typed vector.
func (b *Builder) endVector(typed, fixed bool, emptyType Type) {
	start, ok := b.popFrame(false)
	if !ok {
		return
	}
	n := len(b.stack) - start
	if fixed && (n < 2 || n > 4) {
		b.fail("fixed typed vector of %d elements; only 2, 3 or 4 are possible", n)
		return
	}
	v, ok := b.createVector(start, n, 1, typed, fixed, nil, emptyType)
	if !ok {
		return
	}
	b.stack = append(b.stack[:start], v)
}

// EndMap closes a map. It sorts the entries by key bytewise (readers
// binary-search them) and fails on a missing value or a duplicate key.
func (b *Builder) EndMap() {
	start, ok := b.popFrame(true)
	if !ok {
		return
	}
	entries := b.stack[start:]
	if len(entries)%2 != 0 {
		b.fail("map has %d values pushed; a Key must precede each value", len(entries))
		return
	}
	for i := 0; i < len(entries); i += 2 {
		if entries[i].typ != TypeKey {
			b.fail("map entry %d: expected a Key, got %v", i/2, entries[i].typ)
			return
		}
	}
	s := mapSorter{entries: entries, buf: b.buf}
	if !sort.IsSorted(s) {
		sort.Sort(s)
	}
	for i := 2; i < len(entries); i += 2 {
		if bytes.Equal(keyAt(b.buf, entries[i].u), keyAt(b.buf, entries[i-2].u)) {
			b.fail("duplicate map key %q", keyAt(b.buf, entries[i].u))
			return
		}
	}
	n := len(entries) / 2
	keys, ok := b.createVector(start, n, 2, true, false, nil, TypeKey)
	if !ok {
		return
	}
	vals, ok := b.createVector(start+1, n, 2, false, false, &keys, TypeKey)
	if !ok {
		return
	}
	b.stack = append(b.stack[:start], vals)
}

// mapSorter sorts key/value pairs on the stack by key.
type mapSorter struct {
	entries []value
	buf     []byte
}

func (s mapSorter) Len() int { return len(s.entries) / 2 }
func (s mapSorter) Less(i, j int) bool {
	return bytes.Compare(keyAt(s.buf, s.entries[2*i].u), keyAt(s.buf, s.entries[2*j].u)) < 0
}
func (s mapSorter) Swap(i, j int) {
	e := s.entries
	e[2*i], e[2*j] = e[2*j], e[2*i]
	e[2*i+1], e[2*j+1] = e[2*j+1], e[2*i+1]
}

func keyAt(buf []byte, off uint64) []byte {
	k := buf[off:]
	return k[:bytes.IndexByte(k, 0)]
}

// createVector writes the n elements at stack[start], stack[start+step], ...
// and returns the vector value. keys, if set, makes it the values of a map.
func (b *Builder) createVector(start, n, step int, typed, fixed bool, keys *value, emptyType Type) (value, bool) {
	w := widthU(uint64(n))
	prefix := 1
	if keys != nil {
		w = max(w, keys.elemWidth(len(b.buf), 0))
		prefix = 3
	}
	elemType := emptyType
	for i := start; i < len(b.stack); i += step {
		v := b.stack[i]
		// Index as upstream computes it (i-start, also for maps' step 2):
		// it only makes the estimate conservative, and keeps bytes identical.
		w = max(w, v.elemWidth(len(b.buf), i-start+prefix))
		if !typed {
			continue
		}
		if i == start {
			elemType = v.typ
		} else if v.typ != elemType {
			b.fail("typed vector mixes %v and %v elements", elemType, v.typ)
			return value{}, false
		}
	}
	if typed {
		switch elemType {
		case TypeInt, TypeUInt, TypeFloat:
		case TypeKey, TypeBool:
			if fixed {
				b.fail("fixed typed vector of %v elements; only Int, UInt and Float are possible", elemType)
				return value{}, false
			}
		default:
			b.fail("typed vector of %v elements; only Int, UInt, Float, Key and Bool are possible", elemType)
			return value{}, false
		}
	}
	bw := b.align(w)
	if keys != nil {
		b.writeOffset(keys.u, bw)
		b.writeUint(uint64(keys.width.bytes()), bw)
	}
	if !fixed {
		b.writeUint(uint64(n), bw)
	}
	loc := uint64(len(b.buf))
	for i := start; i < len(b.stack); i += step {
		b.writeAny(b.stack[i], bw)
	}
	if !typed {
		for i := start; i < len(b.stack); i += step {
			b.buf = append(b.buf, b.stack[i].storedPacked(w))
		}
	}
	t := TypeVector
	switch {
	case keys != nil:
		t = TypeMap
	case fixed:
		t = TypeVectorInt2 + Type(3*(n-2)) + (elemType - TypeInt)
	case typed:
		t = elemType - TypeInt + TypeVectorInt
	}
	return value{u: loc, typ: t, width: w}, b.err == nil
}

// Finish writes the root and returns the finished buffer, or the first
// error recorded. Exactly one value must have been pushed outside any
// vector or map. Call Reset before building another buffer.
func (b *Builder) Finish() ([]byte, error) {
	if b.err != nil {
		return nil, b.err
	}
	if b.done {
		return b.buf, nil
	}
	if len(b.frames) > 0 {
		b.fail("Finish with %d vector(s) or map(s) still open", len(b.frames))
		return nil, b.err
	}
	if len(b.stack) != 1 {
		b.fail("Finish needs exactly one root value, have %d", len(b.stack))
		return nil, b.err
	}
	root := b.stack[0]
	bw := b.align(root.elemWidth(len(b.buf), 0))
	b.writeAny(root, bw)
	b.buf = append(b.buf, root.storedPacked(width8), byte(bw))
	if b.err != nil {
		return nil, b.err
	}
	b.done = true
	return b.buf, nil
}

// elemWidth is the width v needs as element index of a vector whose data
// would start at the end of a buffer of bufSize bytes. For offsets that
// depends on the width itself (through padding and position), so each
// width is tried in turn.
func (v value) elemWidth(bufSize, index int) bitWidth {
	if v.typ.IsInline() {
		return v.width
	}
	for w := width8; w < width64; w++ {
		bw := uint64(w.bytes())
		loc := uint64(bufSize) + padding(uint64(bufSize), bw) + uint64(index)*bw
		if widthU(loc-v.u) <= w {
			return w
		}
	}
	return width64
}

// storedPacked is v's type byte in a parent of the given width: inline
// values take the parent's width.
func (v value) storedPacked(parent bitWidth) byte {
	w := v.width
	if v.typ.IsInline() {
		w = max(w, parent)
	}
	return packType(v.typ, w)
}

func padding(size, align uint64) uint64 { return -size & (align - 1) }

// align pads the buffer to a multiple of w's byte width and returns it.
func (b *Builder) align(w bitWidth) int {
	bw := w.bytes()
	for len(b.buf)%bw != 0 {
		b.buf = append(b.buf, 0)
	}
	return bw
}

func (b *Builder) writeUint(u uint64, bw int) {
	switch bw {
	case 1:
		b.buf = append(b.buf, byte(u))
	case 2:
		b.buf = binary.LittleEndian.AppendUint16(b.buf, uint16(u))
	case 4:
		b.buf = binary.LittleEndian.AppendUint32(b.buf, uint32(u))
	default:
		b.buf = binary.LittleEndian.AppendUint64(b.buf, u)
	}
}

func (b *Builder) writeFloat(f float64, bw int) {
	switch bw {
	case 4:
		b.buf = binary.LittleEndian.AppendUint32(b.buf, math.Float32bits(float32(f)))
	case 8:
		b.buf = binary.LittleEndian.AppendUint64(b.buf, math.Float64bits(f))
	default:
		// Floats are at least 32 bits wide, so their parents are too.
		b.fail("internal error: float in a %d-byte slot", bw)
		b.buf = append(b.buf, make([]byte, bw)...)
	}
}

func (b *Builder) writeOffset(target uint64, bw int) {
	rel := uint64(len(b.buf)) - target
	if bw < 8 && rel>>(8*bw) != 0 {
		b.fail("internal error: offset %d does not fit in %d bytes", rel, bw)
	}
	b.writeUint(rel, bw)
}

func (b *Builder) writeAny(v value, bw int) {
	switch v.typ {
	case TypeNull, TypeInt, TypeUInt, TypeBool:
		b.writeUint(v.u, bw)
	case TypeFloat:
		b.writeFloat(math.Float64frombits(v.u), bw)
	default:
		b.writeOffset(v.u, bw)
	}
}
