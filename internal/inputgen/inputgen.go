// Package inputgen generates model inputs exactly as the tflite-oracle
// (../shared/tools/tflite-oracle/oracle.js) does, so that Edgelite's tools
// and TensorFlow Lite see the same bytes for the same seed.
//
// Input i of a model uses a splitmix32 stream seeded with seed+i (mod 2^32).
// With u the next uint32 of the stream:
//
//	float32, float64  lo + (hi-lo)*u/2^32 in Options.Range (default [-1,1)),
//	                  computed in float64 and rounded to the tensor's type
//	int8              (u & 255) - 128
//	uint8             u & 255
//	bool              u & 1
//	int16, int32,     lo + floor((hi-lo+1)*u/2^32) in Options.IntRange
//	uint32            (default 0..99), computed in float64 and wrapped to the
//	                  type as JavaScript's typed arrays do
//
// The oracle refuses int64, uint64, uint16 and float16 inputs; this package
// extends the same rules to them (the integer rule for the integers, the
// float rule rounded through float32 for float16) so that Edgelite's tools
// can still run such models. STRING and other types cannot be generated.
package inputgen

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/edgelite/edgelite/interpreter/core"
)

// SplitMix32 is the oracle's PRNG:
//
//	a += 0x9e3779b9; t = a ^ a>>16; t *= 0x21f0aaad; t ^= t>>15;
//	t *= 0x735a2d97; t ^= t>>15; return t   (all mod 2^32)
type SplitMix32 struct{ a uint32 }

// NewSplitMix32 returns a generator with the given seed.
func NewSplitMix32(seed uint32) *SplitMix32 { return &SplitMix32{a: seed} }

// Next returns the next uint32.
func (s *SplitMix32) Next() uint32 {
	s.a += 0x9e3779b9
	t := s.a ^ s.a>>16
	t *= 0x21f0aaad
	t ^= t >> 15
	t *= 0x735a2d97
	t ^= t >> 15
	return t
}

// Options are the generator's parameters (the oracle's --seed, --range and
// --int-range).
type Options struct {
	Seed     uint32
	Range    [2]float64 // floats: [lo, hi)
	IntRange [2]float64 // int16/int32/uint32...: [lo, hi], both inclusive
}

// DefaultOptions are the oracle's defaults: seed 1234, floats in [-1,1),
// integers in 0..99.
func DefaultOptions() Options {
	return Options{Seed: 1234, Range: [2]float64{-1, 1}, IntRange: [2]float64{0, 99}}
}

// SeedFor is the seed of input i: Seed+i mod 2^32.
func (o Options) SeedFor(i int) uint32 { return o.Seed + uint32(i) }

// RangeFor describes the range used for a type in the oracle's meta.json
// form: [lo, hi] for floats and the wider integers, "full" for int8, uint8
// and bool.
func (o Options) RangeFor(t core.TensorType) any {
	switch t {
	case core.Float32, core.Float64, core.Float16:
		return []float64{o.Range[0], o.Range[1]}
	case core.Int8, core.Uint8, core.Bool:
		return "full"
	}
	return []float64{o.IntRange[0], o.IntRange[1]}
}

// Supported reports whether inputs of type t can be generated.
func Supported(t core.TensorType) bool {
	switch t {
	case core.Float32, core.Float64, core.Float16, core.Int8, core.Uint8, core.Bool,
		core.Int16, core.Uint16, core.Int32, core.Uint32, core.Int64, core.Uint64:
		return true
	}
	return false
}

// Generate returns n elements of type t, little-endian, for an input whose
// stream is seeded with seed (use Options.SeedFor).
func Generate(t core.TensorType, n int, seed uint32, o Options) ([]byte, error) {
	if !Supported(t) {
		return nil, fmt.Errorf("cannot generate %s input data", t)
	}
	es := t.ElementSize()
	out := make([]byte, n*es)
	rnd := NewSplitMix32(seed)
	u := func() float64 { return float64(rnd.Next()) / 4294967296 }
	le := binary.LittleEndian
	switch t {
	case core.Float32, core.Float64, core.Float16:
		lo, hi := o.Range[0], o.Range[1]
		for i := range n {
			// The explicit conversion keeps the compiler from fusing the
			// multiply and add (FMA), which JavaScript never does.
			v := lo + float64((hi-lo)*u())
			switch t {
			case core.Float32:
				le.PutUint32(out[4*i:], math.Float32bits(float32(v)))
			case core.Float64:
				le.PutUint64(out[8*i:], math.Float64bits(v))
			default:
				le.PutUint16(out[2*i:], core.Float32ToFloat16(float32(v)))
			}
		}
	case core.Int8:
		for i := range n {
			out[i] = byte(int8(int32(rnd.Next()&0xff) - 128))
		}
	case core.Uint8:
		for i := range n {
			out[i] = byte(rnd.Next() & 0xff)
		}
	case core.Bool:
		for i := range n {
			out[i] = byte(rnd.Next() & 1)
		}
	default:
		lo, hi := o.IntRange[0], o.IntRange[1]
		for i := range n {
			v := lo + math.Floor((hi-lo+1)*u())
			switch t {
			case core.Int16, core.Uint16:
				le.PutUint16(out[2*i:], uint16(toUint32(v)))
			case core.Int32, core.Uint32:
				le.PutUint32(out[4*i:], toUint32(v))
			case core.Int64:
				le.PutUint64(out[8*i:], uint64(toInt64(v)))
			case core.Uint64:
				le.PutUint64(out[8*i:], uint64(toInt64(v)))
			}
		}
	}
	return out, nil
}

// toUint32 is JavaScript's ToUint32 (what storing a Number into an
// Int32Array, Uint32Array or, keeping the low 16 bits, Int16Array does):
// truncate toward zero, then wrap modulo 2^32; NaN and infinities give 0.
func toUint32(v float64) uint32 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	m := math.Mod(math.Trunc(v), 4294967296)
	if m < 0 {
		m += 4294967296
	}
	return uint32(m)
}

// toInt64 truncates toward zero, saturating at the int64 range.
func toInt64(v float64) int64 {
	switch {
	case math.IsNaN(v):
		return 0
	case v >= math.MaxInt64:
		return math.MaxInt64
	case v <= math.MinInt64:
		return math.MinInt64
	}
	return int64(v)
}
