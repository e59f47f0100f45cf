package kernels

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The fixed-point inverse square root must stay within a few parts in 1e6
// of 1/sqrt(x) over the whole int32 range it sees (sums of squares).
func TestEwInvSqrtMultiplierExp(t *testing.T) {
	for _, x := range []int32{0, 1} {
		m, s := ewInvSqrtMultiplierExp(x)
		assert.Equal(t, int32(math.MaxInt32), m)
		assert.Equal(t, 0, s)
	}
	for x := int32(2); x > 0 && x < math.MaxInt32/3; x = x*3 + 1 {
		m, s := ewInvSqrtMultiplierExp(x)
		assert.LessOrEqual(t, s, 0, "x=%d", x)
		got := float64(m) / (1 << 31) * math.Pow(2, float64(s))
		want := 1 / math.Sqrt(float64(x))
		assert.InEpsilon(t, want, got, 2e-6, "x=%d", x)
	}
}

func TestEwInt16FixedPoint(t *testing.T) {
	assert.Equal(t, int16(math.MaxInt16), ewSRDHM16(math.MinInt16, math.MinInt16))
	assert.Equal(t, int16(math.MaxInt16), ewSDHM16(math.MinInt16, math.MinInt16))
	// Rounding: 3*16384*2/65536 = 1.5 rounds up; the truncating form
	// rounds toward zero.
	assert.Equal(t, int16(2), ewSRDHM16(3, 16384))
	assert.Equal(t, int16(1), ewSDHM16(3, 16384))
	assert.Equal(t, int16(-1), ewSRDHM16(-3, 16384))
	assert.Equal(t, int16(-1), ewSDHM16(-3, 16384))
	assert.Equal(t, int16(math.MaxInt16), ewSatLeftShift16(20000, 1))
	assert.Equal(t, int16(math.MinInt16), ewSatLeftShift16(-20000, 1))
	assert.Equal(t, int16(-8), ewSatLeftShift16(-4, 1))
	assert.Equal(t, int16(math.MaxInt16), ewDownScaleMultiplier(math.MaxInt32))
	assert.Equal(t, int16(1<<14), ewDownScaleMultiplier(1<<30))
}

func TestEwSatMulPOT(t *testing.T) {
	assert.Equal(t, int32(8), ewSatMulPOT(1, 3))
	assert.Equal(t, int32(math.MaxInt32), ewSatMulPOT(1<<28, 3))
	assert.Equal(t, int32(math.MinInt32), ewSatMulPOT(-(1<<28), 3))
	assert.Equal(t, int32((1<<28-1)<<3), ewSatMulPOT(1<<28-1, 3))
}

func TestEwCheckedLog2(t *testing.T) {
	for _, c := range []struct {
		x   float32
		l   int
		pot bool
	}{{1, 0, true}, {0.5, -1, true}, {1.0 / 32768, -15, true}, {1024, 10, true}, {0.001, -10, false}, {3, 2, false}} {
		l, pot := ewCheckedLog2(c.x)
		assert.Equal(t, c.pot, pot, "%g", c.x)
		if pot {
			assert.Equal(t, c.l, l, "%g", c.x)
		}
	}
}

// HARD_SWISH's table is monotone past its minimum and matches the float
// function to within a unit or two.
func TestEwHardSwishTable(t *testing.T) {
	for _, sc := range [][2]float32{{0.04, 0.023}, {0.002, 0.001}, {0.3, 0.1}} {
		h, err := ewNewHardSwish(sc[0], 3, sc[1], -5)
		if !assert.NoError(t, err) {
			continue
		}
		for x := int32(-128); x <= 127; x++ {
			r := float64(sc[0]) * float64(x-3)
			want := r * min(max(r+3, 0), 6) / 6 / float64(sc[1])
			got := float64(min(max(h.eval(x), -128), 127) + 5)
			if want > -133 && want < 122 {
				assert.InDelta(t, want, got, 2.01, "scales %v x=%d", sc, x)
			}
		}
	}
	_, err := ewNewHardSwish(1, 0, 0.001, 0)
	assert.Error(t, err, "a left-shifting output multiplier")
}
