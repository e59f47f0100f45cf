package kernels_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/interpreter/kernels"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// qlHybridFCModel is a hybrid FULLY_CONNECTED (version 12) with INT8
// weights w [units, in] quantized per output unit with scales, a FLOAT32
// bias, and the weights a constant or (weightsInput) a model input.
func qlHybridFCModel(batch, in int, w []int8, scales []float32, dim int, bias []float32, act tflite.ActivationFunctionType, asym, weightsInput bool) *modelbuilder.Builder {
	b := modelbuilder.New()
	s := b.Main()
	units := len(w) / in
	x := s.Tensor("x", core.Float32, []int{batch, in})
	q := modelbuilder.PerAxisQuant(scales, make([]int64, len(scales)), dim)
	var wt int
	if weightsInput {
		wt = s.Tensor("w", core.Int8, []int{units, in}, q)
	} else {
		wt = s.Const("w", core.Int8, []int{units, in}, modelbuilder.Int8Bytes(w), q)
	}
	bt := s.ConstFloat32("b", []int{units}, bias)
	y := s.Tensor("y", core.Float32, []int{batch, units})
	s.OpVersion(tflite.BuiltinOperatorFULLY_CONNECTED, 12, []int{x, wt, bt}, []int{y},
		&tflite.FullyConnectedOptionsT{FusedActivationFunction: act, AsymmetricQuantizeInputs: asym})
	if weightsInput {
		s.Inputs(x, wt)
	} else {
		s.Inputs(x)
	}
	s.Outputs(y)
	return b
}

// qlHybridFCWant computes the per-channel hybrid product independently in
// float64: each input row quantized (symmetrically to [-127, 127], or
// asymmetrically to [-128, 127] with a zero point), the integer dot
// products scaled by the row's scale times the unit's weight scale, plus
// the bias, through the activation.
func qlHybridFCWant(x []float32, in int, w []int8, scales, bias []float32, asym bool, lo, hi float64) []float64 {
	units := len(w) / in
	var out []float64
	for r := 0; r < len(x)/in; r++ {
		row := x[r*in : (r+1)*in]
		q := make([]float64, in)
		var sf, zp float64
		if asym {
			mn, mx := 0.0, 0.0
			for _, v := range row {
				mn, mx = math.Min(mn, float64(v)), math.Max(mx, float64(v))
			}
			sf = (mx - mn) / 255
			zp = math.Round(-128 - mn/sf)
			for i, v := range row {
				q[i] = math.Max(-128, math.Min(127, math.Round(float64(v)/sf)+zp))
			}
		} else {
			mx := 0.0
			for _, v := range row {
				mx = math.Max(mx, math.Abs(float64(v)))
			}
			sf = mx / 127
			for i, v := range row {
				q[i] = math.Round(float64(v) / sf)
			}
		}
		for u := 0; u < units; u++ {
			dot := 0.0
			for i := range q {
				dot += (q[i] - zp) * float64(w[u*in+i])
			}
			out = append(out, math.Max(lo, math.Min(hi, float64(bias[u])+dot*sf*float64(scales[u]))))
		}
	}
	return out
}

func TestQLHybridFCPerChannel(t *testing.T) {
	const batch, in = 3, 7
	scales := []float32{0.002, 0.011, 0.03, 0.0047}
	units := len(scales)
	w := make([]int8, units*in)
	for i := range w {
		w[i] = int8((i*53)%255 - 127)
	}
	x := make([]float32, batch*in)
	for i := range x {
		x[i] = float32(math.Sin(float64(i)*1.7)) * 1.3
	}
	bias := []float32{0.1, -0.2, 0.3, 0}
	for _, tc := range []struct {
		name         string
		act          tflite.ActivationFunctionType
		lo, hi       float64
		asym, wInput bool
	}{
		{"sym_const", tflite.ActivationFunctionTypeNONE, math.Inf(-1), math.Inf(1), false, false},
		{"asym_const", tflite.ActivationFunctionTypeRELU, 0, math.Inf(1), true, false},
		{"sym_input_relu6", tflite.ActivationFunctionTypeRELU6, 0, 6, false, true},
		{"asym_input_relu_n1", tflite.ActivationFunctionTypeRELU_N1_TO_1, -1, 1, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inputs := [][]byte{f32Bytes(x...)}
			if tc.wInput {
				inputs = append(inputs, modelbuilder.Int8Bytes(w))
			}
			it := run(t, qlHybridFCModel(batch, in, w, scales, 0, bias, tc.act, tc.asym, tc.wInput), inputs...)
			got := it.Output(0).Float32s()
			want := qlHybridFCWant(x, in, w, scales, bias, tc.asym, tc.lo, tc.hi)
			require.Len(t, got, len(want))
			for i := range want {
				assert.InDelta(t, want[i], float64(got[i]), 1e-5, "element %d", i)
			}
			// And near the real product of the dequantized weights.
			for r := 0; r < batch; r++ {
				for u := 0; u < units; u++ {
					real := float64(bias[u])
					for i := 0; i < in; i++ {
						real += float64(x[r*in+i]) * float64(w[u*in+i]) * float64(scales[u])
					}
					real = math.Max(tc.lo, math.Min(tc.hi, real))
					assert.InDelta(t, real, float64(got[r*units+u]), 0.02*float64(scales[u])/0.002, "row %d unit %d", r, u)
				}
			}
			assert.Zero(t, testing.AllocsPerRun(5, func() { _ = it.Invoke() }))
		})
	}
}

func TestQLHybridFCPerChannelErrors(t *testing.T) {
	w := make([]int8, 3*4)
	bias := []float32{0, 0, 0}
	err := prepareError(t, qlHybridFCModel(1, 4, w, []float32{0.1, 0.2}, 0, bias, tflite.ActivationFunctionTypeNONE, false, false))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "scales")
	err = prepareError(t, qlHybridFCModel(1, 4, w, []float32{0.1, 0.2, 0.3, 0.4}, 1, bias, tflite.ActivationFunctionTypeNONE, false, false))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "dimension")
}

// The versions this family claims: FULLY_CONNECTED 12 (hybrid per-channel)
// beside the earlier ones, and version 1 of both LSTM ops, which is also
// the full-integer LSTM's version.
func TestQLSTMVersions(t *testing.T) {
	r := kernels.Builtins()
	for _, c := range []struct {
		op tflite.BuiltinOperator
		ok []int
		no []int
	}{
		{tflite.BuiltinOperatorFULLY_CONNECTED, []int{1, 3, 9, 12}, []int{2, 8, 10, 11, 13}},
		{tflite.BuiltinOperatorLSTM, []int{1, 3, 4}, []int{2, 5}},
		{tflite.BuiltinOperatorUNIDIRECTIONAL_SEQUENCE_LSTM, []int{1, 2, 3}, []int{4}},
	} {
		for _, v := range c.ok {
			_, err := r.Lookup(core.OpCode{Builtin: c.op, Version: v})
			assert.NoError(t, err, "%s v%d", c.op, v)
		}
		for _, v := range c.no {
			_, err := r.Lookup(core.OpCode{Builtin: c.op, Version: v})
			assert.Error(t, err, "%s v%d", c.op, v)
		}
	}
}

// qlBMMModel is a hybrid BATCH_MATMUL with a constant INT8 rhs.
func qlBMMModel(lhsShape, rhsShape, outShape []int, rhs []int8, q modelbuilder.TensorOption, asym bool) *modelbuilder.Builder {
	b := modelbuilder.New()
	s := b.Main()
	x := s.Tensor("x", core.Float32, lhsShape)
	w := s.Const("w", core.Int8, rhsShape, modelbuilder.Int8Bytes(rhs), q)
	y := s.Tensor("y", core.Float32, outShape)
	version := 1
	if asym {
		version = 4
	}
	s.OpVersion(tflite.BuiltinOperatorBATCH_MATMUL, version, []int{x, w}, []int{y}, &tflite.BatchMatMulOptionsT{AsymmetricQuantizeInputs: asym})
	s.Inputs(x)
	s.Outputs(y)
	return b
}

// A hybrid BATCH_MATMUL by hand: the row [1, -0.5] quantizes to
// [127, -64] at scale 1/127; with the rhs [[2, 0], [1, -3]] at scale 0.5
// the dots are [190, 192], times 0.5/127.
func TestQLHybridBMMByHand(t *testing.T) {
	it := run(t, qlBMMModel([]int{1, 2}, []int{2, 2}, []int{1, 2}, []int8{2, 0, 1, -3}, modelbuilder.Quant(0.5, 0), false), f32Bytes(1, -0.5))
	got := it.Output(0).Float32s()
	assert.InDeltaSlice(t, []float32{190 * 0.5 / 127, 192 * 0.5 / 127}, got, 1e-6)
	assert.Zero(t, testing.AllocsPerRun(5, func() { _ = it.Invoke() }))
}

func TestQLHybridBMMErrors(t *testing.T) {
	w := make([]int8, 4)
	err := prepareError(t, qlBMMModel([]int{1, 2}, []int{2, 2}, []int{1, 2}, w, modelbuilder.PerAxisQuant([]float32{0.1, 0.2}, []int64{0, 0}, 1), false))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "per-tensor")
	w = make([]int8, 2*1*1*2*2)
	err = prepareError(t, qlBMMModel([]int{1, 1, 1, 1, 2}, []int{2, 1, 1, 2, 2}, []int{2, 1, 1, 1, 2}, w, modelbuilder.Quant(0.1, 0), true))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "rank-5")
}
