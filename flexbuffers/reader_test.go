package flexbuffers

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func build(t testing.TB, f func(b *Builder)) []byte {
	t.Helper()
	var b Builder
	f(&b)
	out, err := b.Finish()
	require.NoError(t, err)
	return out
}

func root(t testing.TB, buf []byte) Reference {
	t.Helper()
	r, err := Root(buf)
	require.NoError(t, err)
	return r
}

func decode(t testing.TB, buf []byte) any {
	t.Helper()
	v, err := root(t, buf).ToAny()
	require.NoError(t, err)
	return v
}

// TestScalarWidths checks each scalar as a root: its value, its type, and
// that it is stored in the smallest width (the root width is the last byte).
func TestScalarWidths(t *testing.T) {
	cases := []struct {
		name  string
		push  func(b *Builder)
		typ   Type
		width int
		want  any
	}{
		{"null", func(b *Builder) { b.Null() }, TypeNull, 1, nil},
		{"bool", func(b *Builder) { b.Bool(true) }, TypeBool, 1, true},
		{"int8", func(b *Builder) { b.Int(-128) }, TypeInt, 1, int64(-128)},
		{"int16", func(b *Builder) { b.Int(-129) }, TypeInt, 2, int64(-129)},
		{"int16max", func(b *Builder) { b.Int(math.MaxInt16) }, TypeInt, 2, int64(math.MaxInt16)},
		{"int32", func(b *Builder) { b.Int(math.MinInt32) }, TypeInt, 4, int64(math.MinInt32)},
		{"int64", func(b *Builder) { b.Int(math.MaxInt32 + 1) }, TypeInt, 8, int64(math.MaxInt32 + 1)},
		{"uint8", func(b *Builder) { b.UInt(255) }, TypeUInt, 1, uint64(255)},
		{"uint16", func(b *Builder) { b.UInt(65535) }, TypeUInt, 2, uint64(65535)},
		{"uint32", func(b *Builder) { b.UInt(math.MaxUint32) }, TypeUInt, 4, uint64(math.MaxUint32)},
		{"uint64", func(b *Builder) { b.UInt(math.MaxUint64) }, TypeUInt, 8, uint64(math.MaxUint64)},
		{"float32", func(b *Builder) { b.Float32(1.25) }, TypeFloat, 4, 1.25},
		{"float exact in 32", func(b *Builder) { b.Float(-3.5) }, TypeFloat, 4, -3.5},
		{"float64", func(b *Builder) { b.Float(math.Pi) }, TypeFloat, 8, math.Pi},
		{"float inf", func(b *Builder) { b.Float(math.Inf(1)) }, TypeFloat, 4, math.Inf(1)},
		{"float smallest", func(b *Builder) { b.Float(math.SmallestNonzeroFloat64) }, TypeFloat, 8, math.SmallestNonzeroFloat64},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			buf := build(t, c.push)
			assert.Len(t, buf, c.width+2)
			assert.Equal(t, byte(c.width), buf[len(buf)-1])
			r := root(t, buf)
			assert.Equal(t, c.typ, r.Type())
			got, err := r.ToAny()
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

// TestRoundTripWidths puts values of every width in every kind of parent:
// alone in a vector (narrow parent), next to a 64-bit value (wide parent),
// in a map, behind an offset, and in typed vectors.
func TestRoundTripWidths(t *testing.T) {
	ints := []int64{0, 1, -1, 127, -128, 128, -129, 32767, -32768, 32768, math.MaxInt32, math.MinInt32,
		math.MaxInt32 + 1, math.MaxInt64, math.MinInt64}
	uints := []uint64{0, 1, 255, 256, 65535, 65536, math.MaxUint32, math.MaxUint32 + 1, math.MaxUint64}
	floats := []float64{0, -0.5, 1.5, float64(float32(0.1)), 0.1, math.MaxFloat32, math.MaxFloat64, math.Inf(-1)}

	for _, v := range ints {
		for _, wide := range []bool{false, true} {
			buf := build(t, func(b *Builder) {
				b.StartVector()
				b.Int(v)
				b.IndirectInt(v)
				if wide {
					b.UInt(math.MaxUint64)
				}
				b.EndVector()
			})
			vec, err := root(t, buf).Vector()
			require.NoError(t, err)
			assert.Equal(t, v, vec.At(0).Int())
			assert.Equal(t, TypeInt, vec.At(0).Type())
			assert.Equal(t, v, vec.At(1).Int())
			assert.Equal(t, TypeIndirectInt, vec.At(1).Type())
		}
		got := decode(t, build(t, func(b *Builder) { b.IntVector([]int64{v, 1}) }))
		assert.Equal(t, []any{v, int64(1)}, got)
		got = decode(t, build(t, func(b *Builder) {
			b.StartVector()
			b.Int(v)
			b.Int(-v)
			b.Int(2)
			b.EndFixedTypedVector()
		}))
		assert.Equal(t, []any{v, -v, int64(2)}, got)
	}
	for _, v := range uints {
		buf := build(t, func(b *Builder) {
			b.StartMap()
			b.Key("u")
			b.UInt(v)
			b.Key("i")
			b.IndirectUInt(v)
			b.Key("t")
			b.UIntVector([]uint64{v, 0, v})
			b.Key("f")
			b.StartVector()
			b.UInt(v)
			b.UInt(1)
			b.UInt(2)
			b.UInt(3)
			b.EndFixedTypedVector()
			b.EndMap()
		})
		assert.Equal(t, map[string]any{
			"u": v, "i": v, "t": []any{v, uint64(0), v}, "f": []any{v, uint64(1), uint64(2), uint64(3)},
		}, decode(t, buf))
	}
	for _, v := range floats {
		buf := build(t, func(b *Builder) {
			b.StartVector()
			b.Float(v)
			b.IndirectFloat(v)
			b.FloatVector([]float64{v, 1})
			b.StartVector()
			b.Float(v)
			b.Float(2)
			b.EndFixedTypedVector()
			b.EndVector()
		})
		assert.Equal(t, []any{v, v, []any{v, 1.0}, []any{v, 2.0}}, decode(t, buf))
	}
	// Float32 values stay float32 even next to doubles.
	buf := build(t, func(b *Builder) {
		b.Float32Vector([]float32{0.1, 0.2})
	})
	assert.Equal(t, []any{float64(float32(0.1)), float64(float32(0.2))}, decode(t, buf))
	assert.Equal(t, byte(packType(TypeVectorFloat, width32)), buf[len(buf)-2])
}

func TestRoundTripStringsAndBlobs(t *testing.T) {
	for _, n := range []int{0, 1, 255, 256, 65535, 65536} {
		s := strings.Repeat("s", n)
		p := []byte(strings.Repeat("\x00\xff", n/2+1))[:n]
		buf := build(t, func(b *Builder) {
			b.StartVector()
			b.String(s)
			b.Blob(p)
			b.Key("k" + s[:min(n, 10)])
			b.Int(7) // after the long payloads: offsets need the same widths
			b.EndVector()
		})
		v, err := root(t, buf).Vector()
		require.NoError(t, err)
		require.Equal(t, 4, v.Len())
		assert.Equal(t, s, v.At(0).StringValue())
		assert.Equal(t, []byte(s), v.At(0).StringBytes())
		assert.Equal(t, p, v.At(1).Blob())
		assert.Equal(t, "k"+s[:min(n, 10)], v.At(2).Key())
		assert.Equal(t, int64(7), v.At(3).Int())
	}
}

func TestRoundTripNested(t *testing.T) {
	big := make([]any, 70000) // 32-bit sizes and offsets
	for i := range big {
		big[i] = int64(i % 3)
	}
	v := map[string]any{
		"a":    []any{int64(1), "x", map[string]any{"b": []any{}, "c": map[string]any{}}},
		"big":  big,
		"blob": []byte{1, 2, 3},
		"m":    map[string]any{"z": nil, "y": true, "x": uint64(3), "w": -2.5, "v": "s"},
		"":     "empty key",
	}
	buf, err := Marshal(v)
	require.NoError(t, err)
	assert.Equal(t, v, decode(t, buf))

	m, err := root(t, buf).Map()
	require.NoError(t, err)
	e, ok := m.Get("")
	require.True(t, ok)
	assert.Equal(t, "empty key", e.StringValue())
	bigRef, ok := m.Get("big")
	require.True(t, ok)
	bv, err := bigRef.Vector()
	require.NoError(t, err)
	assert.Equal(t, 70000, bv.Len())
	assert.Equal(t, int64(2), bv.At(69998).Int())
}

func TestConversions(t *testing.T) {
	buf, err := Marshal([]any{
		int64(-1), uint64(math.MaxUint64), 2.9, -2.9, true, false, nil,
		"  42", "-7", "+7", "1e3", "abc", "12\x00x", "99999999999999999999", "-1",
		[]any{1, 2, 3}, map[string]any{"a": 1}, []byte{1}, math.NaN(), 1e300, -1e300,
	})
	require.NoError(t, err)
	v, err := root(t, buf).Vector()
	require.NoError(t, err)
	type conv struct {
		i int64
		u uint64
		f float64
		b bool
	}
	want := []conv{
		{-1, math.MaxUint64, -1, true},
		{-1, math.MaxUint64, math.MaxUint64, true},
		{2, 2, 2.9, true},
		{-2, math.MaxUint64 - 1, -2.9, true},
		{1, 1, 1, true},
		{0, 0, 0, false},
		{0, 0, 0, false},
		{42, 42, 42, true},
		{-7, math.MaxUint64 - 6, -7, true},
		{7, 7, 7, true},
		{0, 0, 1000, false},
		{0, 0, 0, false},
		{12, 12, 12, true},
		{0, 0, 1e20, false},
		{-1, math.MaxUint64, -1, true},
		{3, 3, 3, true},
		{0, 0, 0, false}, // maps do not convert (upstream: only untyped vectors)
		{0, 0, 0, false},
		{0, 0, 0, false}, // NaN
		{math.MaxInt64, math.MaxUint64, 1e300, true},
		{math.MinInt64, 1 << 63, -1e300, true},
	}
	require.Equal(t, len(want), v.Len())
	for i, w := range want {
		r := v.At(i)
		assert.Equal(t, w.i, r.Int(), "Int of element %d (%v)", i, r)
		assert.Equal(t, w.u, r.UInt(), "UInt of element %d (%v)", i, r)
		if math.IsNaN(r.Float()) {
			assert.Equal(t, 18, i)
		} else {
			assert.Equal(t, w.f, r.Float(), "Float of element %d (%v)", i, r)
		}
		assert.Equal(t, w.b, r.Bool(), "Bool of element %d (%v)", i, r)
	}
}

func TestAccessorsOnOtherTypes(t *testing.T) {
	buf, err := Marshal([]any{int64(5), "str", []byte("blob")})
	require.NoError(t, err)
	v, err := root(t, buf).Vector()
	require.NoError(t, err)
	i, s, bl := v.At(0), v.At(1), v.At(2)

	assert.Nil(t, i.StringBytes())
	assert.Empty(t, i.StringValue())
	assert.Empty(t, i.Key())
	assert.Nil(t, i.Blob())
	_, err = i.Vector()
	assert.ErrorIs(t, err, ErrType)
	_, err = i.Map()
	assert.ErrorIs(t, err, ErrType)

	assert.Equal(t, "str", s.Key(), "Key reads strings too, as upstream")
	assert.Equal(t, []byte("str"), s.Blob(), "Blob reads strings too, as upstream")
	assert.Nil(t, bl.StringBytes())
	assert.Equal(t, []byte("blob"), bl.Blob())

	var null Reference
	assert.True(t, null.IsNull())
	assert.Zero(t, null.Int())
	assert.Zero(t, null.UInt())
	assert.Zero(t, null.Float())
	assert.False(t, null.Bool())
	assert.Equal(t, "null", null.String())
	got, err := null.ToAny()
	assert.NoError(t, err)
	assert.Nil(t, got)

	// Out-of-range elements read as null, like upstream.
	assert.True(t, v.At(3).IsNull())
	assert.True(t, v.At(-1).IsNull())
	var empty Vector
	assert.Equal(t, 0, empty.Len())
	assert.True(t, empty.At(0).IsNull())
	var emptyMap Map
	_, ok := emptyMap.Get("x")
	assert.False(t, ok)
}

func TestPredicates(t *testing.T) {
	buf, err := Marshal(map[string]any{
		"n": nil, "b": true, "i": -1, "u": uint(1), "f": 1.5, "s": "s", "bl": []byte{1},
		"v": []any{1}, "tv": []int64{1}, "m": map[string]any{},
	})
	require.NoError(t, err)
	m, err := root(t, buf).Map()
	require.NoError(t, err)
	get := func(k string) Reference {
		r, ok := m.Get(k)
		require.True(t, ok, k)
		return r
	}
	assert.True(t, get("n").IsNull())
	assert.True(t, get("b").IsBool())
	assert.True(t, get("i").IsInt())
	assert.True(t, get("i").IsNumeric())
	assert.True(t, get("u").IsUInt())
	assert.True(t, get("f").IsFloat())
	assert.True(t, get("s").IsString())
	assert.False(t, get("s").IsKey())
	assert.True(t, get("bl").IsBlob())
	assert.True(t, get("v").IsVector())
	assert.True(t, get("v").IsUntypedVector())
	assert.True(t, get("tv").IsTypedVector())
	assert.False(t, get("tv").IsVector())
	assert.True(t, get("tv").IsAnyVector())
	assert.True(t, get("m").IsMap())
	assert.True(t, get("m").IsVector(), "a map's values are an untyped vector")
	assert.False(t, get("m").IsUntypedVector())
	assert.True(t, m.Keys().At(0).IsKey())
	assert.Equal(t, "VectorBool", TypeVectorBool.String())
	assert.Equal(t, "Type(30)", Type(30).String())
	assert.False(t, Type(30).Valid())

	tv, err := get("tv").Vector()
	require.NoError(t, err)
	assert.True(t, tv.IsTyped())
	assert.Equal(t, TypeInt, tv.ElemType())
}

func TestMapAccess(t *testing.T) {
	buf, err := Marshal(map[string]any{"b": 2, "a": 1, "c": 3})
	require.NoError(t, err)
	m, err := root(t, buf).Map()
	require.NoError(t, err)
	assert.Equal(t, 3, m.Len())
	assert.Equal(t, "a", m.KeyAt(0))
	assert.Equal(t, "", m.KeyAt(3))
	assert.Equal(t, int64(2), m.Values().At(1).Int())
	assert.Equal(t, "c", m.Keys().At(2).Key())
	for _, k := range []string{"a", "b", "c"} {
		v, ok := m.Get(k)
		require.True(t, ok)
		assert.Equal(t, int64(k[0]-'a'+1), v.Int())
	}
	for _, k := range []string{"", "0", "aa", "d", "a\x00", "\xff"} {
		_, ok := m.Get(k)
		assert.False(t, ok, "%q", k)
	}
	// Early break from the iterators.
	n := 0
	for range m.All() {
		n++
		break
	}
	for range m.Values().All() {
		n++
		break
	}
	assert.Equal(t, 2, n)
	vals, err := root(t, buf).Vector()
	require.NoError(t, err)
	assert.Equal(t, 3, vals.Len(), "Vector of a map gives its values")
	assert.Equal(t, int64(0), root(t, buf).Int(), "like upstream, only untyped vectors convert to their length")
}

// TestUnsortedMapKeys reads a map whose keys are not in order: binary search
// misses and the fallback scan finds them.
func TestUnsortedMapKeys(t *testing.T) {
	buf := []byte{
		'f', 'o', 'o', 0, // 0
		'b', 'a', 'r', 0, // 4
		2,    // 8: keys size
		9, 6, // 9: keys: foo, bar (unsorted)
		2, 1, // 11: keys offset and width
		2,      // 13: size
		13, 14, // 14: values
		4, 4, // 16: types
		4, byte(TypeMap) << 2, 1, // 18: root
	}
	m, err := root(t, buf).Map()
	require.NoError(t, err)
	for k, want := range map[string]int64{"foo": 13, "bar": 14} {
		v, ok := m.Get(k)
		require.True(t, ok, k)
		assert.Equal(t, want, v.Int())
	}
	_, ok := m.Get("baz")
	assert.False(t, ok)
}

// vectorDAG returns a buffer of depth nested vectors, each holding its child
// twice: a few bytes per level that describe 2^depth leaves.
func vectorDAG(depth int) []byte {
	buf := []byte{1, 1, packType(TypeInt, width8)} // [1]
	data := 1
	for range depth {
		p := len(buf)
		buf = append(buf, 2, byte(p+1-data), byte(p+2-data), packType(TypeVector, width8), packType(TypeVector, width8))
		data = p + 1
	}
	slot := len(buf)
	return append(buf, byte(slot-data), packType(TypeVector, width8), 1)
}

func TestHostileSharing(t *testing.T) {
	// 2^60 leaves in 300 bytes: the budget stops the walk early.
	buf := vectorDAG(60)
	r := root(t, buf)
	_, err := r.ToAny()
	assert.ErrorIs(t, err, ErrLimit)
	assert.Contains(t, r.String(), "<error: ")
	// Each level still reads one at a time.
	v, err := r.Vector()
	require.NoError(t, err)
	assert.Equal(t, 2, v.Len())

	// A small DAG is fine.
	got, err := root(t, vectorDAG(2)).ToAny()
	require.NoError(t, err)
	leaf := []any{int64(1)}
	assert.Equal(t, []any{[]any{leaf, leaf}, []any{leaf, leaf}}, got)

	// A vector that contains itself: offset 0 points at its own data.
	cyc := []byte{1, 0, packType(TypeVector, width8), 2, packType(TypeVector, width8), 1}
	r = root(t, cyc)
	_, err = r.ToAny()
	assert.ErrorIs(t, err, ErrLimit)
	assert.Contains(t, r.String(), "nest deeper than 64")
	v, err = r.Vector()
	require.NoError(t, err)
	assert.Equal(t, TypeVector, v.At(0).Type())
}

func TestSharedStringsDecodeOnce(t *testing.T) {
	// One 1000-byte string referenced 2000 times: 4 KB of input, 2 MB if
	// each reference were copied; shared strings are made once.
	s := strings.Repeat("z", 1000)
	buf := []byte{0xe8, 0x03} // size 1000 (16-bit)
	buf = append(buf, s...)
	buf = append(buf, 0, 0)
	const n = 2000
	vecStart := len(buf) + 2
	buf = append(buf, byte(n&0xff), byte(n>>8))
	for i := range n {
		slot := vecStart + 2*i
		off := slot - 2
		buf = append(buf, byte(off), byte(off>>8))
	}
	for range n {
		buf = append(buf, packType(TypeString, width16))
	}
	slot := len(buf)
	buf = append(buf, byte((slot-vecStart)&0xff), byte((slot-vecStart)>>8), packType(TypeVector, width16), 2)
	got, err := root(t, buf).ToAny()
	require.NoError(t, err)
	require.Len(t, got, n)
	assert.Equal(t, s, got.([]any)[n-1])
}

func TestDepthLimit(t *testing.T) {
	nest := func(depth int) any {
		var v any = int64(1)
		for range depth {
			v = []any{v}
		}
		return v
	}
	buf, err := Marshal(nest(MaxDepth))
	require.NoError(t, err)
	_, err = root(t, buf).ToAny()
	require.NoError(t, err)

	_, err = Marshal(nest(MaxDepth + 1))
	assert.ErrorIs(t, err, ErrLimit)

	// A hand-made buffer nested one level deeper than MaxDepth.
	var b Builder
	for range MaxDepth + 1 {
		b.StartVector()
	}
	for range MaxDepth + 1 {
		b.EndVector()
	}
	buf, err = b.Finish()
	require.NoError(t, err)
	_, err = root(t, buf).ToAny()
	assert.ErrorIs(t, err, ErrLimit)
}

func TestMalformed(t *testing.T) {
	vt := packType(TypeVector, width8)
	mt := packType(TypeMap, width8)
	// A valid {"a": 5} to damage one byte at a time.
	okMap := []byte{
		'a', 0, // 0: key
		1, 3, // 2: keys size, offset to the key
		1, 1, // 4: offset to the keys, their width
		1, 5, 4, // 6: size, value, type Int
		2, mt, 1, // 9: root
	}
	with := func(i int, v byte) []byte {
		b := append([]byte(nil), okMap...)
		b[i] = v
		return b
	}
	require.Equal(t, map[string]any{"a": int64(5)}, decode(t, okMap))

	huge := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f} // size 2^63-1
	huge = append(huge, make([]byte, 8)...)                        // root slot: offset 0
	huge = append(huge, packType(TypeVector, width64), 8)

	cases := []struct {
		name string
		buf  []byte
		at   string // where the error shows: "root", "vector" or "map"
		msg  string
	}{
		{"empty", nil, "root", "too short"},
		{"two bytes", []byte{0, 1}, "root", "too short"},
		{"root width 3", []byte{0, 0, 0, 4, 3}, "root", "root byte width 3"},
		{"root width 0", []byte{0, 4, 0}, "root", "root byte width 0"},
		{"root width past start", []byte{0, 4, 8}, "root", "does not fit"},
		{"undefined type", []byte{0, 30 << 2, 1}, "root", "undefined type 30"},
		{"type 63", []byte{0, 0xfc, 1}, "root", "undefined type 63"},
		{"offset before start", []byte{5, packType(TypeString, width8), 1}, "root", "before the buffer"},
		{"string size before start", []byte{0, packType(TypeString, width8), 1}, "root", "size field lies before"},
		{"string too long", []byte{9, 'a', 0, 2, packType(TypeString, width8), 1}, "root", "length 9 runs past"},
		{"string size 64-bit huge", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 'a', 0, 2,
			packType(TypeString, width64), 1}, "root", "length 18446744073709551615 runs past"},
		{"blob too long", []byte{5, 'x', 1, packType(TypeBlob, width8), 1}, "root", "length 5 runs past"},
		{"key without NUL", []byte{'a', 'b', 2, packType(TypeKey, width8), 1}, "root", "no NUL"},
		{"indirect int past end", []byte{1, 1, packType(TypeIndirectInt, width64), 1}, "root", "8 bytes run past"},
		{"vector too long", []byte{3, 1, 2, 2, vt, 1}, "root", "3 elements of 1 bytes run past"},
		{"vector size huge", huge, "root", "9223372036854775807 elements of 8 bytes"},
		{"typed vector too long", []byte{6, 1, 2, 2, packType(TypeVectorInt, width8), 1}, "root", "6 elements"},
		{"fixed vector too long", []byte{1, 2, 2, packType(TypeVectorInt4, width16), 1}, "root", "4 elements of 2 bytes"},
		{"map prefix before start", []byte{1, 5, 4, 2, mt, 1}, "root", "keys prefix lies before"},
		{"element offset before start", []byte{1, 9, vt, 2, vt, 1}, "vector", "element 0 of Vector at offset 1: Vector at offset 1 points 9 bytes back"},
		{"element bad type", []byte{1, 0, 0xfc, 2, vt, 1}, "vector", "undefined type 63"},
		{"typed key without NUL", []byte{'k', 1, 2, 1, packType(TypeVectorKey, width8), 1}, "vector", "no NUL"},
		{"map keys offset before start", with(4, 9), "map", "keys offset points 9 bytes back"},
		{"map keys width 3", with(5, 3), "map", "keys width 3"},
		{"map keys count differs", with(2, 2), "map", "2 keys for 1 values"},
		{"map key without NUL", with(1, 'b'), "map", "key 0: key at offset 0 has no NUL"},
		{"map key offset before start", with(3, 7), "map", "key 0: Key at offset 3 points 7 bytes back"},
		{"map value bad", with(8, packType(TypeString, width16)), "map", "value 0: String at offset 2: length 97 runs past"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Root(c.buf)
			if c.at == "root" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrMalformed)
				assert.Contains(t, err.Error(), c.msg)
				assert.True(t, strings.HasPrefix(err.Error(), "flexbuffers: root: "), err.Error())
				assert.True(t, r.IsNull())
				return
			}
			require.NoError(t, err)
			_, err = r.ToAny()
			assert.ErrorIs(t, err, ErrMalformed)
			assert.Contains(t, r.String(), "<error: ")
			if c.at == "vector" {
				_, err = r.Vector()
			} else {
				_, err = r.Map()
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrMalformed)
			assert.False(t, errors.Is(err, ErrType))
			assert.Contains(t, err.Error(), c.msg)
			assert.True(t, strings.HasPrefix(err.Error(), "flexbuffers: "), err.Error())
		})
	}
}

func TestString(t *testing.T) {
	buf, err := Marshal(map[string]any{
		"b": []byte{0, 'a', 0xff}, "f": []float64{0.1, 10}, "n": nil, "s": "q\"\\\n\t\x01é\xff",
		"v": []any{int64(-1), uint64(2), true, float32(0.6), math.Inf(1), math.Inf(-1), math.NaN()},
		"e": map[string]any{}, "x": []any{},
	})
	require.NoError(t, err)
	assert.Equal(t, `{"b": "\u0000a\xff", "e": {}, "f": [0.1, 10.0], "n": null, `+
		`"s": "q\"\\\n\t\u0001é\xff", "v": [-1, 2, true, 0.6, Infinity, -Infinity, NaN], "x": []}`,
		root(t, buf).String())
	assert.Equal(t, `"root"`, root(t, mustHex(t, cppGolden["key_root"])).String())
	assert.Equal(t, `1e+300`, root(t, mustHex(t, cppGolden["double_1e300"])).String())
}

// TestAllocations pins the allocation-free read path: only Root allocates
// (one small header shared by every Reference into the buffer).
func TestAllocations(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		r, err := Root(ssdOptions)
		if err != nil {
			t.Fatal(err)
		}
		m, err := r.Map()
		if err != nil {
			t.Fatal(err)
		}
		v, ok := m.Get("nms_iou_threshold")
		if !ok || v.Float() == 0 {
			t.Fatal("missing")
		}
		for _, e := range m.Values().All() {
			_ = e.Int()
		}
		_ = m.Keys().At(3).StringBytes()
	})
	assert.Equal(t, 1.0, allocs)
}

func BenchmarkSSDOptionsGet(b *testing.B) {
	r, err := Root(ssdOptions)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		m, _ := r.Map()
		v, _ := m.Get("max_detections")
		if v.Int() != 20 {
			b.Fatal("wrong value")
		}
	}
}

func BenchmarkSSDOptionsToAny(b *testing.B) {
	r, err := Root(ssdOptions)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.ToAny(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBudgetAllowsRealData decodes large but ordinary data: thousands of
// records sharing keys, long strings and wide typed vectors all stay far
// inside the decode budget.
func TestBudgetAllowsRealData(t *testing.T) {
	recs := make([]any, 5000)
	for i := range recs {
		recs[i] = map[string]any{
			"identifier_of_record": i, "a_rather_long_key_name": "v", "flag": i%2 == 0,
			"scores": []float32{0.5, 0.25}, "k5": nil, "k6": 1, "k7": 2, "k8": 3, "k9": 4, "k10": 5,
		}
	}
	v := map[string]any{"records": recs, "text": strings.Repeat("t", 100000), "ids": make([]uint8, 100000)}
	buf, err := Marshal(v)
	require.NoError(t, err)
	got, err := root(t, buf).ToAny()
	require.NoError(t, err)
	assert.Len(t, got.(map[string]any)["records"], 5000)
	assert.NotContains(t, root(t, buf).String(), "<error")
}
