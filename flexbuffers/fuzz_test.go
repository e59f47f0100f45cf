package flexbuffers

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// FuzzRoot feeds arbitrary bytes through Root, every accessor, ToAny and
// String. Nothing may panic or run away; every failure must be a reported
// ErrMalformed or ErrLimit; and whatever ToAny decodes must survive a
// Marshal round trip. The seed corpus in testdata/fuzz/FuzzRoot holds the
// C++ golden buffers, the SSD options, Builder outputs and hostile shapes.
func FuzzRoot(f *testing.F) {
	f.Add(ssdOptions)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Root(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) || !r.IsNull() {
				t.Fatalf("Root: %v (reference %#v)", err, r)
			}
			return
		}
		budget := 20000
		exercise(t, r, 0, &budget)
		_ = r.String()

		v, err := r.ToAny()
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrLimit) {
				t.Fatalf("ToAny: unexpected error %v", err)
			}
			return
		}
		buf, err := Marshal(v)
		if err != nil {
			t.Fatalf("Marshal of decoded %#v: %v", v, err)
		}
		r2, err := Root(buf)
		if err != nil {
			t.Fatalf("Root of re-encoded: %v", err)
		}
		v2, err := r2.ToAny()
		if err != nil {
			t.Fatalf("ToAny of re-encoded: %v", err)
		}
		if !equalAny(v, v2) {
			t.Fatalf("round trip changed the value:\n%#v\n%#v", v, v2)
		}
	})
}

// exercise calls every accessor on r and walks into containers, within a
// node budget so that shared offsets cannot stall the fuzzer.
func exercise(t *testing.T, r Reference, depth int, budget *int) {
	*budget--
	if *budget < 0 || depth > 8 {
		return
	}
	_ = r.Type().String()
	_ = r.IsNull() || r.IsBool() || r.IsInt() || r.IsUInt() || r.IsFloat() || r.IsNumeric() ||
		r.IsString() || r.IsKey() || r.IsBlob() || r.IsMap() || r.IsVector() || r.IsUntypedVector() ||
		r.IsTypedVector() || r.IsFixedTypedVector() || r.IsAnyVector()
	_, _, _, _ = r.Bool(), r.Int(), r.UInt(), r.Float()
	_, _, _, _ = r.StringBytes(), r.StringValue(), r.Key(), r.Blob()

	v, err := r.Vector()
	switch {
	case r.IsAnyVector() && err != nil && !errors.Is(err, ErrMalformed):
		t.Fatalf("Vector of %v: %v", r.Type(), err)
	case !r.IsAnyVector() && !errors.Is(err, ErrType):
		t.Fatalf("Vector of %v: want ErrType, got %v", r.Type(), err)
	}
	if err == nil {
		for i, e := range v.All() {
			if e.Type() != v.At(i).Type() {
				t.Fatalf("All and At disagree at %d", i)
			}
			exercise(t, e, depth+1, budget)
			if *budget < 0 {
				break
			}
		}
		_ = v.At(-1)
		_ = v.At(v.Len())
	}

	m, err := r.Map()
	if r.IsMap() && err != nil && !errors.Is(err, ErrMalformed) {
		t.Fatalf("Map: %v", err)
	}
	if err != nil {
		return
	}
	if m.Len() != m.Keys().Len() || m.Len() != m.Values().Len() {
		t.Fatalf("map lengths differ")
	}
	for k, val := range m.All() {
		if _, ok := m.Get(k); !ok {
			t.Fatalf("key %q listed but not found", k)
		}
		exercise(t, val, depth+1, budget)
		if *budget < 0 {
			break
		}
	}
	for _, k := range []string{"", "a", "max_detections", "\xff", "a\x00"} {
		_, _ = m.Get(k)
	}
}

// equalAny compares decoded values; NaN equals NaN.
func equalAny(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && (x == y || math.IsNaN(x) && math.IsNaN(y))
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalAny(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !equalAny(v, w) {
				return false
			}
		}
		return true
	}
	return a == b
}
