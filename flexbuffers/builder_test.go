package flexbuffers

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuilderErrors(t *testing.T) {
	cases := []struct {
		name string
		f    func(b *Builder)
		msg  string
	}{
		{"no root", func(b *Builder) {}, "exactly one root value, have 0"},
		{"two roots", func(b *Builder) { b.Int(1); b.Int(2) }, "exactly one root value, have 2"},
		{"open vector", func(b *Builder) { b.StartVector(); b.Int(1) }, "1 vector(s) or map(s) still open"},
		{"end without start", func(b *Builder) { b.EndVector() }, "EndVector without a matching start"},
		{"EndMap closes vector", func(b *Builder) { b.StartVector(); b.EndMap() }, "EndMap closes a StartVector"},
		{"EndVector closes map", func(b *Builder) { b.StartMap(); b.EndVector() }, "EndVector closes a StartMap"},
		{"key with NUL", func(b *Builder) { b.Key("a\x00b") }, `key "a\x00b" contains NUL at byte 1`},
		{"value without key", func(b *Builder) { b.StartMap(); b.Int(1); b.EndMap() }, "a Key must precede each value"},
		{"non-key in key position", func(b *Builder) {
			b.StartMap()
			b.String("k")
			b.Int(1)
			b.EndMap()
		}, "map entry 0: expected a Key, got String"},
		{"duplicate key", func(b *Builder) {
			b.StartMap()
			b.Key("b")
			b.Int(1)
			b.Key("a")
			b.Int(2)
			b.Key("b")
			b.Int(3)
			b.EndMap()
		}, `duplicate map key "b"`},
		{"mixed typed vector", func(b *Builder) {
			b.StartVector()
			b.Int(1)
			b.UInt(2)
			b.EndTypedVector()
		}, "typed vector mixes Int and UInt"},
		{"typed strings", func(b *Builder) {
			b.StartVector()
			b.String("a")
			b.EndTypedVector()
		}, "typed vector of String elements"},
		{"fixed of 5", func(b *Builder) {
			b.StartVector()
			for range 5 {
				b.Int(1)
			}
			b.EndFixedTypedVector()
		}, "fixed typed vector of 5 elements"},
		{"fixed of keys", func(b *Builder) {
			b.StartVector()
			b.Key("a")
			b.Key("b")
			b.EndFixedTypedVector()
		}, "fixed typed vector of Key elements"},
		{"first error wins", func(b *Builder) {
			b.EndMap()
			b.Key("\x00")
		}, "EndMap without a matching start"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b Builder
			c.f(&b)
			out, err := b.Finish()
			require.Error(t, err)
			assert.Nil(t, out)
			assert.Contains(t, err.Error(), c.msg)
			assert.Equal(t, err, b.Err())
		})
	}
}

func TestBuilderFinishAndReset(t *testing.T) {
	b := NewBuilder()
	b.Int(1)
	first, err := b.Finish()
	require.NoError(t, err)
	again, err := b.Finish()
	require.NoError(t, err)
	assert.Equal(t, first, again, "Finish is idempotent")

	b.Int(2)
	_, err = b.Finish()
	assert.ErrorContains(t, err, "used after Finish without Reset")

	b.Reset()
	assert.NoError(t, b.Err())
	b.StartMap()
	b.Key("k")
	b.String("v")
	b.EndMap()
	second, err := b.Finish()
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 4, 1}, first, "Reset does not reuse a returned buffer")
	assert.Equal(t, map[string]any{"k": "v"}, decode(t, second))
}

func TestBuilderSortsAndSharesKeys(t *testing.T) {
	buf := build(t, func(b *Builder) {
		b.StartVector()
		for range 3 {
			b.StartMap()
			for _, k := range []string{"zeta", "alpha", "mid", "Alpha", "al"} {
				b.Key(k)
				b.Int(int64(len(k)))
			}
			b.EndMap()
		}
		b.EndVector()
	})
	assert.Equal(t, 1, bytes.Count(buf, []byte("zeta\x00")), "keys are written once")
	v, err := root(t, buf).Vector()
	require.NoError(t, err)
	for _, e := range v.All() {
		m, err := e.Map()
		require.NoError(t, err)
		var keys []string
		for k, val := range m.All() {
			keys = append(keys, k)
			assert.Equal(t, int64(len(k)), val.Int())
		}
		assert.Equal(t, []string{"Alpha", "al", "alpha", "mid", "zeta"}, keys)
	}
}

// TestBuilderWideOffsets places small values after large payloads so that
// offsets, not values, decide the vector's width.
func TestBuilderWideOffsets(t *testing.T) {
	for _, n := range []int{200, 300, 70000} {
		payload := bytes.Repeat([]byte{7}, n)
		buf := build(t, func(b *Builder) {
			b.StartMap()
			b.Key("blob")
			b.Blob(payload)
			b.Key("s")
			b.String("x")
			b.Key("i")
			b.IndirectFloat(math.E)
			b.Key("v")
			b.IntVector([]int64{1, 2})
			b.EndMap()
		})
		assert.Equal(t, map[string]any{
			"blob": payload, "s": "x", "i": math.E, "v": []any{int64(1), int64(2)},
		}, decode(t, buf), "payload %d", n)
	}
}

func TestBuilderTypedEmpty(t *testing.T) {
	for _, c := range []struct {
		push func(b *Builder)
		typ  Type
	}{
		{func(b *Builder) { b.IntVector(nil) }, TypeVectorInt},
		{func(b *Builder) { b.UIntVector(nil) }, TypeVectorUInt},
		{func(b *Builder) { b.FloatVector(nil) }, TypeVectorFloat},
		{func(b *Builder) { b.Float32Vector(nil) }, TypeVectorFloat},
		{func(b *Builder) { b.BoolVector(nil) }, TypeVectorBool},
	} {
		r := root(t, build(t, c.push))
		assert.Equal(t, c.typ, r.Type())
		v, err := r.Vector()
		require.NoError(t, err)
		assert.Equal(t, 0, v.Len())
	}
}

type namedMap map[string]int
type namedSlice []string
type myInt int8

func TestMarshal(t *testing.T) {
	x := 5
	px := &x
	var nilPtr *int
	cases := []struct {
		name string
		in   any
		want any
		typ  Type
	}{
		{"nil", nil, nil, TypeNull},
		{"int", 7, int64(7), TypeInt},
		{"int8", int8(-7), int64(-7), TypeInt},
		{"int16", int16(-300), int64(-300), TypeInt},
		{"int32", int32(1 << 20), int64(1 << 20), TypeInt},
		{"uint", uint(7), uint64(7), TypeUInt},
		{"uint8", uint8(200), uint64(200), TypeUInt},
		{"uint16", uint16(60000), uint64(60000), TypeUInt},
		{"uint32", uint32(1 << 31), uint64(1 << 31), TypeUInt},
		{"float32", float32(0.1), float64(float32(0.1)), TypeFloat},
		{"bytes", []byte("ab"), []byte("ab"), TypeBlob},
		{"strings", []string{"a", "b"}, []any{"a", "b"}, TypeVector},
		{"ints", []int{1, -1}, []any{int64(1), int64(-1)}, TypeVectorInt},
		{"int32s", []int32{1, -1}, []any{int64(1), int64(-1)}, TypeVectorInt},
		{"uint16s", []uint16{1, 65535}, []any{uint64(1), uint64(65535)}, TypeVectorUInt},
		{"uint64s", []uint64{1}, []any{uint64(1)}, TypeVectorUInt},
		{"int64s", []int64{1}, []any{int64(1)}, TypeVectorInt},
		{"float64s", []float64{0.5}, []any{0.5}, TypeVectorFloat},
		{"float32s", []float32{0.5}, []any{0.5}, TypeVectorFloat},
		{"bools", []bool{true}, []any{true}, TypeVectorBool},
		{"array", [2]int{3, 4}, []any{int64(3), int64(4)}, TypeVectorInt},
		{"named map", namedMap{"b": 2, "a": 1}, map[string]any{"a": int64(1), "b": int64(2)}, TypeMap},
		{"named slice", namedSlice{"x"}, []any{"x"}, TypeVector},
		{"named int", myInt(-3), int64(-3), TypeInt},
		{"pointer", px, int64(5), TypeInt},
		{"pointer to pointer", &px, int64(5), TypeInt},
		{"nil pointer", nilPtr, nil, TypeNull},
		{"map of slices", map[string][]any{"k": {1, "s"}}, map[string]any{"k": []any{int64(1), "s"}}, TypeMap},
		{"nil []any", []any(nil), []any{}, TypeVector},
		{"nil map", map[string]any(nil), map[string]any{}, TypeMap},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			buf, err := Marshal(c.in)
			require.NoError(t, err)
			r := root(t, buf)
			assert.Equal(t, c.typ, r.Type())
			got, err := r.ToAny()
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestMarshalErrors(t *testing.T) {
	cyclic := []any{nil}
	cyclic[0] = cyclic
	type pp *pp
	var p pp
	p = &p
	for name, in := range map[string]any{
		"struct":     struct{ A int }{1},
		"int keys":   map[int]any{1: 2},
		"chan":       make(chan int),
		"nested bad": map[string]any{"a": []any{func() {}}},
		"cyclic":     cyclic,
		"ptr cycle":  p,
		"key NUL":    map[string]any{"a\x00": 1},
	} {
		_, err := Marshal(in)
		assert.Error(t, err, name)
	}
	_, err := Marshal(cyclic)
	assert.ErrorIs(t, err, ErrLimit)
}

func TestMarshalDeterministic(t *testing.T) {
	v := map[string]any{}
	for _, k := range []string{"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"} {
		v[k] = map[string]any{k + "1": k, k + "2": []any{k}}
	}
	first, err := Marshal(v)
	require.NoError(t, err)
	for range 20 {
		again, err := Marshal(v)
		require.NoError(t, err)
		require.Equal(t, first, again)
	}
}

func TestAddInsideMap(t *testing.T) {
	var b Builder
	b.StartMap()
	b.Key("list")
	b.Add([]any{1, "two", 3.0})
	b.Key("n")
	b.Add(uint8(9))
	b.EndMap()
	out, err := b.Finish()
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"list": []any{int64(1), "two", 3.0}, "n": uint64(9)}, decode(t, out))
}
