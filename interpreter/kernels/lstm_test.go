package kernels_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/edgelite/edgelite/interpreter/core"
	"github.com/edgelite/edgelite/modelbuilder"
	"github.com/edgelite/edgelite/schema/tflite"
)

// lstmTinyModel is a one-cell UNIDIRECTIONAL_SEQUENCE_LSTM (batch 1, input
// 1) whose weights are all w and biases all bias; mod edits the 24 inputs.
func lstmTinyModel(steps int, w, bias float32, opts *tflite.UnidirectionalSequenceLSTMOptionsT, mod func(s *modelbuilder.Subgraph, ins []int)) *modelbuilder.Builder {
	b := modelbuilder.New()
	s := b.Main()
	ins := make([]int, 24)
	for i := range ins {
		ins[i] = -1
	}
	ins[0] = s.Tensor("x", core.Float32, []int{1, steps, 1})
	for _, i := range []int{1, 2, 3, 4, 5, 6, 7, 8} {
		ins[i] = s.ConstFloat32("w", []int{1, 1}, []float32{w})
	}
	for _, i := range []int{12, 13, 14, 15} {
		ins[i] = s.ConstFloat32("b", []int{1}, []float32{bias})
	}
	ins[18] = s.Tensor("h", core.Float32, []int{1, 1}, modelbuilder.Variable())
	ins[19] = s.Tensor("c", core.Float32, []int{1, 1}, modelbuilder.Variable())
	if mod != nil {
		mod(s, ins)
	}
	out := s.Tensor("y", core.Float32, []int{1, steps, 1})
	s.Op(tflite.BuiltinOperatorUNIDIRECTIONAL_SEQUENCE_LSTM, ins, []int{out}, opts)
	s.Inputs(ins[0])
	s.Outputs(out)
	return b
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func TestLSTMTinyByHand(t *testing.T) {
	const w, bias = 0.5, 0.1
	opts := &tflite.UnidirectionalSequenceLSTMOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeTANH}
	xs := []float32{1, -0.5, 0.25}
	it := run(t, lstmTinyModel(3, w, bias, opts, nil), f32Bytes(xs...))
	h, c := 0.0, 0.0
	var want []float32
	for _, x := range xs {
		pre := bias + w*float64(x) + w*h
		i, f, g, o := sigmoid(pre), sigmoid(pre), math.Tanh(pre), sigmoid(pre)
		c = f*c + i*g
		h = o * math.Tanh(c)
		want = append(want, float32(h))
	}
	assert.InDeltaSlice(t, want, it.Output(0).Float32s(), 1e-6)

	// The state persists across Invoke and ResetVariableTensors clears it.
	first := append([]float32(nil), it.Output(0).Float32s()...)
	require.NoError(t, it.Invoke())
	assert.NotEqual(t, first, it.Output(0).Float32s())
	it.ResetVariableTensors()
	require.NoError(t, it.Invoke())
	assert.Equal(t, first, it.Output(0).Float32s())
}

func TestLSTMRejects(t *testing.T) {
	opts := &tflite.UnidirectionalSequenceLSTMOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeTANH}
	cases := map[string]func(s *modelbuilder.Subgraph, ins []int){
		"half CIFG":          func(s *modelbuilder.Subgraph, ins []int) { ins[1] = -1 },
		"CIFG with bias":     func(s *modelbuilder.Subgraph, ins []int) { ins[1], ins[5] = -1, -1 },
		"peephole partial":   func(s *modelbuilder.Subgraph, ins []int) { ins[10] = s.ConstFloat32("p", []int{1}, []float32{1}) },
		"proj bias only":     func(s *modelbuilder.Subgraph, ins []int) { ins[17] = s.ConstFloat32("pb", []int{1}, []float32{1}) },
		"state not variable": func(s *modelbuilder.Subgraph, ins []int) { ins[19] = s.ConstFloat32("c0", []int{1, 1}, []float32{0}) },
		"bad weight shape":   func(s *modelbuilder.Subgraph, ins []int) { ins[2] = s.ConstFloat32("w2", []int{2, 1}, []float32{1, 1}) },
		"layer norm partial": func(s *modelbuilder.Subgraph, ins []int) { ins[21] = s.ConstFloat32("ln", []int{1}, []float32{1}) },
		"mixed int8 weights": func(s *modelbuilder.Subgraph, ins []int) {
			ins[2] = s.Const("q", core.Int8, []int{1, 1}, []byte{1}, modelbuilder.Quant(0.1, 0))
		},
	}
	for name, mod := range cases {
		assert.Error(t, prepareError(t, lstmTinyModel(2, 0.5, 0.1, opts, mod)), name)
	}
	require.NoError(t, prepareError(t, lstmTinyModel(2, 0.5, 0.1, opts, nil)))
	bad := *opts
	bad.DiagonalRecurrentTensors = true
	assert.Error(t, prepareError(t, lstmTinyModel(2, 0.5, 0.1, &bad, nil)))
	int8W := func(s *modelbuilder.Subgraph, ins []int) {
		for _, i := range []int{1, 2, 3, 4, 5, 6, 7, 8} {
			ins[i] = s.Const("q", core.Int8, []int{1, 1}, []byte{3}, modelbuilder.Quant(0.1, 0))
		}
	}
	require.NoError(t, prepareError(t, lstmTinyModel(2, 0.5, 0.1, opts, int8W)))
	bad = *opts
	bad.FusedActivationFunction = tflite.ActivationFunctionTypeSIGN_BIT
	assert.Error(t, prepareError(t, lstmTinyModel(2, 0.5, 0.1, &bad, nil)))
}

func TestMiscVersions(t *testing.T) {
	// The versions this branch claims (register_test.go's table is updated
	// at merge).
	ops := []struct {
		op       tflite.BuiltinOperator
		yes, not []int
	}{
		{tflite.BuiltinOperatorLSTM, []int{1, 3, 4}, []int{2, 5}},
		{tflite.BuiltinOperatorUNIDIRECTIONAL_SEQUENCE_LSTM, []int{1, 2, 3}, []int{4, 5}},
	}
	for _, o := range ops {
		for _, v := range o.yes {
			b := lstmVersionModel(o.op, v)
			_, err := build(t, b)
			assert.NoError(t, err, "%s v%d", o.op, v)
		}
		for _, v := range o.not {
			_, err := build(t, lstmVersionModel(o.op, v))
			assert.Error(t, err, "%s v%d", o.op, v)
		}
	}
}

func lstmVersionModel(op tflite.BuiltinOperator, v int) *modelbuilder.Builder {
	b := lstmTinyModel(1, 0.5, 0.1, &tflite.UnidirectionalSequenceLSTMOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeTANH}, nil)
	m := b.Model()
	for _, oc := range m.OperatorCodes {
		oc.Version = int32(v)
		oc.BuiltinCode = op
		oc.DeprecatedBuiltinCode = int8(op)
	}
	if op == tflite.BuiltinOperatorLSTM {
		sg := m.Subgraphs[0]
		opr := sg.Operators[0]
		opr.BuiltinOptions = &tflite.BuiltinOptionsT{Type: tflite.BuiltinOptionsLSTMOptions, Value: &tflite.LSTMOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeTANH}}
		x := sg.Tensors[opr.Inputs[0]]
		x.Shape = []int32{1, 1}
		sg.Tensors[opr.Outputs[0]].Shape = []int32{1, 1}
	}
	return b
}

func TestMiscEvalDoesNotAllocate(t *testing.T) {
	opts := &tflite.UnidirectionalSequenceLSTMOptionsT{FusedActivationFunction: tflite.ActivationFunctionTypeTANH}
	it := run(t, lstmTinyModel(3, 0.5, 0.1, opts, nil), f32Bytes(1, 2, 3))
	assert.Zero(t, testing.AllocsPerRun(20, func() { _ = it.Invoke() }), "LSTM")

	for _, regular := range []bool{false, true} {
		o := detppOpts{maxDet: 3, maxCls: 2, perClass: 2, numClasses: 2, regular: regular, scoreThr: 0.1, iouThr: 0.5, scales: [4]float64{10, 10, 5, 5}}
		scores := []float32{0, 0.9, 0.1, 0, 0.8, 0.95, 0, 0.3, 0.2, 0, 0.7, 0, 0, 0.05, 0.05, 0, 0.4, 0.35}
		it := run(t, detppModel(t, o, 6, 3, detppTestAnchors()), f32Bytes(make([]float32, 24)...), f32Bytes(scores...))
		assert.Zero(t, testing.AllocsPerRun(20, func() { _ = it.Invoke() }), "detection postprocess regular=%v", regular)
	}
}
