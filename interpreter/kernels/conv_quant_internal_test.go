package kernels

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/schema/tflite"
)

func TestQconvActivationRange(t *testing.T) {
	for _, c := range []struct {
		act    tflite.ActivationFunctionType
		typ    core.TensorType
		scale  float32
		zp     int32
		lo, hi int32
	}{
		{tflite.ActivationFunctionTypeNONE, core.Uint8, 0.1, 7, 0, 255},
		{tflite.ActivationFunctionTypeTANH, core.Int8, 0.1, 7, -128, 127},
		{tflite.ActivationFunctionTypeRELU6, core.Uint8, 6.0 / 255, 0, 0, 255},
		{tflite.ActivationFunctionTypeRELU6, core.Int8, 0.05, -100, -100, 20},
		{tflite.ActivationFunctionTypeRELU, core.Int8, 0.05, -100, -100, 127},
		{tflite.ActivationFunctionTypeRELU_N1_TO_1, core.Int8, 0.5, -10, -12, -8},
		// 1/0.4 = 2.5 rounds away from zero: 3; -2.5 to -3.
		{tflite.ActivationFunctionTypeRELU_N1_TO_1, core.Int8, 0.4, 0, -3, 3},
		{tflite.ActivationFunctionTypeRELU6, core.Int16, 6.0 / 32767, 0, 0, 32767},
	} {
		lo, hi := qconvActivationRange(c.act, c.typ, c.scale, c.zp)
		assert.Equal(t, [2]int32{c.lo, c.hi}, [2]int32{lo, hi}, "%s %s scale %g zp %d", c.act, c.typ, c.scale, c.zp)
	}
}

func TestQconvMultiplyByQuantizedMultiplier64(t *testing.T) {
	half, _ := quantizeMultiplier(0.5) // 1<<30, shift 0
	assert.Equal(t, int32(1<<30), half)
	for _, c := range []struct {
		x     int64
		q     int32
		shift int
		want  int32
	}{
		{3, 1 << 30, 0, 2},   // 1.5 rounds up
		{-3, 1 << 30, 0, -1}, // -1.5 rounds up too (one rounding, half up)
		{-1, 1 << 30, 0, 0},
		{192382, 2147148160, -6, 3006}, // the 16-bit multiplier: exact 3005.4991
		{1 << 40, 1 << 30, -19, 1 << 20},
		{1 << 40, math.MaxInt32, -20, 32767 * 32}, // reduced to 0x7FFF
		{100, 0x7FFF0000, 1, 200},
		{-(1 << 46), 1 << 30, -31, -16384},
	} {
		assert.Equal(t, c.want, qconvMultiplyByQuantizedMultiplier64(c.x, c.q, c.shift), "%d * %d >> %d", c.x, c.q, c.shift)
	}
}

func TestQconvRequant(t *testing.T) {
	q, s := quantizeMultiplier(0.25)
	p := &qconvParams{mult: []int32{q}, shift: []int{s}, outOffset: 3, actMin: -128, actMax: 127}
	assert.Equal(t, int32(3+25), p.requant(100, 0))
	assert.Equal(t, int32(3-25), p.requant(-100, 0))
	assert.Equal(t, int32(3+1), p.requant(2, 0))    // 0.5 away from zero
	assert.Equal(t, int32(3-1), p.requant(-2, 0))   // -0.5 away from zero
	assert.Equal(t, int32(127), p.requant(1000, 0)) // clamped
	// The 8-bit kernels' accumulator is int32 and wraps as TFLite's does.
	// 2^31+4 wraps to -2^31+4.
	assert.Equal(t, p.requant(-(1<<31)+4, 0), p.requant(1<<31+4, 0))
	assert.Equal(t, int32(-128), p.requant(1<<31+4, 0))
	p.wide = true
	assert.Equal(t, int32(3+1), p.requant(2, 0))  // 0.5 rounds up
	assert.Equal(t, int32(3+0), p.requant(-2, 0)) // -0.5 rounds up
	assert.Equal(t, int32(127), p.requant(1<<30, 0))
}

func TestQconvHybridQuantize(t *testing.T) {
	q := make([]int8, 4)
	s := qconvSymmetricQuantize([]float32{0.5, -1.27, 0.005, 1}, q)
	assert.Equal(t, float32(1.27)/127, s)
	assert.Equal(t, []int8{50, -127, 1, 100}, q) // 0.5 rounds away from zero
	s = qconvSymmetricQuantize([]float32{0, 0, 0, 0}, q)
	assert.Equal(t, float32(1), s)
	assert.Equal(t, []int8{0, 0, 0, 0}, q)

	// [0, 2.55]: scale 0.01, zero point -128.
	s, off := qconvAsymmetricQuantize([]float32{0, 2.55, 1, 0.005}, q)
	assert.InDelta(t, 0.01, s, 1e-9)
	assert.Equal(t, int32(-128), off)
	assert.Equal(t, []int8{-128, 127, -28, -128 + 1}, q)
	// All negative: the range still includes 0 (zero point 127).
	_, off = qconvAsymmetricQuantize([]float32{-1, -2, -0.5, -0.1}, q)
	assert.Equal(t, int32(127), off)
	assert.Equal(t, int8(-128), q[1])
	s, off = qconvAsymmetricQuantize([]float32{0, 0, 0, 0}, q)
	assert.Equal(t, [2]float64{1, 0}, [2]float64{float64(s), float64(off)})
}

// TestRequantizationRoundingModes pins the three rounding rules TFLite's
// int8 kernels use at an exact tie: x = ±2 with multiplier 0.5 (Q31 2^30)
// and shift -1 is x/4 = ±0.5. The reference rounds half away from zero;
// the NEON/ruy rule (vqrdmulh, then vrshl) rounds half up.
func TestRequantizationRoundingModes(t *testing.T) {
	const half = int32(1) << 30
	for _, tc := range []struct {
		x               int32
		reference, neon int32
	}{
		{x: 2, reference: 1, neon: 1},
		{x: -2, reference: -1, neon: 0},
		{x: 6, reference: 2, neon: 2},    // 1.5
		{x: -6, reference: -2, neon: -1}, // -1.5
		{x: -5, reference: -1, neon: -1}, // -1.25
		// -1.75: the high multiply gives -3 (its negative ties round toward
		// zero), then -1.5 rounds to -2 or, half up, to -1.
		{x: -7, reference: -2, neon: -1},
	} {
		require.Equal(t, tc.reference, multiplyByQuantizedMultiplier(tc.x, half, -1), "reference, x=%d", tc.x)
		require.Equal(t, tc.neon, multiplyByQuantizedMultiplierNeon(tc.x, half, -1), "neon, x=%d", tc.x)
	}
	// No right shift: both are the doubling high multiply alone.
	require.Equal(t, multiplyByQuantizedMultiplier(-12345, 1518500250, 1), multiplyByQuantizedMultiplierNeon(-12345, 1518500250, 1))

	// DEPTHWISE_CONV_2D's output stage: whole blocks of 8 channels round
	// half up, the rest as the reference.
	p := &qconvParams{inType: core.Int8, mult: make([]int32, 12), shift: make([]int, 12), actMin: -128, actMax: 127}
	for c := range p.mult {
		p.mult[c], p.shift[c] = half, -1
	}
	p.setRounding(tflite.BuiltinOperatorDEPTHWISE_CONV_2D, 12)
	require.Equal(t, int32(0), p.requant(-2, 7), "channel 7 is in the first block of 8")
	require.Equal(t, int32(-1), p.requant(-2, 8), "channel 8 is a leftover channel")
	p.setRounding(tflite.BuiltinOperatorCONV_2D, 12)
	require.Equal(t, int32(0), p.requant(-2, 11), "CONV_2D rounds half up on every channel")
	u := &qconvParams{inType: core.Uint8, mult: p.mult, shift: p.shift, actMin: 0, actMax: 255, outOffset: 10}
	u.setRounding(tflite.BuiltinOperatorCONV_2D, 12)
	require.Equal(t, int32(9), u.requant(-2, 0), "uint8 (gemmlowp) keeps the reference rounding")
}
