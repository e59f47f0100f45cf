package kernels

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fixed-point sigmoid and tanh follow the real functions over the
// whole int16 input range to within gemmlowp's 16-bit precision (about
// 2e-4 for the sigmoid, 4e-4 for tanh); their bits are checked against
// TFLite by the ql_lstm_ conformance cases.
func TestQLSTMLogisticTanhAccuracy(t *testing.T) {
	worst := 0.0
	for v := math.MinInt16; v <= math.MaxInt16; v++ {
		x := float64(v) / 4096 // Q3.12
		got := float64(qlstmLogistic16(int16(v)))
		want := 32768 / (1 + math.Exp(-x))
		worst = max(worst, math.Abs(got-want))
	}
	assert.LessOrEqual(t, worst, 8.0, "sigmoid worst error in Q0.15 units")
	for bits := 0; bits <= 6; bits++ {
		worst := 0.0
		for v := math.MinInt16; v <= math.MaxInt16; v++ {
			x := float64(v) / float64(int(1)<<(15-bits))
			got := float64(qlstmTanh16(int16(v), bits))
			want := math.Max(math.Min(32768*math.Tanh(x), 32767), -32768)
			worst = max(worst, math.Abs(got-want))
		}
		assert.LessOrEqual(t, worst, 14.0, "tanh Q%d worst error in Q0.15 units", bits)
	}
}

func TestQLSTMActivationEdges(t *testing.T) {
	assert.Equal(t, int16(16384), qlstmLogistic16(0), "sigmoid(0) = 1/2")
	assert.Equal(t, int16(0), qlstmTanh16(0, 3))
	// Inputs at the int16 limits (-8 and ~8 in Q3.12): sigmoid is near
	// 0 and 1, tanh saturates; the most negative input must not wrap to
	// the other side.
	assert.InDelta(t, 32768/(1+math.Exp(8)), float64(qlstmLogistic16(math.MinInt16)), 2)
	assert.InDelta(t, 32768/(1+math.Exp(-8)), float64(qlstmLogistic16(math.MaxInt16)), 2)
	assert.InDelta(t, -32768, float64(qlstmTanh16(math.MinInt16, 3)), 2)
	assert.InDelta(t, 32767, float64(qlstmTanh16(math.MaxInt16, 3)), 2)
	// Odd and complementary symmetry.
	for _, v := range []int16{1, 77, 4096, 20000, 32767} {
		assert.Equal(t, -qlstmTanh16(v, 4), qlstmTanh16(-v, 4), "tanh(-%d)", v)
		assert.Equal(t, int16(32767), qlstmLogistic16(v)+qlstmLogistic16(-v), "sigmoid(%d)+sigmoid(-%d)", v, v)
	}
}

// The gate product saturates at the int16 limits and adds what the gate
// already holds.
func TestQLSTMMatMulAccSaturates(t *testing.T) {
	m, s := quantizeMultiplier(1) // x1
	out := []int16{100, -100, 32000}
	x := []int8{2, -3}
	w := []int8{10, 10, 127, 127, -127, -127}
	bias := []int32{5, 40000, -1000}
	qlstmMatMulAcc16(x, bias, w, m, s, 1, 2, 3, out)
	// rows: 5 + 20 - 30 + 100 = 95; 40000 + 254 - 381 - 100 -> 32767;
	// -1000 - 254 + 381 + 32000 = 31127.
	assert.Equal(t, []int16{95, 32767, 31127}, out)
	out = []int16{-32768}
	qlstmMatMulAcc16([]int8{-127}, []int32{-100}, []int8{127}, m, s, 1, 1, 1, out)
	assert.Equal(t, []int16{-32768}, out)
}

func TestQLSTMLayerNorm(t *testing.T) {
	// Coefficients 1.0 (1024 at scale 2^-10), zero bias: the output is the
	// normalized row in Q3.12.
	m, s := quantizeMultiplier(1.0 / 1024)
	g := []int16{-2 * 4096, -1 * 4096, 1 * 4096, 2 * 4096}
	w := []int16{1024, 1024, 1024, 1024}
	qlstmLayerNorm(g, w, []int32{0, 0, 0, 0}, m, s, 1, 1, 4)
	sd := math.Sqrt((4 + 1 + 1 + 4) / 4.0)
	for i, v := range []float64{-2, -1, 1, 2} {
		assert.InDelta(t, 4096*v/sd, float64(g[i]), 3, "element %d", i)
	}
	// A constant row has no variance: the guard stands in, the
	// normalized values are 0 and only the bias remains (100.5 in units
	// of 2^-10 coefficient scale, truncated after the +512 rounding).
	g = []int16{500, 500, 500, 500}
	m, s = quantizeMultiplier(1.0 / 4096)
	qlstmLayerNorm(g, w, []int32{102400, -102400, 0, 1 << 20}, m, s, 7, 1, 4)
	assert.Equal(t, []int16{100, -100, 0, 1024}, g)
}

func TestQLSTMFixedPrimitives(t *testing.T) {
	assert.Equal(t, int16(math.MaxInt16), qlstmMul16(math.MinInt16, math.MinInt16))
	assert.Equal(t, int16(8192), qlstmMul16(16384, 16384)) // 0.5*0.5
	assert.Equal(t, int16(-8192), qlstmMul16(-16384, 16384))
	assert.Equal(t, int16(math.MaxInt16), qlstmMulPOT16(10000, 2))
	assert.Equal(t, int16(math.MinInt16), qlstmMulPOT16(-10000, 2))
	assert.Equal(t, int16(8188), qlstmMulPOT16(2047, 2))
	assert.Equal(t, int16(-3), qlstmMulPOT16(-10, -2)) // -2.5 rounds away
	assert.Equal(t, int16(3), qlstmMulPOT16(10, -2))
	assert.Equal(t, int16(16384), qlstmHalfSum16(1, 32767))
	assert.Equal(t, int16(28918), qlstmConst16(1895147668))
	// exp(-x) for x in (0, 8) in Q3.12, to a few units.
	for _, x := range []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 7.9} {
		got := qlstmExpNeg16(int16(-math.Round(x*4096)), 3)
		require.InDelta(t, 32768*math.Exp(-x), float64(got), 3, "exp(-%g)", x)
	}
}
