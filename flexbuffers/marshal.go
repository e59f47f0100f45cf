package flexbuffers

import (
	"cmp"
	"maps"
	"reflect"
	"slices"
)

// Marshal encodes v as a FlexBuffer; see [Builder.Add] for the Go values
// it accepts. Map keys are written in sorted order, so the output is
// deterministic.
func Marshal(v any) ([]byte, error) {
	var b Builder
	b.Add(v)
	return b.Finish()
}

// Add pushes a Go value:
//
//   - nil as Null, bool as Bool
//   - signed integers as Int, unsigned integers as UInt
//   - float32 as Float32, float64 as Float (4 bytes when exact, else 8)
//   - string as String, []byte as Blob
//   - []int, []int8 ... []int64, []uint, []uint16 ... []uint64, []float32,
//     []float64 and []bool as typed vectors
//   - other slices and arrays ([]any, []string, ...) as untyped vectors
//   - maps with string keys (map[string]any, ...) as maps
//   - pointers and interfaces as the value they point to, nil as Null
//
// Values of other kinds (structs, channels, ...) and nesting deeper than
// [MaxDepth] record an error.
func (b *Builder) Add(v any) { b.add(v, 0) }

func (b *Builder) add(v any, depth int) {
	if !b.usable() {
		return
	}
	switch x := v.(type) {
	case nil:
		b.Null()
	case bool:
		b.Bool(x)
	case int:
		b.Int(int64(x))
	case int8:
		b.Int(int64(x))
	case int16:
		b.Int(int64(x))
	case int32:
		b.Int(int64(x))
	case int64:
		b.Int(x)
	case uint:
		b.UInt(uint64(x))
	case uint8:
		b.UInt(uint64(x))
	case uint16:
		b.UInt(uint64(x))
	case uint32:
		b.UInt(uint64(x))
	case uint64:
		b.UInt(x)
	case float32:
		b.Float32(x)
	case float64:
		b.Float(x)
	case string:
		b.String(x)
	case []byte:
		b.Blob(x)
	case []any:
		if b.enter(depth) {
			b.StartVector()
			for _, e := range x {
				b.add(e, depth+1)
			}
			b.EndVector()
		}
	case map[string]any:
		if b.enter(depth) {
			b.StartMap()
			for _, k := range slices.Sorted(maps.Keys(x)) {
				b.Key(k)
				b.add(x[k], depth+1)
			}
			b.EndMap()
		}
	case []int64:
		if b.enter(depth) {
			b.IntVector(x)
		}
	case []uint64:
		if b.enter(depth) {
			b.UIntVector(x)
		}
	case []float64:
		if b.enter(depth) {
			b.FloatVector(x)
		}
	case []float32:
		if b.enter(depth) {
			b.Float32Vector(x)
		}
	case []bool:
		if b.enter(depth) {
			b.BoolVector(x)
		}
	default:
		b.addReflect(reflect.ValueOf(v), depth)
	}
}

// enter records an error if a container at depth would nest too deep for
// readers (and stops cyclic values).
func (b *Builder) enter(depth int) bool {
	if depth >= MaxDepth {
		b.fail("value nests deeper than %d vectors and maps: %w", MaxDepth, ErrLimit)
		return false
	}
	return true
}

func (b *Builder) addReflect(rv reflect.Value, depth int) {
	switch rv.Kind() {
	case reflect.Bool:
		b.Bool(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.Int(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		b.UInt(rv.Uint())
	case reflect.Float32:
		b.Float32(float32(rv.Float()))
	case reflect.Float64:
		b.Float(rv.Float())
	case reflect.String:
		b.String(rv.String())
	case reflect.Interface:
		if rv.IsNil() {
			b.Null()
		} else {
			b.addReflect(rv.Elem(), depth)
		}
	case reflect.Pointer:
		switch {
		case rv.IsNil():
			b.Null()
		case rv.Type().Elem().Kind() != reflect.Pointer && rv.Type().Elem().Kind() != reflect.Interface:
			b.addReflect(rv.Elem(), depth) // containers count their own depth
		case b.enter(depth): // chains of pointers can be cycles: count them
			b.addReflect(rv.Elem(), depth+1)
		}
	case reflect.Slice, reflect.Array:
		if !b.enter(depth) {
			return
		}
		et := rv.Type().Elem()
		switch {
		case et.Kind() == reflect.Uint8 && rv.Kind() == reflect.Slice:
			b.Blob(rv.Bytes())
			return
		case isIntKind(et.Kind()), isUintKind(et.Kind()), et.Kind() == reflect.Float32,
			et.Kind() == reflect.Float64, et.Kind() == reflect.Bool:
			// Homogeneous scalars make a typed vector, as the fast paths do.
			b.StartVector()
			for i := 0; i < rv.Len(); i++ {
				b.addReflect(rv.Index(i), depth+1)
			}
			b.endVector(true, false, scalarType(et.Kind()))
			return
		}
		b.StartVector()
		for i := 0; i < rv.Len(); i++ {
			b.addReflect(rv.Index(i), depth+1)
		}
		b.EndVector()
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			b.fail("cannot encode %v: map keys must be strings", rv.Type())
			return
		}
		if !b.enter(depth) {
			return
		}
		keys := rv.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.String(), b.String()) })
		b.StartMap()
		for _, k := range keys {
			b.Key(k.String())
			b.addReflect(rv.MapIndex(k), depth+1)
		}
		b.EndMap()
	case reflect.Invalid:
		b.Null()
	default:
		b.fail("cannot encode a value of type %v", rv.Type())
	}
}

func isIntKind(k reflect.Kind) bool { return k >= reflect.Int && k <= reflect.Int64 }

func isUintKind(k reflect.Kind) bool { return k >= reflect.Uint && k <= reflect.Uintptr }

func scalarType(k reflect.Kind) Type {
	switch {
	case isIntKind(k):
		return TypeInt
	case isUintKind(k):
		return TypeUInt
	case k == reflect.Bool:
		return TypeBool
	}
	return TypeFloat
}
