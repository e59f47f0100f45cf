package kernels_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter"
	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
	"github.com/edgelite/edgelite/scripts/conformance/cases"
)

// qlstmTinyOpts shapes qlstmTinyModel.
type qlstmTinyOpts struct {
	act          tflite.ActivationFunctionType
	intermediate int     // number of intermediate tensors
	cellScale    float32 // cell state scale
	peepholeOut  int     // >0: peepholes and a projection to this many outputs
}

// qlstmTinyModel is an integer UNIDIRECTIONAL_SEQUENCE_LSTM with one
// input, one cell and one output (batch 1): every weight is 0.5 (64 at
// scale 1/128), every bias 0.1, all activations at scale 1/128 with zero
// point 0, the cell state in Q4.11.
func qlstmTinyModel(steps int, o qlstmTinyOpts) *modelbuilder.Builder {
	b := modelbuilder.New()
	s := b.Main()
	const sc = 1.0 / 128
	nc, no := 1, 1
	if o.peepholeOut > 0 {
		no = o.peepholeOut
	}
	ins := make([]int, 24)
	for i := range ins {
		ins[i] = -1
	}
	ins[0] = s.Tensor("x", core.Int8, []int{1, steps, 1}, modelbuilder.Quant(sc, 0))
	w := func(rows, cols int) int {
		v := make([]int8, rows*cols)
		for i := range v {
			v[i] = 64
		}
		return s.Const("w", core.Int8, []int{rows, cols}, modelbuilder.Int8Bytes(v), modelbuilder.Quant(0.5/64, 0))
	}
	for _, i := range []int{1, 2, 3, 4} {
		ins[i] = w(nc, 1)
	}
	for _, i := range []int{5, 6, 7, 8} {
		ins[i] = w(nc, no)
	}
	for _, i := range []int{12, 13, 14, 15} {
		// 0.1 at the bias scale 0.5/64 * 1/128.
		ins[i] = s.ConstInt32("b", []int{nc}, []int32{int32(math.Round(0.1 / (0.5 / 64 * sc)))})
	}
	if o.peepholeOut > 0 {
		for _, i := range []int{9, 10, 11} {
			ins[i] = s.Const("p", core.Int16, []int{nc}, modelbuilder.Int16Bytes([]int16{100}), modelbuilder.Quant(1e-4, 0))
		}
		ins[16] = w(no, nc)
	}
	ins[18] = s.Tensor("h", core.Int8, []int{1, no}, modelbuilder.Variable(), modelbuilder.Quant(sc, 0))
	ins[19] = s.Tensor("c", core.Int16, []int{1, nc}, modelbuilder.Variable(), modelbuilder.Quant(o.cellScale, 0))
	var inter []int32
	for i := 0; i < o.intermediate; i++ {
		inter = append(inter, int32(s.Tensor("i", core.Int8, []int{}, modelbuilder.Quant(sc, 0))))
	}
	out := s.Tensor("y", core.Int8, []int{1, steps, no}, modelbuilder.Quant(sc, 0))
	op := s.Op(tflite.BuiltinOperatorUNIDIRECTIONAL_SEQUENCE_LSTM, ins, []int{out},
		&tflite.UnidirectionalSequenceLSTMOptionsT{FusedActivationFunction: o.act})
	op.Intermediates = inter
	s.Inputs(ins[0])
	s.Outputs(out)
	return b
}

var qlstmTinyDefault = qlstmTinyOpts{act: tflite.ActivationFunctionTypeTANH, intermediate: 5, cellScale: 1.0 / 2048}

// The integer LSTM follows the real-valued LSTM to within the int8
// output's rounding plus the fixed-point activations' error.
func TestQLSTMTinyByHand(t *testing.T) {
	xs := []int8{127, -64, 32, 0, -128}
	it := run(t, qlstmTinyModel(len(xs), qlstmTinyDefault), modelbuilder.Int8Bytes(xs))
	h, c := 0.0, 0.0
	got := it.Output(0).Int8s()
	for i, q := range xs {
		x := float64(q) / 128
		pre := 0.1 + 0.5*x + 0.5*h
		in, f, g, o := sigmoid(pre), sigmoid(pre), math.Tanh(pre), sigmoid(pre)
		c = f*c + in*g
		h = o * math.Tanh(c)
		// The kernel's own rounded state feeds the next step.
		assert.InDelta(t, h*128, float64(got[i]), 1.5, "step %d", i)
		h = float64(got[i]) / 128
	}
	// The states are variables: a second run continues from them, a reset
	// starts over.
	first := append([]int8(nil), got...)
	require.NoError(t, it.Invoke())
	assert.NotEqual(t, first, it.Output(0).Int8s())
	it.ResetVariableTensors()
	require.NoError(t, it.Invoke())
	assert.Equal(t, first, it.Output(0).Int8s())
	assert.Zero(t, testing.AllocsPerRun(10, func() { _ = it.Invoke() }))
}

func TestQLSTMPrepareErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(o *qlstmTinyOpts)
		want string
	}{
		{"relu", func(o *qlstmTinyOpts) { o.act = tflite.ActivationFunctionTypeRELU }, "TANH"},
		{"8x8_8", func(o *qlstmTinyOpts) { o.intermediate = 12 }, "8x8->8"},
		{"no intermediates", func(o *qlstmTinyOpts) { o.intermediate = 0 }, "intermediate"},
		{"cell scale not POT", func(o *qlstmTinyOpts) { o.cellScale = 0.0003 }, "power of two"},
		{"cell scale too coarse", func(o *qlstmTinyOpts) { o.cellScale = 1.0 / 256 }, "power of two"},
		{"peephole wider output", func(o *qlstmTinyOpts) { o.peepholeOut = 2 }, "peephole"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := qlstmTinyDefault
			tc.mod(&o)
			err := prepareError(t, qlstmTinyModel(2, o))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// Invoke allocates nothing for the integer LSTM variants (8x8->16
// sequence, chained 8x8->8 and 8x8->16 LSTM steps) or the hybrid kernels.
func TestQLSTMNoAllocs(t *testing.T) {
	want := map[string]bool{
		"ql_lstm_seq_full": true, "ql_lstm_seq_big_saturating": true, "ql_lstm_steps4_8x8_8": true,
		"ql_lstm_steps3_peephole_proj_ln": true, "ql_hybrid_bmm_4d_asym": true, "ql_hybrid_fc_const_asym_relu": true,
	}
	found := 0
	for _, c := range cases.All() {
		if !want[c.Name] {
			continue
		}
		found++
		mb, err := c.Model()
		require.NoError(t, err)
		m, err := interpreter.LoadModel(mb)
		require.NoError(t, err)
		it, err := interpreter.New(m)
		require.NoError(t, err)
		require.NoError(t, it.AllocateTensors())
		require.NoError(t, it.Invoke(), c.Name)
		assert.Zero(t, testing.AllocsPerRun(5, func() { _ = it.Invoke() }), c.Name)
		it.Close()
	}
	assert.Equal(t, len(want), found)
}
