package flexbuffers

import (
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goldenCase pairs a buffer from testdata/cppgolden/gen.cc with its decoded
// value and, where the C++ side used only the generic Builder API, the same
// calls on the Go Builder, which must then produce identical bytes.
type goldenCase struct {
	name  string
	want  any
	build func(b *Builder) // nil: C++ used sizeof(T) scalar arrays; decode only
}

func goldenCases() []goldenCase {
	cs := []goldenCase{
		{"null", nil, func(b *Builder) { b.Null() }},
		{"bool_true", true, func(b *Builder) { b.Bool(true) }},
		{"bool_false", false, func(b *Builder) { b.Bool(false) }},
	}
	for _, v := range []int64{0, 1, -1, 127, 128, -128, -129, 32767, 32768, -32769,
		2147483647, 2147483648, -2147483649, math.MaxInt64, math.MinInt64} {
		cs = append(cs, goldenCase{fmt.Sprintf("int_%d", v), v, func(b *Builder) { b.Int(v) }})
	}
	for _, v := range []uint64{0, 255, 256, 65535, 65536, 4294967295, 4294967296, math.MaxUint64} {
		cs = append(cs, goldenCase{fmt.Sprintf("uint_%d", v), v, func(b *Builder) { b.UInt(v) }})
	}
	kv := func(b *Builder, k string, v int64) { b.Key(k); b.Int(v) }
	cs = append(cs, []goldenCase{
		{"float_0.5", 0.5, func(b *Builder) { b.Float32(0.5) }},
		{"float_0.6", float64(float32(0.6)), func(b *Builder) { b.Float32(0.6) }},
		{"double_0.1", 0.1, func(b *Builder) { b.Float(0.1) }},
		{"double_-2.5", -2.5, func(b *Builder) { b.Float(-2.5) }},
		{"double_1e300", 1e300, func(b *Builder) { b.Float(1e300) }},
		{"string_empty", "", func(b *Builder) { b.String("") }},
		{"string_hello", "hello", func(b *Builder) { b.String("hello") }},
		{"string_utf8", "héllo ✓", func(b *Builder) { b.String("héllo ✓") }},
		{"string_300", strings.Repeat("x", 300), func(b *Builder) { b.String(strings.Repeat("x", 300)) }},
		{"blob", []byte{0, 1, 2, 255}, func(b *Builder) { b.Blob([]byte{0, 1, 2, 255}) }},
		{"blob_empty", []byte{}, func(b *Builder) { b.Blob(nil) }},
		{"key_root", "root", func(b *Builder) { b.Key("root") }},
		{"indirect", []any{int64(-5), uint64(1 << 40), 1.5, 0.1, int64(1)}, func(b *Builder) {
			b.StartVector()
			b.IndirectInt(-5)
			b.IndirectUInt(1 << 40)
			b.IndirectFloat32(1.5)
			b.IndirectFloat(0.1)
			b.Int(1)
			b.EndVector()
		}},
		{"vector_empty", []any{}, func(b *Builder) { b.StartVector(); b.EndVector() }},
		{"vector_123", []any{int64(1), int64(2), int64(3)}, func(b *Builder) {
			b.StartVector()
			b.Int(1)
			b.Int(2)
			b.Int(3)
			b.EndVector()
		}},
		{"vector_mixed", []any{int64(1), int64(-300), "two", 3.5, true, nil, uint64(7),
			[]any{int64(1), int64(2)}, map[string]any{"a": int64(1)}, "k", 0.1}, func(b *Builder) {
			b.StartVector()
			b.Int(1)
			b.Int(-300)
			b.String("two")
			b.Float(3.5)
			b.Bool(true)
			b.Null()
			b.UInt(7)
			b.StartVector()
			b.Int(1)
			b.Int(2)
			b.EndVector()
			b.StartMap()
			kv(b, "a", 1)
			b.EndMap()
			b.Key("k")
			b.Float(0.1)
			b.EndVector()
		}},
		{"vector_300", seqAny(300, 1), func(b *Builder) {
			b.StartVector()
			for i := range 300 {
				b.Int(int64(i))
			}
			b.EndVector()
		}},
		{"vector_int64", []any{int64(1), int64(math.MinInt64)}, func(b *Builder) {
			b.StartVector()
			b.Int(1)
			b.Int(math.MinInt64)
			b.EndVector()
		}},
		{"vector_nested", nestedAny(1), func(b *Builder) {
			var nest func(d int64)
			nest = func(d int64) {
				b.StartVector()
				b.Int(d)
				if d < 10 {
					nest(d + 1)
				}
				b.EndVector()
			}
			nest(1)
		}},
		{"typed_int", []any{int64(1), int64(-2), int64(300)}, func(b *Builder) {
			b.StartVector()
			b.Int(1)
			b.Int(-2)
			b.Int(300)
			b.EndTypedVector()
		}},
		{"typed_uint", []any{uint64(1), uint64(70000)}, func(b *Builder) { b.UIntVector([]uint64{1, 70000}) }},
		{"typed_float", []any{1.5, 2.25}, func(b *Builder) {
			b.StartVector()
			b.Float32(1.5)
			b.Float(2.25)
			b.EndTypedVector()
		}},
		{"typed_double", []any{0.1, -1.0}, func(b *Builder) { b.FloatVector([]float64{0.1, -1}) }},
		{"typed_key", []any{"b", "a"}, func(b *Builder) {
			b.StartVector()
			b.Key("b")
			b.Key("a")
			b.EndTypedVector()
		}},
		{"typed_bool", []any{true, false, true}, func(b *Builder) { b.BoolVector([]bool{true, false, true}) }},
		{"typed_empty", []any{}, func(b *Builder) { b.StartVector(); b.EndTypedVector() }},
		{"scalar_vector_int16", []any{int64(-1), int64(2), int64(3000)}, nil},
		{"scalar_vector_double", []any{0.5, -0.25}, nil},
		{"scalar_vector_bool", []any{true, false}, nil},
		{"fixed_int2", []any{int64(-7), int64(8)}, nil},
		{"fixed_uint3", []any{uint64(1), uint64(2), uint64(255)}, nil},
		{"fixed_float4", []any{0.25, 0.5, 0.75, 1.0}, nil},
		{"fixed_double3", []any{0.1, 0.2, 0.3}, nil},
		{"map_empty", map[string]any{}, func(b *Builder) { b.StartMap(); b.EndMap() }},
		{"map_foo_bar", map[string]any{"foo": int64(13), "bar": int64(14)}, func(b *Builder) {
			b.StartMap()
			kv(b, "foo", 13)
			kv(b, "bar", 14)
			b.EndMap()
		}},
		{"map_monster", map[string]any{
			"coins":   []any{int64(5), int64(10), int64(25), int64(25), int64(25), int64(100)},
			"color":   []any{uint64(255), uint64(0), uint64(0), uint64(255)},
			"enraged": true,
			"hp":      int64(80),
			"mana":    uint64(200),
			"weapons": []any{"fist",
				map[string]any{"name": "great axe", "damage": int64(15)},
				map[string]any{"name": "hammer", "damage": int64(5)}},
			"nothing": nil,
			"ratio":   0.75,
			"nested": map[string]any{
				"f":      float64(float32(0.6)),
				"deeper": map[string]any{"s": "x"},
			},
		}, buildMonster},
		{"map_wide_string", map[string]any{"long": strings.Repeat("y", 400), "small": int64(1)}, func(b *Builder) {
			b.StartMap()
			b.Key("long")
			b.String(strings.Repeat("y", 400))
			kv(b, "small", 1)
			b.EndMap()
		}},
		{"map_300", map300(), func(b *Builder) {
			b.StartMap()
			for i := range 300 {
				kv(b, fmt.Sprintf("k%03d", i), int64(i)*1000)
			}
			b.EndMap()
		}},
		{"map_shared_keys", []any{
			map[string]any{"id": int64(0), "name": "n0"},
			map[string]any{"id": int64(1), "name": "n1"},
			map[string]any{"id": int64(2), "name": "n2"},
		}, func(b *Builder) {
			b.StartVector()
			for i := range 3 {
				b.StartMap()
				kv(b, "id", int64(i))
				b.Key("name")
				b.String(fmt.Sprintf("n%d", i))
				b.EndMap()
			}
			b.EndVector()
		}},
		{"map_unicode_keys", map[string]any{"é": int64(1), "z": int64(2), "A": int64(3), "_": int64(4)}, func(b *Builder) {
			b.StartMap()
			kv(b, "é", 1)
			kv(b, "z", 2)
			kv(b, "A", 3)
			kv(b, "_", 4)
			b.EndMap()
		}},
	}...)
	return cs
}

func buildMonster(b *Builder) {
	b.StartMap()
	b.Key("coins")
	b.StartVector()
	for _, c := range []int64{5, 10, 25, 25, 25, 100} {
		b.Int(c)
	}
	b.EndVector()
	b.Key("color")
	b.StartVector()
	for _, c := range []uint64{255, 0, 0, 255} {
		b.UInt(c)
	}
	b.EndTypedVector()
	b.Key("enraged")
	b.Bool(true)
	b.Key("hp")
	b.Int(80)
	b.Key("mana")
	b.UInt(200)
	b.Key("weapons")
	b.StartVector()
	b.String("fist")
	b.StartMap()
	b.Key("name")
	b.String("great axe")
	b.Key("damage")
	b.Int(15)
	b.EndMap()
	b.StartMap()
	b.Key("name")
	b.String("hammer")
	b.Key("damage")
	b.Int(5)
	b.EndMap()
	b.EndVector()
	b.Key("nothing")
	b.Null()
	b.Key("ratio")
	b.Float(0.75)
	b.Key("nested")
	b.StartMap()
	b.Key("f")
	b.Float32(0.6)
	b.Key("deeper")
	b.StartMap()
	b.Key("s")
	b.String("x")
	b.EndMap()
	b.EndMap()
	b.EndMap()
}

func seqAny(n int, step int64) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = int64(i) * step
	}
	return out
}

func nestedAny(d int64) []any {
	if d == 10 {
		return []any{d}
	}
	return []any{d, nestedAny(d + 1)}
}

func map300() map[string]any {
	m := make(map[string]any, 300)
	for i := range 300 {
		m[fmt.Sprintf("k%03d", i)] = int64(i) * 1000
	}
	return m
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// TestCppGolden decodes buffers written by the reference C++ Builder and
// checks that the Go Builder writes the very same bytes.
func TestCppGolden(t *testing.T) {
	cases := goldenCases()
	require.Len(t, cases, len(cppGolden), "every generated buffer has a case")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, ok := cppGolden[c.name]
			require.True(t, ok, "no golden buffer %q", c.name)
			buf := mustHex(t, h)
			root, err := Root(buf)
			require.NoError(t, err)
			got, err := root.ToAny()
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
			if c.build == nil {
				return
			}
			var b Builder
			c.build(&b)
			out, err := b.Finish()
			require.NoError(t, err)
			assert.Equal(t, h, hex.EncodeToString(out), "Go Builder bytes differ from C++")
		})
	}
}

func TestCppGoldenTypes(t *testing.T) {
	typeOf := func(name string) Type {
		r, err := Root(mustHex(t, cppGolden[name]))
		require.NoError(t, err)
		return r.Type()
	}
	for name, want := range map[string]Type{
		"null": TypeNull, "bool_true": TypeBool, "int_1": TypeInt, "uint_255": TypeUInt,
		"float_0.5": TypeFloat, "string_hello": TypeString, "blob": TypeBlob, "key_root": TypeKey,
		"vector_123": TypeVector, "typed_int": TypeVectorInt, "typed_uint": TypeVectorUInt,
		"typed_float": TypeVectorFloat, "typed_key": TypeVectorKey, "typed_bool": TypeVectorBool,
		"typed_empty": TypeVectorKey, "fixed_int2": TypeVectorInt2, "fixed_uint3": TypeVectorUInt3,
		"fixed_float4": TypeVectorFloat4, "fixed_double3": TypeVectorFloat3, "map_foo_bar": TypeMap,
		"scalar_vector_bool": TypeVectorBool,
	} {
		assert.Equal(t, want, typeOf(name), name)
	}
}

// TestDocExamples decodes the byte examples of the FlexBuffers section of
// the FlatBuffers "Internals" documentation (docs/source/Internals.md).
func TestDocExamples(t *testing.T) {
	// "the integer value 13 as root would be: uint8_t 13, 4, 1".
	r, err := Root([]byte{13, 4, 1})
	require.NoError(t, err)
	assert.Equal(t, TypeInt, r.Type())
	assert.Equal(t, int64(13), r.Int())

	// The vector [1, 2, 3]: "uint8_t 3, 1, 2, 3, 4, 4, 4", plus a root
	// (offset 6 back to the elements, type Vector/8-bit, width 1).
	r, err = Root([]byte{3, 1, 2, 3, 4, 4, 4, 6, byte(TypeVector) << 2, 1})
	require.NoError(t, err)
	got, err := r.ToAny()
	require.NoError(t, err)
	assert.Equal(t, []any{int64(1), int64(2), int64(3)}, got)

	// The map { foo: 13, bar: 14 } laid out by hand in the documentation,
	// plus a root (offset 4 back to the values, type Map/8-bit, width 1).
	doc := []byte{
		'b', 'a', 'r', 0,
		'f', 'o', 'o', 0,
		2,    // key vector of size 2
		9, 6, // offsets to bar_key and foo_key
		2, 1, // offset to key vector, and its byte width
		2,      // value vector of size
		14, 13, // values
		4, 4, // types
	}
	r, err = Root(append(doc, 4, byte(TypeMap)<<2, 1))
	require.NoError(t, err)
	m, err := r.Map()
	require.NoError(t, err)
	assert.Equal(t, 2, m.Len())
	assert.Equal(t, "bar", m.KeyAt(0))
	foo, ok := m.Get("foo")
	require.True(t, ok)
	assert.Equal(t, int64(13), foo.Int())
	bar, ok := m.Get("bar")
	require.True(t, ok)
	assert.Equal(t, int64(14), bar.Int())
	_, ok = m.Get("baz")
	assert.False(t, ok)
}
