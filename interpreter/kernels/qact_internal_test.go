package kernels

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
)

// The generated sigmoid table must be TFLite's sigmoid_table_uint16
// (kernels/internal/common.h): its sum, its FNV-1a hash and some entries as
// TFLite prints them, and every entry within 1.5 units of 65536*sigmoid(i/24).
func TestQactSigmoidTable(t *testing.T) {
	sum, h := 0, uint32(2166136261)
	for i, v := range qactSigmoidTable {
		sum += int(v)
		h = (h ^ uint32(v)) * 16777619
		want := min(65536/(1+math.Exp(-float64(i)/24)), 65535)
		// The table carries a bias of up to half the interpolation error.
		assert.InDelta(t, want, float64(v), 1.5, "entry %d", i)
	}
	assert.Equal(t, 15670629, sum)
	assert.Equal(t, uint32(2944828524), h)
	for i, want := range map[int]uint16{0: 32768, 1: 33451, 4: 35493, 28: 49975, 100: 64536, 200: 65520, 254: 65534, 255: 65535} {
		assert.Equal(t, want, qactSigmoidTable[i], "entry %d", i)
	}
}

// gemmlowp's int16 logistic and tanh on Q3.12 stay close to the real
// functions over every input (measured: at most 6.4 and 11.8 units of
// 2^-15), and hit their exact special values.
func TestQactFixedPointLogisticTanh(t *testing.T) {
	for x := -32768; x <= 32767; x++ {
		r := float64(x) / 4096
		l := float64(qactLogistic16(int16(x), 3))
		assert.InDelta(t, min(32768/(1+math.Exp(-r)), 32767), l, 8, "logistic %d", x)
		th := float64(qactTanh16(int16(x), 3))
		assert.InDelta(t, max(min(32768*math.Tanh(r), 32767), -32768), th, 16, "tanh %d", x)
	}
	assert.Equal(t, int16(16384), qactLogistic16(0, 3))
	assert.Equal(t, int16(0), qactTanh16(0, 3))
	assert.Equal(t, int16(32767), qactExpNeg16(0, 3))
	// exp(-1/4) in Q0.15 is 25520.
	assert.InDelta(t, 25520, float64(qactExpQuarter16(-1<<13)), 2)
}

func TestQactMulPOT16(t *testing.T) {
	assert.Equal(t, int16(32767), qactMulPOT16(20000, 1))
	assert.Equal(t, int16(-32768), qactMulPOT16(-20000, 1))
	assert.Equal(t, int16(-8), qactMulPOT16(-4, 1))
	assert.Equal(t, int16(3), qactMulPOT16(5, -1)) // 2.5 rounds away from zero
	assert.Equal(t, int16(-3), qactMulPOT16(-5, -1))
	assert.Equal(t, int16(-2), qactMulPOT16(-7, -2)) // -1.75
}

// The int16 LOGISTIC/TANH table path at a few inputs worked by hand.
func TestQactTableFunctions(t *testing.T) {
	// Input scale 2^-10 (not the gemmlowp scale): 2^-10*3*4096 = 12 doubled
	// 11 times gives multiplier 24576, shift 11: 1.0 becomes 12288 units
	// (2^17 stands for 10.7).
	a, err := qactPrepareAct16(false, qactTensor(t, core.Int16, 1.0/1024), qactTensor(t, core.Int16, 1.0/32768))
	require.NoError(t, err)
	assert.False(t, a.pot)
	assert.Equal(t, int32(24576), a.mul)
	assert.Equal(t, 11, a.shift)
	for _, x := range []int16{0, 1024, -1024, 5000, -32768, 32767} {
		want := 32768 / (1 + math.Exp(-float64(x)/1024))
		assert.InDelta(t, min(want, 32767), float64(qactLogisticLUT(a.mul, a.shift, x)), 3, "logistic(%d)", x)
		wt := 32768 * math.Tanh(float64(x)/1024)
		assert.InDelta(t, max(min(wt, 32767), -32768), float64(qactTanhLUT(a.mul, a.shift, x)), 3, "tanh(%d)", x)
	}
	// TANH takes 2^-11 on the gemmlowp path (doubling the input first);
	// LOGISTIC does not.
	a, err = qactPrepareAct16(true, qactTensor(t, core.Int16, 1.0/2048), qactTensor(t, core.Int16, 1.0/32768))
	require.NoError(t, err)
	assert.True(t, a.pot && a.shift1)
	a, err = qactPrepareAct16(false, qactTensor(t, core.Int16, 1.0/2048), qactTensor(t, core.Int16, 1.0/32768))
	require.NoError(t, err)
	assert.False(t, a.pot)
}

// The softmax tables: exp over [-10, 0] and 1/(1+x) over [0, 1] in Q0.15
// within the half-step bias of the real function, exact end points, and
// lookups that return the entries at the table's knots.
func TestQactSoftmaxTables(t *testing.T) {
	var exp, inv [513]int16
	qactPopulateLUT16(10.0/65535, 32767, 2.0/65535, 0, math.Exp, &exp)
	qactPopulateLUT16(1.0/65535, -32768, 2.0/65535, 0, func(v float64) float64 { return 1 / (1 + v) }, &inv)
	for i := range 513 {
		assert.InDelta(t, min(32768*math.Exp(-10+float64(i)*10/512), 32767), float64(exp[i]), 2, "exp %d", i)
		assert.InDelta(t, min(32768/(1+float64(i)/512), 32767), float64(inv[i]), 2, "inv %d", i)
	}
	assert.Equal(t, int16(32767), exp[512])
	assert.Equal(t, int16(16384), inv[512])
	for i := range 512 {
		v := int16((i - 256) << 7)
		assert.Equal(t, exp[i], qactLUTLookup16(v, &exp), "knot %d", i)
	}
	// Half way between two knots: the rounded mean.
	assert.Equal(t, int16((int32(exp[300])+int32(exp[301])+1)>>1), qactLUTLookup16(int16((300-256)<<7+64), &exp))
}

func TestQactSoftmax16Rows(t *testing.T) {
	in, out := qactTensor(t, core.Int16, 0.001), qactTensor(t, core.Int16, 1.0/32768)
	q, err := qactPrepareSoftmax16(1, in, out)
	require.NoError(t, err)
	x := []int16{7, 7, 7, 7, 0, -32768}
	y := make([]int16, len(x))
	qactSoftmax16Rows(q.s16, x, y, 1, 4)
	for _, v := range y[:4] {
		assert.InDelta(t, 8192, float64(v), 2)
	}
	// exp(-32.768) is far below the table's exp(-10): all on one value.
	qactSoftmax16Rows(q.s16, x[4:], y[4:], 1, 2)
	assert.InDelta(t, 32767, float64(y[4]), 2)
	assert.InDelta(t, 32768*math.Exp(-10), float64(y[5]), 2)
}

// RSQRT for int8 against 1/sqrt by hand: input scale 0.25, output 0.02.
func TestQactRsqrt8(t *testing.T) {
	f := qactRsqrt8(0.25, -3, 0.02, -100)
	assert.Equal(t, int32(127), f(-3))
	for _, x := range []int32{-2, 1, 13, 60, 127} {
		want := 1/math.Sqrt(0.25*float64(x+3))/0.02 - 100
		assert.InDelta(t, want, float64(f(x)), 1, "x=%d", x)
	}
	a := qactAct16{minIn: -3}
	assert.NoError(t, qactRsqrtCheck(&a, []byte{byte(0xfd), 5}))
	assert.Error(t, qactRsqrtCheck(&a, []byte{byte(0xfc)}))
}

func TestQactAbs(t *testing.T) {
	a := qactAct16{kind: qaAbs, plain: true}
	x := []int16{-32768, -7, 5, 32767}
	y := make([]int16, len(x))
	qactAbs16(&a, x, y)
	assert.Equal(t, []int16{-32768, 7, 5, 32767}, y) // TFLite's cast wraps 32768
	a = qactAct16{kind: qaAbs}
	qactAbs16(&a, x, y)
	assert.Equal(t, []int16{32767, 7, 5, 32767}, y)
	f := qactAbs8(0.05, -7, 0.05, -128)
	assert.Equal(t, int32(-128+20), f(-27))
	assert.Equal(t, int32(-128+20), f(13))
}

// REDUCE_PROD's per-step scale: n rescalings give in^n/out.
func TestQactProdScaling(t *testing.T) {
	k := &reduceKernel{inShape: []int{4, 3}, outElems: 4, inScale: 0.05, outScale: 1}
	require.NoError(t, k.qactProdScaling(nil))
	s := float64(k.qmult) * math.Pow(2, float64(k.qshift)-31)
	assert.InDelta(t, 0.05, s, 1e-9)
	k = &reduceKernel{inShape: []int{2, 3, 4}, outElems: 3, inScale: 0.01, outScale: 0.0005}
	require.NoError(t, k.qactProdScaling(nil))
	s = float64(k.qmult) * math.Pow(2, float64(k.qshift)-31)
	assert.InDelta(t, 0.01/math.Pow(0.0005, 1.0/8), s, 1e-9)
}

// qactTensor is a per-tensor quantized tensor with zero point 0.
func qactTensor(t *testing.T, typ core.TensorType, scale float32) *core.Tensor {
	t.Helper()
	x := &core.Tensor{}
	x.SetType(typ)
	x.SetShape([]int{1, 4})
	x.SetQuantization(core.Quantization{Scale: []float32{scale}, ZeroPoint: []int64{0}})
	return x
}

// GetReciprocal: 1/x = inv * 2^-shift with inv in Q0.31, to about 1e-9.
func TestQactReciprocal(t *testing.T) {
	for _, x := range []int32{1, 2, 3, 7, 100, 200, 255, 1 << 20, 123456789} {
		inv, shift := qactReciprocal(x)
		got := float64(inv) / (1 << 31) / math.Pow(2, float64(shift))
		assert.InEpsilon(t, 1/float64(x), got, 1e-8, "x=%d", x)
	}
	for x, want := range map[int32]int{0: 31, 1: 30, -1: 31, 255: 23, -128: 24, -129: 23, math.MinInt32: 0, math.MaxInt32: 0} {
		assert.Equal(t, want, qactLeadingSignBits(x), "x=%d", x)
	}
	// Shifts above 31 wrap modulo 32 as on the machines TFLite runs on,
	// while the all-ones mask makes every remainder round up.
	assert.Equal(t, int32(1), qactRDivPOTMasked(0, 36))
	assert.Equal(t, int32(3), qactRDivPOTMasked(100, 5))
	assert.Equal(t, int32(4), qactRDivPOTMasked(100, 37))
}

// uint8 DIV by hand: 0.5*(200-100) / (0.25*(140-128)) = 50/3 = 16.67, at
// output scale 0.1 and zero point 5: 172.
func TestQactDiv8(t *testing.T) {
	q := ewQBin{off1: -100, off2: -128, lo: 0, hi: 255}
	out := &core.Tensor{}
	out.SetType(core.Uint8)
	out.SetQuantization(core.Quantization{Scale: []float32{0.1}, ZeroPoint: []int64{5}})
	require.NoError(t, qactPrepareDiv(0, 0.5, 0.25, out, &q))
	assert.Equal(t, int32(172), qactDiv8(&q, 200, 140))
	// A negative divisor flips the quotient: 50 / -3 = -16.67 clamps to 0.
	assert.Equal(t, int32(0), qactDiv8(&q, 200, 116))
	assert.ErrorIs(t, qactDivCheck(&q, []uint8{1, 128}), errQactDivZero)
}
